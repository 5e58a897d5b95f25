"""Aid programmes as IATI activity XML 2.03, the standard's core elements."""

from xml.etree import ElementTree as ET

from django.utils import timezone

# IATI and ISO 639-1 codes for the site's languages.
NARRATIVE_LANGUAGES = (("en", "en"), ("ja", "ja"), ("fa_af", "fa"), ("ps", "ps"))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JAPAN_DAC_REF = "XM-DAC-701"  # Japan in the OECD DAC donor codelist
ORG_TYPES = {
    "government": "10",
    "ministry": "10",
    "embassy": "10",
    "un": "40",
    "multilateral": "40",
    "bank": "40",
    "ngo": "21",
    "academic": "80",
    "other": "90",
}
FINANCE_TYPES = {"grant": "110", "loan": "421", "technical": "110"}


def narratives(parent, record, field_name):
    for suffix, code in NARRATIVE_LANGUAGES:
        value = getattr(record, f"{field_name}_{suffix}", None)
        if value:
            ET.SubElement(parent, "narrative", {XML_LANG: code}).text = value


def iati_activity(program):
    participations = sorted(program.participations.all(), key=lambda p: (p.role, p.organization.slug))
    funder = next((p.organization for p in participations if p.role == "1" and p.organization.iati_ref), None)
    reporting_ref = funder.iati_ref if funder else JAPAN_DAC_REF
    activity = ET.Element(
        "iati-activity",
        {
            XML_LANG: "en",
            "default-currency": program.currency,
            "last-updated-datetime": program.updated_at.replace(microsecond=0).isoformat(),
        },
    )
    ET.SubElement(activity, "iati-identifier").text = program.iati_identifier or f"{reporting_ref}-{program.slug}"
    reporting = ET.SubElement(activity, "reporting-org", {"ref": reporting_ref, "type": "10"})
    ET.SubElement(reporting, "narrative").text = str(funder.name) if funder else "Government of Japan"
    narratives(ET.SubElement(activity, "title"), program, "title")
    narratives(ET.SubElement(activity, "description", {"type": "1"}), program, "summary")
    for participation in participations:
        organization = participation.organization
        attributes = {"role": participation.role}
        if organization.iati_ref:
            attributes["ref"] = organization.iati_ref
        if organization.organization_type in ORG_TYPES:
            attributes["type"] = ORG_TYPES[organization.organization_type]
        narratives(ET.SubElement(activity, "participating-org", attributes), organization, "name")
    ET.SubElement(activity, "activity-status", {"code": program.activity_status})
    ET.SubElement(
        activity,
        "activity-date",
        {"type": "1" if program.start_type == "planned" else "2", "iso-date": program.start_date.isoformat()},
    )
    if program.end_date:
        ET.SubElement(
            activity,
            "activity-date",
            {"type": "3" if program.end_type == "planned" else "4", "iso-date": program.end_date.isoformat()},
        )
    ET.SubElement(activity, "sector", {"vocabulary": "1", "code": program.sector, "percentage": "100"})
    ET.SubElement(activity, "default-finance-type", {"code": FINANCE_TYPES[program.finance_type]})
    if program.amount is not None:
        # A commitment: the figure the sources give is what Japan committed.
        transaction = ET.SubElement(activity, "transaction")
        ET.SubElement(transaction, "transaction-type", {"code": "2"})
        ET.SubElement(transaction, "transaction-date", {"iso-date": program.start_date.isoformat()})
        ET.SubElement(
            transaction, "value", {"currency": program.currency, "value-date": program.start_date.isoformat()}
        ).text = f"{program.amount:.2f}"
    return activity


def write_iati(request, kind, records):
    root = ET.Element(
        "iati-activities", {"version": "2.03", "generated-datetime": timezone.now().replace(microsecond=0).isoformat()}
    )
    for program in records:
        root.append(iati_activity(program))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", "application/xml; charset=utf-8", "xml"
