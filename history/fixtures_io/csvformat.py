"""CSV flavour of the canonical format, for people who edit data in a spreadsheet.

- One file per model, `<model_name>.csv`; the header row holds the same field names
  as the JSON files, in the same (alphabetical) order.
- Foreign key: the natural key's parts joined by "/" (every reference here is a slug,
  so in practice just the slug); empty = none.
- Many-to-many: several such keys joined by "|", sorted; empty = none.
- Booleans: true / false. Dates: YYYY-MM-DD. Decimals: 4500000000.00.
- A cell that would start with =, +, -, @, a tab or a carriage return starts with an
  apostrophe, as OWASP advises against formula injection; so does one that starts
  with an apostrophe. The importer takes one apostrophe off again.
- An empty cell is null for fields that may be null (e.g. a missing translation),
  the empty string otherwise.
- UTF-8 *with* a byte order mark, so that Excel shows Japanese, Dari and Pashto
  correctly; the importer accepts files with or without it. JSON files must not have
  one (RFC 8259 forbids it and json.loads refuses it), hence the asymmetry.
"""

import csv

from django.db import models

from ..safety import read_spreadsheet_cell, spreadsheet_cell
from .format import field_specs

KEY_PART_SEPARATOR = "/"
VALUE_SEPARATOR = "|"
BOM = "\ufeff"


def header(model):
    return [spec.name for spec in field_specs(model)]


def _key_cell(key):
    return KEY_PART_SEPARATOR.join(key)


def to_cell(spec, value):
    if value is None:
        return ""
    if spec.kind == "fk":
        return _key_cell(value)
    if spec.kind == "m2m":
        return VALUE_SEPARATOR.join(_key_cell(key) for key in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_cell(spec, cell):
    """A CSV cell as the JSON value it stands for. Cells that do not parse are passed
    on as text, so that the type check reports them with the rest."""
    cell = read_spreadsheet_cell(cell)
    field = spec.field
    if spec.kind == "m2m":
        return [part.split(KEY_PART_SEPARATOR) for part in cell.split(VALUE_SEPARATOR)] if cell else []
    if cell == "":
        return None if field.null or spec.kind == "fk" else ""
    if spec.kind == "fk":
        return cell.split(KEY_PART_SEPARATOR)
    if isinstance(field, models.BooleanField):
        return {"true": True, "false": False}.get(cell.strip().lower(), cell)
    if isinstance(field, models.IntegerField):
        try:
            return int(cell.strip())
        except ValueError:  # not a number, or more digits than Python converts (4,300)
            return cell
    return cell


def write(stream, model, records):
    """Write CSV (with BOM) for (pk, key, fields) records of one model to a text stream."""
    specs = field_specs(model)
    stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header(model))
    for _pk, _key, fields in records:
        # Neutralised as OWASP advises, so that a spreadsheet never runs a cell as a
        # formula; from_cell() takes the apostrophe off again.
        writer.writerow([spreadsheet_cell(to_cell(spec, fields.get(spec.name))) for spec in specs])
