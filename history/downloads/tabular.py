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


# Rows written into one chunk of a streamed file. A chunk a row cost a language
# switch (history.downloads._in_language) and a write for each of 5,000 rows.
ROWS_PER_CHUNK = 100


def site_origin(request):
    """scheme://host of the request, for the records' addresses: worked out once a
    file, not for each of its rows (build_absolute_uri checks the host each time)."""
    return request.build_absolute_uri("/").removesuffix("/")


def row(request, kind, record, origin=None):
    """One record as {column: plain value}, the columns of its kind in order."""
    values = {"url": (origin or site_origin(request)) + record.get_absolute_url()}
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


def chunks(items, size=ROWS_PER_CHUNK):
    """The items in lists of at most `size`."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def csv_rows(request, kind, records):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(kind.columns)
    yield BOM + buffer.getvalue()
    origin = site_origin(request)
    for batch in chunks(records):
        buffer.seek(0)
        buffer.truncate()
        for record in batch:
            writer.writerow(spreadsheet_cell(value) for value in row(request, kind, record, origin).values())
        yield buffer.getvalue()


def write_csv(request, kind, records):
    return csv_rows(request, kind, records), "text/csv; charset=utf-8", "csv"


def json_array(items):
    """A JSON array written ROWS_PER_CHUNK items at a time: '[', the items, ']'."""
    yield "["
    first = True
    for batch in chunks(items):
        parts = []
        for item in batch:
            parts.append(("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False))
            first = False
        yield "".join(parts)
    yield "\n]\n"


def write_json(request, kind, records):
    origin = site_origin(request)
    items = (row(request, kind, record, origin) for record in records)
    return json_array(items), "application/json; charset=utf-8", "json"
