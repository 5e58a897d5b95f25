"""CSV and JSON rows: the same columns in both, text in the reader's language."""

import csv
import datetime
import io
import json

BOM = "\ufeff"  # so that spreadsheets read the CSV as UTF-8
# Columns that hold a related record, by its slug.
RELATED_SLUGS = ("conference", "pledge", "publisher")


def plain(value):
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def row(request, kind, record):
    """One record as {column: plain value}, the columns of its kind in order."""
    values = {"url": request.build_absolute_uri(record.get_absolute_url())}
    for column in kind.columns:
        if column == "type":  # the timeline mixes kinds
            values[column] = record._meta.model_name
        elif column == "source_url":
            values[column] = record.url
        elif column in RELATED_SLUGS:
            related = getattr(record, column)
            values[column] = related.slug if related is not None else None
        elif column != "url":
            values[column] = getattr(record, column)
    return {column: plain(values.get(column)) for column in kind.columns}


def write_csv(request, kind, records):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=kind.columns, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("" if v is None else v) for k, v in row(request, kind, record).items()})
    return buffer.getvalue(), "text/csv; charset=utf-8", "csv"


def write_json(request, kind, records):
    data = [row(request, kind, record) for record in records]
    return json.dumps(data, ensure_ascii=False, indent=2), "application/json; charset=utf-8", "json"
