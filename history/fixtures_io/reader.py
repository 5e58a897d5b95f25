"""Read fixture files (canonical JSON, Django dumpdata JSON, per-model CSV) one object
at a time, turning every way a file can be broken into a Problem that says where.

JSON is parsed by ijson (its C backend, yajl2_c) and CSV by the csv module. Both read
through _Lines, which hands the bytes on a line at a time (at most CHUNK_SIZE bytes),
checks that they are UTF-8 and counts lines: a bad byte deep in a large file gets its
line and column, a syntax error its line. Nothing holds a whole file: the readers are
generators that yield each object (or an item's problem) as soon as it is read, and
stop at the first problem that ends the file; objects before it have been yielded
already, so a caller that must be all-or-nothing looks at every problem before it writes.
"""

import codecs
import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ijson
from django.utils.translation import gettext as _

from history import kinds

from . import csvformat
from .format import APP_LABEL, get_model, specs_by_name

SUFFIXES = (".json", ".csv")
CHUNK_SIZE = 64 * 1024  # bytes read at a time, at most
# Bytes read without completing an item (JSON) or a line (CSV): the limit that keeps a
# broken file (a string never closed) from being read into memory whole.
MAX_ITEM = 64 * 1024 * 1024
# Said in English inside the translated "not valid JSON/CSV: ...", as the parsers' own messages are.
TOO_LONG = f"an item is longer than {MAX_ITEM // (1024 * 1024)} MB, or a string in it is never closed"
# yajl's words for a whole number beyond 64 bits, which no field here holds.
TOO_LARGE = {"integer overflow": "integer overflow: a whole number with more digits than any field holds"}


@dataclass(frozen=True, slots=True)
class Place:
    """Where an object is: its file and its index in the JSON list (from 1) or its line in a CSV file."""

    file: str
    number: int

    @property
    def where(self):
        return f"line {self.number}" if is_csv(self.file) else f"object {self.number}"

    def __str__(self):
        return f"{self.file}, {self.where}"


@dataclass
class Problem:
    file: str
    where: str = ""  # "object 3", "line 12", "line 4, column 7"
    model: str = ""
    key: tuple = ()
    field: str = ""
    message: str = ""

    @classmethod
    def at(cls, place, *args, **kwargs):
        return cls(place.file, place.where, *args, **kwargs)

    def __str__(self):
        parts = [self.file, self.where]
        if self.model:
            parts.append(self.model + (f" {'/'.join(self.key)!r}" if any(self.key) else ""))
        if self.field:
            parts.append(_("field %(field)s") % {"field": self.field})
        return ": ".join([", ".join(part for part in parts if part), self.message])


@dataclass(slots=True)
class RawObject:
    place: Place
    model_name: str  # lower-case name without the app label
    fields: dict


def is_csv(name):
    return Path(str(name)).suffix.lower() == ".csv"


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


@cache
def model_names():
    """What fixtures carry: kinds.import_order(), worked out once per process (the
    models do not change while it runs), since every object asks."""
    return frozenset(kinds.import_order())


def model_name_from_label(label):
    if not isinstance(label, str):
        return None
    app, _dot, name = label.lower().rpartition(".")
    return name if app in ("", APP_LABEL) and name in model_names() else None


def iter_file(path, chunk_size=CHUNK_SIZE):
    """Yield the RawObjects and Problems of one file, in file order."""
    try:
        with open(path, "rb") as stream:
            yield from iter_stream(str(path), stream, chunk_size)
    except OSError as error:
        yield Problem(str(path), message=_("cannot read the file: %(error)s") % {"error": error.strerror})


def iter_bytes(name, data, chunk_size=CHUNK_SIZE):
    """The same for bytes already in memory (an upload); the format follows the name's suffix."""
    return iter_stream(name, io.BytesIO(data), chunk_size)


def iter_stream(name, stream, chunk_size=CHUNK_SIZE):
    csv_file = is_csv(name)
    lines = _Lines(stream, MAX_ITEM if csv_file else chunk_size, json=not csv_file)
    try:
        yield from (_iter_csv if csv_file else _iter_json)(name, lines)
    except _Fatal as fatal:
        where, message = fatal.args
        yield Problem(name, where, message=message)


class _Fatal(Exception):
    """A problem that ends the reading of a file: (where, message)."""


class _TooLong(Exception):
    """More than MAX_ITEM bytes without the end of an item (JSON) or of a record (CSV)."""


