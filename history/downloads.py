"""Open data: the lists readers see, as files. A list view calls

    response = list_download(request, "event", filterset.qs)
    if response is not None:
        return response

first thing. Only published records go out (the queryset is narrowed again here),
translated text in the reader's language, each record with its page's URL."""

import csv
import datetime
import io
import json
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Publishable

BOM = "\ufeff"  # so that spreadsheets read the CSV as UTF-8

FORMATS = {
    "event": ("csv", "json"),
    "conference": ("csv", "json"),
    "aid": ("csv", "json", "iati"),
    "source": ("csv", "json", "csl-json", "bibtex"),
    "timeline": ("csv", "json", "timelinejs"),
}
FILE_STEMS = {
    "event": "events",
    "conference": "conferences",
    "aid": "aid-programmes",
    "source": "sources",
    "timeline": "timeline",
}
COLUMNS = {
    "event": (
        "slug",
        "title",
        "event_type",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "location",
        "milestone",
        "summary",
        "conference",
        "url",
    ),
    "conference": (
        "slug",
        "title",
        "city",
        "venue",
        "start_date",
        "end_date",
        "countries_attending",
        "organizations_attending",
        "total_pledged",
        "total_pledged_currency",
        "total_pledged_period",
        "japan_pledge",
        "japan_pledge_currency",
        "japan_pledge_period",
        "summary",
        "url",
    ),
    "aid": (
        "slug",
        "title",
        "iati_identifier",
        "sector",
        "activity_status",
        "finance_type",
        "channel",
        "start_date",
        "start_precision",
        "start_kind",
        "end_date",
        "end_precision",
        "end_kind",
        "amount",
        "currency",
        "amount_note",
        "pledge",
        "summary",
        "url",
    ),
    "source": (
        "slug",
        "title",
        "kind",
        "author",
        "publisher",
        "published_date",
        "published_precision",
        "source_url",
        "archive_url",
        "accessed",
        "language",
        "reliability",
        "url",
    ),
    "timeline": (
        "type",
        "slug",
        "title",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "summary",
        "url",
    ),
}
# IATI and ISO 639-1 codes for the site's languages.
NARRATIVE_LANGUAGES = (("en", "en"), ("ja", "ja"), ("fa_af", "fa"), ("ps", "ps"))


