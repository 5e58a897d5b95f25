"""Read fixture files (canonical JSON, Django dumpdata JSON, per-model CSV) into raw
objects, one at a time, turning every way a file can be broken into a Problem that
says where.

Files are read in chunks of CHUNK_SIZE bytes and never held whole: a JSON file must be
a top-level array, whose items are decoded one by one with JSONDecoder.raw_decode; a
CSV file goes through csv.reader line by line. Bytes become text through an incremental
UTF-8 decoder that counts lines, so a bad byte deep in a large file still gets its line
and column. The readers are generators: they yield each object (or an item's problem)
as soon as it is read, and stop at the first problem that ends the file (bad byte,
JSON syntax, CSV quoting); objects before it have been yielded already, so a caller that
must be all-or-nothing has to look at every problem before it writes.
"""

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from . import csvformat
from .format import APP_LABEL, MODEL_ORDER, get_model, specs_by_name

SUFFIXES = (".json", ".csv")
CHUNK_SIZE = 64 * 1024  # bytes read at a time
# A value this close to the end of the text read so far may be cut by the chunk
# boundary ("1|.5", "tr|ue", "\u00|e9"), so it is decoded again with more text.
LOOKAHEAD = 64
# One item of the array may not be larger than this (in characters): the limit that
# keeps a broken file (a string never closed) from being read into memory whole.
MAX_ITEM = 64 * 1024 * 1024
# Said in English inside the translated "not valid JSON/CSV: ...", as json's own messages are.
TOO_LONG = f"an item is longer than {MAX_ITEM // (1024 * 1024)} MB, or a string in it is never closed"

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
_LINE_END = re.compile(r"\r\n|\r|\n")  # universal newlines, as open(newline="") reads CSV


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


@dataclass(slots=True)
class RawObject:
    file: str
    number: int  # the item's index in a JSON array (from 1), or its line in a CSV file
    model_name: str  # lower-case name without the app label
    fields: dict
    from_csv: bool = False

    @property
    def where(self):
        return where(self.number, self.from_csv)


def where(number, from_csv):
    return f"line {number}" if from_csv else f"object {number}"


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


def model_name_from_label(label):
    if not isinstance(label, str):
        return None
    app, _dot, name = label.lower().rpartition(".")
    if app not in ("", APP_LABEL) or name not in MODEL_ORDER:
        return None
    return name


# Entry points -------------------------------------------------------------------------


def iter_file(path, chunk_size=CHUNK_SIZE):
    """Yield the RawObjects and Problems of one file, in file order."""
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, also when the caller stops early
    except OSError as error:
        yield Problem(name, message=_("cannot read the file: %(error)s") % {"error": error.strerror})
        return
    with stream:
        try:
            yield from iter_stream(name, stream, chunk_size)
        except OSError as error:
            yield Problem(name, message=_("cannot read the file: %(error)s") % {"error": error.strerror})


def iter_bytes(name, data, chunk_size=CHUNK_SIZE):
    """The same for bytes already in memory (an upload); the format follows the name's suffix."""
    return iter_stream(name, io.BytesIO(data), chunk_size)


def iter_stream(name, stream, chunk_size=CHUNK_SIZE):
    if is_csv(name):
        return _iter_csv(name, stream, Path(name).stem, chunk_size)
    return _iter_json(name, stream, chunk_size)


# Bytes to text --------------------------------------------------------------------------


class _Fatal(Exception):
    """A problem that ends the reading of a file."""

    def __init__(self, where="", message=""):
        super().__init__(message)
        self.where = where
        self.message = message


