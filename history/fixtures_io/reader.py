"""Read fixture files (canonical JSON, Django dumpdata JSON, per-model CSV) into raw
objects, turning every way a file can be broken into a Problem that says where."""

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from . import csvformat
from .format import APP_LABEL, MODEL_ORDER, get_model, specs_by_name

SUFFIXES = (".json", ".csv")


@dataclass
class Problem:
    file: str
    where: str = ""  # "object 3", "line 12"
    model: str = ""
    key: tuple = ()
    field: str = ""
    message: str = ""

    def __str__(self):
        parts = [self.file + (f", {self.where}" if self.where else "")]
        if self.model:
            parts.append(self.model + (f" {'/'.join(self.key)!r}" if any(self.key) else ""))
        if self.field:
            parts.append(_("field %(field)s") % {"field": self.field})
        return ": ".join([", ".join(parts), self.message])


@dataclass
class RawObject:
    file: str
    where: str
    model_name: str  # lower-case name without the app label
    fields: dict
    from_csv: bool = False
    extra: dict = field(default_factory=dict)


def expand_paths(paths):
    """Files to read, in a stable order: a folder means every *.json and *.csv in it."""
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            if not found:
                problems.append(Problem(str(path), message=_("the folder holds no .json or .csv file")))
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                problems.append(Problem(str(path), message=_("not a .json or .csv file")))
            else:
                files.append(path)
        else:
            problems.append(Problem(str(path), message=_("no such file or folder")))
    return files, problems


def _position(data, offset):
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode(name, data, allow_bom):
    """Bytes to text, or a Problem. An empty file is an error in both formats."""
    if not data.strip():
        return None, Problem(name, message=_("the file is empty"))
    if data.startswith(codecs.BOM_UTF8):
        if not allow_bom:
            # JSON must not start with a byte order mark (RFC 8259, 8.1); CSV may, since
            # that is what spreadsheets write and what our own CSV export writes for Excel.
            return None, Problem(
                name,
                "line 1, column 1",
                message=_("the file starts with a byte order mark (BOM); save it as UTF-8 without BOM"),
            )
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return None, Problem(
            name,
            f"line {line}, column {column}",
            message=_("byte 0x%(byte)02x is not valid UTF-8; save the file as UTF-8") % {"byte": data[error.start]},
        )


def model_name_from_label(label):
    if not isinstance(label, str):
        return None
    app, _dot, name = label.lower().rpartition(".")
    if app not in ("", APP_LABEL) or name not in MODEL_ORDER:
        return None
    return name


def read_json(name, data):
    text, problem = decode(name, data, allow_bom=False)
    if problem:
        return [], [problem]
    del data
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        truncated = error.pos >= len(text.rstrip())
        message = _("not valid JSON: %(error)s") % {"error": error.msg}
        if truncated:
            message += " " + _("(the file ends too early; is it cut off?)")
        return [], [Problem(name, f"line {error.lineno}, column {error.colno}", message=message)]
    del text
    if not isinstance(items, list):
        return [], [
            Problem(
                name, message=_("the file must hold a JSON list of objects, not %(kind)s") % {"kind": json_kind(items)}
            )
        ]
    objects, problems = [], []
    for index, item in enumerate(items, start=1):
        where = f"object {index}"
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    name, where, message=_("each item must be a JSON object, not %(kind)s") % {"kind": json_kind(item)}
                )
            )
            continue
        unknown = sorted(set(item) - {"model", "fields", "pk"})
        if unknown:
            problems.append(
                Problem(
                    name,
                    where,
                    message=_("unknown key %(keys)s; an item holds model and fields") % {"keys": ", ".join(unknown)},
                )
            )
        model_name = model_name_from_label(item.get("model"))
        if model_name is None:
            problems.append(Problem(name, where, message=_("unknown model %(model)r") % {"model": item.get("model")}))
            continue
        fields = item.get("fields")
        if not isinstance(fields, dict):
            problems.append(
                Problem(name, where, f"{APP_LABEL}.{model_name}", message=_("'fields' must be a JSON object"))
            )
            continue
        objects.append(RawObject(name, where, model_name, fields))
    items.clear()
    return objects, problems


def read_csv(name, data, stem):
    model_name = model_name_from_label(stem)
    if model_name is None:
        return [], [Problem(name, message=_("unknown model: name a CSV file after its model, e.g. event.csv"))]
    text, problem = decode(name, data, allow_bom=True)
    if problem:
        return [], [problem]
    model = get_model(model_name)
    specs = specs_by_name(model)
    label = f"{APP_LABEL}.{model_name}"
    objects, problems = [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        columns = []
        for number, column in enumerate(header, start=1):
            column = column.strip()
            if column not in specs:
                problems.append(
                    Problem(name, f"line 1, column {number}", label, field=column, message=_("unknown field"))
                )
            columns.append(column)
        line = reader.line_num
        for row in reader:
            where = f"line {line + 1}"
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # spreadsheets leave blank lines at the end
            if len(row) != len(columns):
                problems.append(
                    Problem(
                        name,
                        where,
                        label,
                        message=_("%(found)d cells where the header has %(expected)d")
                        % {"found": len(row), "expected": len(columns)},
                    )
                )
                continue
            fields = {
                column: csvformat.from_cell(specs[column], cell)
                for column, cell in zip(columns, row, strict=True)
                if column in specs
            }
            objects.append(RawObject(name, where, model_name, fields, from_csv=True))
    except csv.Error as error:
        problems.append(
            Problem(name, f"line {reader.line_num}", label, message=_("not valid CSV: %(error)s") % {"error": error})
        )
    return objects, problems


def read_file(path):
    """(objects, problems) for one file."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return [], [Problem(name, message=_("cannot read the file: %(error)s") % {"error": error.strerror})]
    return read_bytes(name, data)


def read_bytes(name, data):
    """Parse uploaded or read bytes; the format follows the file name's suffix."""
    path = Path(name)
    if path.suffix.lower() == ".csv":
        return read_csv(name, data, path.stem)
    return read_json(name, data)


def json_kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__
