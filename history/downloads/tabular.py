"""CSV and JSON rows: the same columns in both, text in the reader's language.

The JSON keeps every value as it is; the CSV neutralises a cell a spreadsheet
would run as a formula (history.safety.spreadsheet_cell). Addresses of sources go
out only when they are http(s) (history.safety.outgoing_url), in both."""

import csv
import datetime
import io
import json

from ..safety import outgoing_url, spreadsheet_cell

BOM = "\ufeff"  # so that spreadsheets read the CSV as UTF-8
# Columns that hold a related record, by its slug.
RELATED_SLUGS = ("conference", "pledge", "publisher")
# Columns that hold an address the record stores (the "url" column is the record's
# page on this site, built here).
STORED_URLS = {"source_url": "url", "archive_url": "archive_url"}


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
        elif column in STORED_URLS:
            values[column] = outgoing_url(getattr(record, STORED_URLS[column]))
        elif column in RELATED_SLUGS:
            related = getattr(record, column)
            values[column] = related.slug if related is not None else None
        elif column != "url":
            values[column] = getattr(record, column)
    return {column: plain(values.get(column)) for column in kind.columns}


def csv_line(cells):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def csv_rows(request, kind, records):
    yield BOM + csv_line(kind.columns)
    for record in records:
        yield csv_line(spreadsheet_cell(value) for value in row(request, kind, record).values())


def write_csv(request, kind, records):
    return csv_rows(request, kind, records), "text/csv; charset=utf-8", "csv"


def json_array(items):
    """A JSON array written item by item: '[', the items, ']'."""
    yield "["
    for number, item in enumerate(items):
        yield ("," if number else "") + "\n  " + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def write_json(request, kind, records):
    items = (row(request, kind, record) for record in records)
    return json_array(items), "application/json; charset=utf-8", "json"