class _Text:
    """The text of a byte stream, a chunk at a time, keeping count of lines so that a
    byte that is not UTF-8 is reported at its line and column (counted in bytes)."""

    def __init__(self, stream, chunk_size, allow_bom):
        self.stream = stream
        self.chunk_size = max(int(chunk_size), 1)
        self.allow_bom = allow_bom
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.offset = 0  # bytes read so far
        self.lines = 0  # b"\n" among them
        self.line_start = 0  # offset of the byte after the last b"\n"
        self.blank = True  # nothing but whitespace so far
        self.first = True
        self.eof = False

    def read(self):
        """The next piece of text; "" once the stream is exhausted (then self.eof)."""
        if self.eof:
            return ""
        data = self.stream.read(self.chunk_size)
        final = not data
        if self.first:
            self.first = False
            data = self._without_bom(data)
        if self.blank and data.strip():
            self.blank = False
        pending = self.decoder.getstate()[0]  # the start of a character cut by the last chunk
        try:
            text = self.decoder.decode(data, final)
        except UnicodeDecodeError as error:
            raise self._bad_byte(pending + data, error.start, self.offset - len(pending)) from None
        if final:
            self.eof = True
            if self.blank:
                raise _Fatal(message=_("the file is empty"))
        newlines = data.count(b"\n")
        if newlines:
            self.lines += newlines
            self.line_start = self.offset + data.rindex(b"\n") + 1
        self.offset += len(data)
        return text

    def _without_bom(self, data):
        while 0 < len(data) < len(codecs.BOM_UTF8):  # tiny chunks: look at three bytes
            more = self.stream.read(self.chunk_size)
            if not more:
                break
            data += more
        if not data.startswith(codecs.BOM_UTF8):
            return data
        if not self.allow_bom:
            # JSON must not start with a byte order mark (RFC 8259, 8.1); CSV may, since
            # that is what spreadsheets write and what our own CSV export writes for Excel.
            raise _Fatal(
                "line 1, column 1", _("the file starts with a byte order mark (BOM); save it as UTF-8 without BOM")
            )
        self.offset = self.line_start = len(codecs.BOM_UTF8)
        self.blank = False
        return data[len(codecs.BOM_UTF8) :]

    def _bad_byte(self, data, index, data_offset):
        line = self.lines + data.count(b"\n", 0, index) + 1
        newline = data.rfind(b"\n", 0, index)
        start = data_offset + newline + 1 if newline >= 0 else self.line_start
        column = data_offset + index - start + 1
        return _Fatal(
            f"line {line}, column {column}",
            _("byte 0x%(byte)02x is not valid UTF-8; save the file as UTF-8") % {"byte": data[index]},
        )


# JSON -----------------------------------------------------------------------------------


class _JsonArray:
    """The items of a top-level JSON array, decoded one by one from a _Text.

    Only the text from the current item on is kept (`self.text`); `self.base` is the
    position of its first character in the whole file, and `self.lines` / `self.line_start`
    count what was dropped, so that errors get the line and column json.loads would give."""

    decoder = json.JSONDecoder()

    def __init__(self, source):
        self.source = source
        self.text = ""
        self.pos = 0
        self.base = 0
        self.lines = 0
        self.line_start = 0  # position in the file of the character after the last "\n" dropped

    def items(self):
        self._skip_whitespace()
        if self._at_end():
            raise self._error("Expecting value", self.pos)  # whitespace only, but not b"" (see _Text)
        first = self.text[self.pos]
        if first != "[":
            kind = _first_char_kind(first)
            if kind is None:  # not JSON at all: let json say why
                self._decode()
            raise _NotAList(kind)
        self.pos += 1
        self._skip_whitespace()
        if not self._at_end() and self.text[self.pos] == "]":
            self.pos += 1
        else:
            while True:
                yield self._decode()
                self._skip_whitespace()
                if self._at_end():
                    raise self._error("Expecting ',' delimiter", self.pos)
                separator = self.text[self.pos]
                self.pos += 1
                if separator == "]":
                    break
                if separator != ",":
                    raise self._error("Expecting ',' delimiter", self.pos - 1)
                self._skip_whitespace()
        self._skip_whitespace()
        if not self._at_end():
            raise self._error("Extra data", self.pos)

    def _decode(self):
        while True:
            if not self.source.eof and len(self.text) - self.pos < LOOKAHEAD:
                self._fill()
                continue
            try:
                value, end = self.decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if not self.source.eof and (
                    error.pos >= len(self.text) - LOOKAHEAD or error.msg.startswith("Unterminated string")
                ):
                    self._fill()  # the item may just be cut by the chunk boundary
                    continue
                raise self._error(error.msg, error.pos) from None
            if not self.source.eof and len(self.text) - end < LOOKAHEAD:
                self._fill()  # a number might go on in the next chunk
                continue
            self.pos = end
            return value

    def _skip_whitespace(self):
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text) or self.source.eof:
                return
            self._fill()

    def _at_end(self):
        return self.pos >= len(self.text) and self.source.eof

    def _fill(self):
        """Drop the text before self.pos and read at least as much again as is left, so
        that an item spread over many chunks is decoded a logarithmic number of times."""
        dropped = self.pos
        if dropped:
            newlines = self.text.count("\n", 0, dropped)
            if newlines:
                self.lines += newlines
                self.line_start = self.base + self.text.rindex("\n", 0, dropped) + 1
            self.base += dropped
            self.text = self.text[dropped:]
            self.pos = 0
        if len(self.text) > MAX_ITEM:
            raise self._error(TOO_LONG, 0)
        pieces = [self.text]
        wanted = max(len(self.text), 1)
        added = 0
        while added < wanted and not self.source.eof:
            piece = self.source.read()
            pieces.append(piece)
            added += len(piece)
        self.text = "".join(pieces)

    def _where(self, index):
        line = self.lines + self.text.count("\n", 0, index) + 1
        newline = self.text.rfind("\n", 0, index)
        start = newline + 1 if newline >= 0 else self.line_start - self.base
        return f"line {line}, column {index - start + 1}"

    def _error(self, message, index):
        text = _("not valid JSON: %(error)s") % {"error": message}
        # Cut off: nothing but whitespace after the error, or a string still open at the end.
        if self.source.eof and (not self.text[index:].strip() or message.startswith("Unterminated string")):
            text += " " + _("(the file ends too early; is it cut off?)")
        return _Fatal(self._where(index), text)