def list_download(request, kind, queryset):
    """An HttpResponse for ?format=..., None when no format is asked, 400 for an unknown one."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    if fmt not in FORMATS[kind]:
        message = _("Unknown format “%(format)s”. This list is available as: %(formats)s.") % {
            "format": fmt[:40],
            "formats": ", ".join(FORMATS[kind]),
        }
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    records = published(queryset)
    writer = WRITERS[fmt]
    body, content_type, extension = writer(request, kind, records)
    response = HttpResponse(body, content_type=content_type)
    stem = FILE_STEMS[kind]
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate().isoformat()}.{extension}"'
    response["Content-Language"] = translation.get_language()
    return response


def published(records):
    if hasattr(records, "model") and issubclass(records.model, Publishable):
        return list(records.filter(status=Publishable.Status.PUBLISHED))
    return [record for record in records if getattr(record, "is_published", False)]


# Rows for CSV and JSON -------------------------------------------------------------


def plain(value):
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def row(request, kind, record):
    url = request.build_absolute_uri(record.get_absolute_url())
    if kind == "timeline":
        values = {
            "type": record._meta.model_name,
            "slug": record.slug,
            "title": record.title,
            "summary": getattr(record, "summary", ""),
        }
        for name in ("start_date", "start_precision", "end_date", "end_precision"):
            values[name] = getattr(record, name, None)
    else:
        values = {}
        for column in COLUMNS[kind]:
            if column in ("url",):
                continue
            if column == "source_url":
                values[column] = record.url
            elif column in ("conference", "pledge", "publisher"):
                related = getattr(record, column)
                values[column] = related.slug if related is not None else None
            else:
                values[column] = getattr(record, column)
    values["url"] = url
    return {column: plain(values.get(column)) for column in COLUMNS[kind]}


def write_csv(request, kind, records):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[kind], lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("" if v is None else v) for k, v in row(request, kind, record).items()})
    return buffer.getvalue(), "text/csv; charset=utf-8", "csv"


def write_json(request, kind, records):
    data = [row(request, kind, record) for record in records]
    return json.dumps(data, ensure_ascii=False, indent=2), "application/json; charset=utf-8", "json"


# Sources: CSL-JSON and BibTeX -------------------------------------------------------

CSL_TYPES = {"press-release": "report"}  # CSL has no press-release type


def date_parts(date, precision):
    if date is None:
        return None
    parts = [date.year]
    if precision in ("month", "day"):
        parts.append(date.month)
    if precision == "day":
        parts.append(date.day)
    return {"date-parts": [parts]}


def csl_item(request, source):
    item = {
        "id": source.slug,
        "type": CSL_TYPES.get(source.kind, source.kind),
        "title": source.title,
        "URL": source.url or request.build_absolute_uri(source.get_absolute_url()),
        "language": source.language,
        "note": request.build_absolute_uri(source.get_absolute_url()),
    }
    if source.kind == "press-release":
        item["genre"] = "press release"
    if source.author:
        item["author"] = [{"literal": source.author}]
    elif source.publisher:
        item["author"] = [{"literal": str(source.publisher.name)}]
    if source.publisher:
        item["publisher"] = str(source.publisher.name)
    if source.published_date:
        item["issued"] = date_parts(source.published_date, source.published_precision)
    if source.accessed:
        item["accessed"] = date_parts(source.accessed, "day")
    if source.archive_url:
        item["archive_location"] = source.archive_url
    return item


def write_csl(request, kind, records):
    data = [csl_item(request, source) for source in records]
    return (
        json.dumps(data, ensure_ascii=False, indent=2),
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "json",
    )


BIBTEX_TYPES = {"book": "book", "report": "techreport", "article-journal": "article", "article-newspaper": "article"}
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text):
    """LaTeX specials escaped; other Unicode kept as it is (biber and BibLaTeX read UTF-8)."""
    return "".join(BIBTEX_SPECIAL.get(ch, ch) for ch in str(text))


def bibtex_url(text):
    # URLs go to \url{} verbatim; only braces and % would break the entry.
    return str(text).replace("%", r"\%").replace("{", "%7B").replace("}", "%7D")


def bibtex_key(slug):
    return "".join(ch if ch.isalnum() or ch in "-_:" else "-" for ch in slug)


def bibtex_entry(request, source):
    entry_type = BIBTEX_TYPES.get(source.kind, "misc")
    fields = [("title", "{" + bibtex_escape(source.title) + "}")]
    if source.author:
        fields.append(("author", "{" + bibtex_escape(source.author) + "}"))
    if source.publisher:
        name = bibtex_escape(source.publisher.name)
        fields.append(("institution" if entry_type == "techreport" else "publisher", name))
        if not source.author:
            fields.append(("author", "{" + name + "}"))
    if source.published_date:
        fields.append(("year", str(source.published_date.year)))
        if source.published_precision in ("month", "day"):
            fields.append(("month", MONTHS[source.published_date.month - 1]))
    if source.url:
        fields.append(("url", bibtex_url(source.url)))
    if source.accessed:
        fields.append(("urldate", source.accessed.isoformat()))
    fields.append(("language", source.language))
    fields.append(("note", bibtex_escape(request.build_absolute_uri(source.get_absolute_url()))))
    # month takes BibTeX's month macro (jan...), everything else goes in braces.
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(source.slug)},\n{body}\n}}\n"


def write_bibtex(request, kind, records):
    text = "\n".join(bibtex_entry(request, source) for source in records)
    return text, "application/x-bibtex; charset=utf-8", "bib"


# Aid: IATI activity XML 2.03 ------------------------------------------------------

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
    participations = list(program.participations.select_related("organization"))
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
        if organization.kind in ORG_TYPES:
            attributes["type"] = ORG_TYPES[organization.kind]
        narratives(ET.SubElement(activity, "participating-org", attributes), organization, "name")
    ET.SubElement(activity, "activity-status", {"code": program.activity_status})
    ET.SubElement(
        activity,
        "activity-date",
        {"type": "1" if program.start_kind == "planned" else "2", "iso-date": program.start_date.isoformat()},
    )
    if program.end_date:
        ET.SubElement(
            activity,
            "activity-date",
            {"type": "3" if program.end_kind == "planned" else "4", "iso-date": program.end_date.isoformat()},
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


# Timeline: TimelineJS3 JSON ---------------------------------------------------------


def timeline_date(date, precision):
    value = {"year": date.year}
    if precision in ("month", "day"):
        value["month"] = date.month
    if precision == "day":
        value["day"] = date.day
    return value


def timeline_event(request, record):
    url = request.build_absolute_uri(record.get_absolute_url())
    summary = getattr(record, "summary", "") or ""
    event = {
        "unique_id": f"{record._meta.model_name}-{record.slug}",
        "start_date": timeline_date(record.start_date, record.start_precision),
        "text": {
            "headline": escape(record.title),
            "text": f'<p>{escape(summary)}</p><p><a href="{escape(url)}">{escape(_("Read more"))}</a></p>',
        },
        "group": str(record._meta.verbose_name),
    }
    if getattr(record, "end_date", None):
        event["end_date"] = timeline_date(record.end_date, record.end_precision)
    return event


def write_timelinejs(request, kind, records):
    data = {
        "title": {"text": {"headline": escape(settings.SITE_NAME), "text": ""}},
        "events": [timeline_event(request, record) for record in records],
    }
    return json.dumps(data, ensure_ascii=False, indent=2), "application/json; charset=utf-8", "json"


WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "csl-json": write_csl,
    "bibtex": write_bibtex,
    "iati": write_iati,
    "timelinejs": write_timelinejs,
}
