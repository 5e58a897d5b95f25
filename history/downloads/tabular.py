"""CSV and JSON rows: the same columns in both, text in the reader's language."""

import csv
import datetime
import io
import json

BOM = "\ufeff"  # so that spreadsheets read the CSV as UTF-8
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
        "start_type",
        "end_date",
        "end_precision",
        "end_type",
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