class _Lines:
    """A byte stream, a line (of at most `size` bytes) at a time, checked as UTF-8.
    `line` is the line the last piece came from; `unread` counts the bytes handed on
    since the reader last said an item was complete (`done()`)."""

    def __init__(self, stream, size, json):
        self.stream = stream
        self.size = max(int(size), 3)  # room for a byte order mark
        self.json = json
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.line, self.next_line, self.column = 1, 1, 0  # column: bytes before the next one on its line
        self.unread = 0
        self.blank = True  # nothing but whitespace so far

    def read(self, size=-1):
        """What ijson calls; read(0) is its probe for bytes or text."""
        return b"" if size == 0 else self._next()[0]

    def __iter__(self):
        """Decoded lines, for csv.reader."""
        while (piece := self._next())[0]:
            yield piece[1]

    def done(self):
        self.unread = 0

    def _next(self):
        data = self.stream.readline(self.size)
        if self.blank and data.strip():
            self.blank = False
            if self.json:
                _refuse_if_not_a_list(data.lstrip()[:1])
        if self.next_line == 1 and self.column == 0 and data.startswith(codecs.BOM_UTF8):
            if self.json:
                # RFC 8259 forbids a BOM in JSON; CSV may have one, since that is what
                # spreadsheets and our own CSV export (for Excel) write.
                message = _("the file starts with a byte order mark (BOM); save it as UTF-8 without BOM")
                raise _Fatal("line 1, column 1", message)
            data, self.column = data[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
        pending = self.decoder.getstate()[0]  # the start of a character cut by the last piece
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            column = self.column - len(pending) + error.start + 1
            message = _("byte 0x%(byte)02x is not valid UTF-8; save the file as UTF-8")
            byte = (pending + data)[error.start]
            raise _Fatal(f"line {self.next_line}, column {column}", message % {"byte": byte}) from None
        self.line = self.next_line
        if data.endswith(b"\n"):
            self.next_line, self.column = self.next_line + 1, 0
        else:
            self.column += len(data)
        self.unread += len(data)
        if self.unread > MAX_ITEM:
            raise _TooLong
        return data, text


# What a JSON document holds, from its first character.
FIRST = {b"{": {}, b'"': "", b"t": True, b"f": False, b"n": None, **{bytes([c]): 0 for c in b"-0123456789"}}


def _refuse_if_not_a_list(first):
    """A JSON file that does not start with "[" is refused from its first character,
    without reading it whole; one that is not JSON at all is left to ijson to explain."""
    if first in FIRST:
        kind = json_kind(FIRST[first])
        raise _Fatal("", _("the file must hold a JSON list of objects, not %(kind)s") % {"kind": kind})


def _iter_json(name, lines):
    number = 0
    try:
        for number, item in enumerate(ijson.items(lines, "item", use_float=True), start=1):  # noqa: B007
            lines.done()
            yield from _check_item(Place(name, number), item)
    except _TooLong:
        raise _Fatal(f"object {number + 1}", _("not valid JSON: %(error)s") % {"error": TOO_LONG}) from None
    except ijson.JSONError as error:
        if lines.blank:
            raise _Fatal("", _("the file is empty")) from None
        text = error.args[0] if error.args else ""
        if isinstance(text, bytes):  # yajl's excerpt may cut a character in two
            text = text.decode("utf-8", "replace")
        reason, _newline, context = text.partition("\n")
        reason = reason.partition(": ")[2] or reason  # drop "parse error: ", "lexical error: "
        message = _("not valid JSON: %(error)s") % {"error": TOO_LARGE.get(reason, reason)}
        if reason == "premature EOF":
            message += " " + _("(the file ends too early; is it cut off?)")
        elif excerpt := context.partition("\n")[0].strip():
            message += f" ({excerpt})"
        raise _Fatal(f"line {lines.line}", message) from None


def _check_item(place, item):
    """The RawObject of one array item, or the problems that keep it from being one."""
    if not isinstance(item, dict):
        yield Problem.at(place, message=_("each item must be a JSON object, not %(kind)s") % {"kind": json_kind(item)})
        return
    unknown = sorted(set(item) - {"model", "fields", "pk"})
    if unknown:
        message = _("unknown key %(keys)s; an item holds model and fields") % {"keys": ", ".join(unknown)}
        yield Problem.at(place, message=message)
    label = item.get("model")
    model_name = model_name_from_label(label)
    if model_name is None:
        shown = label if isinstance(label, str) else json_kind(label)  # never the repr of a deep structure
        yield Problem.at(place, message=_("unknown model %(model)r") % {"model": shown})
        return
    if not isinstance(item.get("fields"), dict):
        yield Problem.at(place, f"{APP_LABEL}.{model_name}", message=_("'fields' must be a JSON object"))
        return
    yield RawObject(place, model_name, item["fields"])


def _iter_csv(name, lines):
    model_name = model_name_from_label(Path(name).stem)
    if model_name is None:
        yield Problem(name, message=_("unknown model: name a CSV file after its model, e.g. event.csv"))
        return
    specs = specs_by_name(get_model(model_name))
    label = f"{APP_LABEL}.{model_name}"
    reader = csv.reader(lines, strict=True)
    try:
        header = [column.strip() for column in next(reader, [])]
        if lines.blank:
            raise _Fatal("", _("the file is empty"))
        for number, column in enumerate(header, start=1):
            if column not in specs:
                yield Problem(name, f"line 1, column {number}", label, field=column, message=_("unknown field"))
        line = reader.line_num
        for row in reader:
            lines.done()
            place, line = Place(name, line + 1), reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # spreadsheets leave blank lines at the end
            if len(row) != len(header):
                message = _("%(found)d cells where the header has %(expected)d")
                yield Problem.at(place, label, message=message % {"found": len(row), "expected": len(header)})
                continue
            cells = zip(header, row, strict=True)
            fields = {column: csvformat.from_cell(specs[column], cell) for column, cell in cells if column in specs}
            yield RawObject(place, model_name, fields)
    except (_TooLong, csv.Error) as error:
        # A line too long is the one after the last line the csv reader had; a CSV error is in that line.
        line, reason = (reader.line_num + 1, TOO_LONG) if isinstance(error, _TooLong) else (reader.line_num, error)
        yield Problem(name, f"line {line}", label, message=_("not valid CSV: %(error)s") % {"error": reason})


def json_kind(value):
    """What a JSON value is, in words ("a list"), for messages."""
    kinds_of_value = [(bool, _("true/false")), (int | float, _("a number")), (str, _("text")), (list, _("a list"))]
    for types, kind in [(type(None), "null"), *kinds_of_value, (dict, _("an object"))]:
        if isinstance(value, types):
            return kind
    return type(value).__name__