class _NotAList(Exception):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def _first_char_kind(char):
    """What a JSON document that does not start with "[" holds, from its first character,
    so that a large file that is not a list is refused without reading it whole."""
    if char == "{":
        return _("an object")
    if char == '"':
        return _("text")
    if char in "-0123456789NI":
        return _("a number")
    if char in "tf":
        return _("true/false")
    if char == "n":
        return "null"
    return None


def _iter_json(name, stream, chunk_size):
    array = _JsonArray(_Text(stream, chunk_size, allow_bom=False))
    try:
        for index, item in enumerate(array.items(), start=1):
            yield from _check_item(name, index, item)
    except _Fatal as fatal:
        yield Problem(name, fatal.where, message=fatal.message)
    except _NotAList as error:
        kind = error.kind
        yield Problem(name, message=_("the file must hold a JSON list of objects, not %(kind)s") % {"kind": kind})


def _check_item(name, index, item):
    """The RawObject of one array item, or the problems that keep it from being one."""
    place = where(index, False)
    if not isinstance(item, dict):
        yield Problem(
            name, place, message=_("each item must be a JSON object, not %(kind)s") % {"kind": json_kind(item)}
        )
        return
    unknown = sorted(set(item) - {"model", "fields", "pk"})
    if unknown:
        yield Problem(
            name,
            place,
            message=_("unknown key %(keys)s; an item holds model and fields") % {"keys": ", ".join(unknown)},
        )
    model_name = model_name_from_label(item.get("model"))
    if model_name is None:
        yield Problem(name, place, message=_("unknown model %(model)r") % {"model": item.get("model")})
        return
    fields = item.get("fields")
    if not isinstance(fields, dict):
        yield Problem(name, place, f"{APP_LABEL}.{model_name}", message=_("'fields' must be a JSON object"))
        return
    yield RawObject(name, index, model_name, fields)


# CSV ------------------------------------------------------------------------------------


def _lines(source):
    """Lines of a _Text with their line ends, split as open(newline="") does."""
    rest = ""
    while True:
        piece = source.read()
        text = rest + piece
        start = 0
        for match in _LINE_END.finditer(text):
            if match.end() == len(text) and match.group() == "\r" and not source.eof:
                break  # perhaps the first half of "\r\n"
            yield text[start : match.end()]
            start = match.end()
        rest = text[start:]
        if len(rest) > MAX_ITEM:
            raise _Fatal(message=_("not valid CSV: %(error)s") % {"error": TOO_LONG})
        if source.eof:
            if rest:
                yield rest
            return


def _iter_csv(name, stream, stem, chunk_size):
    model_name = model_name_from_label(stem)
    if model_name is None:
        yield Problem(name, message=_("unknown model: name a CSV file after its model, e.g. event.csv"))
        return
    specs = specs_by_name(get_model(model_name))
    label = f"{APP_LABEL}.{model_name}"
    reader = csv.reader(_lines(_Text(stream, chunk_size, allow_bom=True)), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise _Fatal(message=_("the file is empty"))
        columns = []
        for number, column in enumerate(header, start=1):
            column = column.strip()
            if column not in specs:
                yield Problem(name, f"line 1, column {number}", label, field=column, message=_("unknown field"))
            columns.append(column)
        line = reader.line_num
        for row in reader:
            number = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # spreadsheets leave blank lines at the end
            if len(row) != len(columns):
                yield Problem(
                    name,
                    where(number, True),
                    label,
                    message=_("%(found)d cells where the header has %(expected)d")
                    % {"found": len(row), "expected": len(columns)},
                )
                continue
            fields = {
                column: csvformat.from_cell(specs[column], cell)
                for column, cell in zip(columns, row, strict=True)
                if column in specs
            }
            yield RawObject(name, number, model_name, fields, from_csv=True)
    except _Fatal as fatal:
        yield Problem(name, fatal.where, message=fatal.message)
    except csv.Error as error:
        yield Problem(name, f"line {reader.line_num}", label, message=_("not valid CSV: %(error)s") % {"error": error})


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
