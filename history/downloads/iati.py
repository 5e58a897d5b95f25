"""Aid programmes as IATI activity XML 2.03, the standard's core elements."""

from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from ..models import AidProgram, Organization, Participation

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JAPAN_DAC_REF = "XM-DAC-701"  # Japan in the OECD DAC donor codelist
Type = Organization.Type
ORG_TYPES = {  # IATI OrganisationType
    Type.GOVERNMENT: "10",
    Type.MINISTRY: "10",
    Type.EMBASSY: "10",
    Type.UN: "40",
    Type.MULTILATERAL: "40",
    Type.DEVELOPMENT_BANK: "40",
    Type.NGO: "21",
    Type.ACADEMIC: "80",
    Type.OTHER: "90",
}
PLANNED = AidProgram.DateType.PLANNED
FINANCE_TYPES = {  # IATI FinanceType
    AidProgram.FinanceType.GRANT: "110",
    AidProgram.FinanceType.LOAN: "421",
    AidProgram.FinanceType.TECHNICAL: "110",
}


def narratives(parent, record, field_name):
    """One narrative per language the field is written in; xml:lang takes the ISO 639-1
    code (Dari is fa)."""
    for code, _name in settings.LANGUAGES:
        value = getattr(record, build_localized_fieldname(field_name, code), None)
        if value:
            ET.SubElement(parent, "narrative", {XML_LANG: code.split("-")[0]}).text = value


def iati_activity(program):
    participations = sorted(program.participations.all(), key=lambda p: (p.role, p.organization.slug))
    funders = (p.organization for p in participations if p.role == Participation.Role.FUNDING)
    funder = next((organization for organization in funders if organization.iati_ref), None)
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
        {"type": "1" if program.start_type == PLANNED else "2", "iso-date": program.start_date.isoformat()},
    )
    if program.end_date:
        ET.SubElement(
            activity,
            "activity-date",
            {"type": "3" if program.end_type == PLANNED else "4", "iso-date": program.end_date.isoformat()},
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
