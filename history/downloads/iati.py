"""Aid programmes as IATI activity XML 2.03, valid against the schema and the IATI
Standard ruleset.

- The site reports as itself, a secondary reporter (it reproduces what others
  did): settings.IATI_REPORTING_ORG_REF, IATI_REPORTING_ORG_TYPE.
- An activity keeps the identifier its own publisher gave it in IATI
  (AidProgram.iati_identifier), so that users can match the two; otherwise it is
  "<reporting org ref>-<slug>", which this site keeps stable.
- Participating organisations carry their IATI identifier where they have one
  (Organization.iati_ref); none is made up.
- Afghanistan is the recipient country, its provinces the locations.
- An amount the sources give is a commitment transaction.
- IATI dates are whole days. A date known only to the month or the year goes out
  as the first day of that period with a narrative saying so (the standard's way
  of recording a less specific date), never as a day that is known.
"""

from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from ..dates import iso_at_precision
from ..models import AidProgram, Organization, Participation, Precision
from ..safety import xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RECIPIENT_COUNTRY = "AF"
Type = Organization.Type
ORG_TYPES = {  # IATI OrganisationType
    Type.GOVERNMENT: "10",
    Type.MINISTRY: "10",
    Type.EMBASSY: "10",
    Type.UN: "40",
    Type.MULTILATERAL: "40",
    Type.DEVELOPMENT_BANK: "40",
    Type.ACADEMIC: "80",
    Type.OTHER: "90",
}
PLANNED = AidProgram.DateType.PLANNED
FINANCE_TYPES = {  # IATI FinanceType: technical cooperation is given as a grant
    AidProgram.FinanceType.GRANT: "110",
    AidProgram.FinanceType.LOAN: "421",
    AidProgram.FinanceType.TECHNICAL: "110",
}
COMMITMENT = "2"  # IATI TransactionType
PRECISION_NOTES = {
    Precision.MONTH: "Known to the month only: {date}",
    Precision.YEAR: "Known to the year only: {date}",
}


def xml_lang(code):
    """IATI narratives take ISO 639-1 codes: Dari, which has none, is written fa."""
    return code.split("-")[0]


def element(parent, tag, attributes=None, text=None):
    node = ET.SubElement(parent, tag, {key: xml_text(value) for key, value in (attributes or {}).items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def narratives(parent, record, field_name, prefix=""):
    """One narrative per language the field is written in; English, the activity's
    default language, carries no xml:lang and starts with `prefix` if one is given."""
    texts = {code: getattr(record, build_localized_fieldname(field_name, code), None) for code, _ in settings.LANGUAGES}
    texts[settings.LANGUAGE_CODE] = " ".join(filter(None, (prefix, texts[settings.LANGUAGE_CODE]))) or None
    language_narratives(parent, texts)
    if not len(parent):  # the ruleset wants narrative content
        element(parent, "narrative", {}, str(getattr(record, field_name, "") or record.slug))


def language_narratives(parent, texts):
    """Narratives from {language: text}, leaving out empty ones and translations that
    only repeat the English."""
    default = texts.get(settings.LANGUAGE_CODE)
    for code, text in texts.items():
        if not text or (code != settings.LANGUAGE_CODE and text == default):
            continue
        element(parent, "narrative", {} if code == settings.LANGUAGE_CODE else {XML_LANG: xml_lang(code)}, text)


def precision_note(date, precision):
    """ "Known to the year only: 1991" for a date not known to the day, else ""."""
    if precision not in PRECISION_NOTES:
        return ""
    return PRECISION_NOTES[precision].format(date=iso_at_precision(date, precision))


def reporting_org(activity):
    node = element(
        activity,
        "reporting-org",
        {"ref": settings.IATI_REPORTING_ORG_REF, "type": settings.IATI_REPORTING_ORG_TYPE, "secondary-reporter": "1"},
    )
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = _("Afghanistan–Japan Relations")
    language_narratives(node, names)


def participating_org(activity, participation):
    organization = participation.organization
    attributes = {"role": participation.role}
    if organization.iati_ref:
        attributes["ref"] = organization.iati_ref
    if organization.organization_type == Type.NGO:
        attributes["type"] = "22" if organization.country else "21"  # national or international
    elif organization.organization_type in ORG_TYPES:
        attributes["type"] = ORG_TYPES[organization.organization_type]
    narratives(element(activity, "participating-org", attributes), organization, "name")


def activity_date(activity, code, date, precision):
    node = element(activity, "activity-date", {"type": code, "iso-date": date.isoformat()})
    if precision_note(date, precision):
        element(node, "narrative", {}, precision_note(date, precision))


def commitment(activity, program, funders):
    transaction = element(activity, "transaction")
    element(transaction, "transaction-type", {"code": COMMITMENT})
    day = program.start_date.isoformat()
    element(transaction, "transaction-date", {"iso-date": day})
    element(transaction, "value", {"currency": program.currency, "value-date": day}, f"{program.amount:.2f}")
    note = precision_note(program.start_date, program.start_precision)
    if note or program.amount_note:
        narratives(element(transaction, "description"), program, "amount_note", prefix=f"{note}." if note else "")
    for organization in funders[:1]:
        attributes = {"ref": organization.iati_ref} if organization.iati_ref else {}
        narratives(element(transaction, "provider-org", attributes), organization, "name")


def iati_identifier(program):
    return program.iati_identifier or f"{settings.IATI_REPORTING_ORG_REF}-{program.slug}"


def iati_activity(program):
    participations = sorted(program.participations.all(), key=lambda p: (p.role, p.organization.slug))
    activity = ET.Element(
        "iati-activity",
        {
            XML_LANG: settings.LANGUAGE_CODE,
            "default-currency": program.currency,
            "last-updated-datetime": program.updated_at.replace(microsecond=0).isoformat(),
        },
    )
    element(activity, "iati-identifier", {}, iati_identifier(program))
    reporting_org(activity)
    narratives(element(activity, "title"), program, "title")
    narratives(element(activity, "description", {"type": "1"}), program, "summary")
    for participation in participations:
        participating_org(activity, participation)
    if not participations:  # the schema wants one: Japan funds every programme here
        funder = element(activity, "participating-org", {"role": Participation.Role.FUNDING, "type": "10"})
        element(funder, "narrative", {}, "Government of Japan")
    element(activity, "activity-status", {"code": program.activity_status})
    activity_date(activity, "1" if program.start_type == PLANNED else "2", program.start_date, program.start_precision)
    if program.end_date:
        activity_date(activity, "3" if program.end_type == PLANNED else "4", program.end_date, program.end_precision)
    element(activity, "recipient-country", {"code": RECIPIENT_COUNTRY})
    for province in program.provinces.all():
        narratives(element(element(activity, "location", {"ref": province.slug}), "name"), province, "name")
    element(activity, "sector", {"vocabulary": "1", "code": program.sector})
    if program.finance_type in FINANCE_TYPES:
        element(activity, "default-finance-type", {"code": FINANCE_TYPES[program.finance_type]})
    if program.amount is not None:
        funders = [p.organization for p in participations if p.role == Participation.Role.FUNDING]
        commitment(activity, program, funders)
    return activity


def iati_document(programs):
    """The file, one activity at a time."""
    generated = timezone.now().replace(microsecond=0).isoformat()
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="{generated}">\n'
    for program in programs:
        activity = iati_activity(program)
        ET.indent(activity, level=1)
        yield "  " + ET.tostring(activity, encoding="unicode") + "\n"
    yield "</iati-activities>\n"


def write_iati(request, kind, records):
    return iati_document(records), "application/xml; charset=utf-8", "xml"
