"""The fixture reader streams: objects come one at a time, files are never held
whole, and every way a file can be broken is a Problem that says where."""

import io
import json

import pytest

from history.fixtures_io.reader import Problem, RawObject, iter_bytes, iter_stream


def valid_event(**fields):
    base = {"slug": "an-event", "title_en": "An event", "summary_en": "S.", "start_date": "2002-01-21"}
    return {"model": "history.event", "fields": {**base, **fields}}


def many_events(count, **fields):
    return [
        valid_event(slug=f"e-{n:05d}", title_ja=f"出来事 {n}", summary_en="Ünïcödé " * (1 + n % 7), **fields)
        for n in range(count)
    ]


def read_all(name, data, chunk_size=4096):
    return list(iter_bytes(name, data, chunk_size=chunk_size))


class CountingStream(io.BytesIO):
    """Counts the bytes the reader takes from it, however it asks."""

    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.bytes_read += len(data)
        return data


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, 1000])
def test_reader_decodes_an_array_split_across_chunks(chunk_size):
    items = many_events(40)
    items[3]["fields"]["title_en"] = "x" * 300 + ' \\ " \u00e9 \t'  # longer than a chunk, escapes
    items[5]["fields"]["nested"] = {"numbers": [1.5e3, -0.25, 1234567890123456789, True, None]}
    data = json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")
    objects = read_all("event.json", data, chunk_size)
    assert [obj.fields for obj in objects] == [item["fields"] for item in items]
    assert [obj.place.where for obj in objects[:2]] == ["object 1", "object 2"]
    compact = json.dumps(items, ensure_ascii=True, separators=(",", ":")).encode()  # one long line
    assert [obj.fields for obj in read_all("event.json", compact, chunk_size)] == [item["fields"] for item in items]


def test_reader_reads_csv_records_over_several_lines():
    text = 'slug,title_en,summary_en,start_date\r\na,"Two\r\nlines",Ünïcödé,2002-01-01\r\nb,"q ""x""",S,2002-01-02\r\n'
    objects = read_all("event.csv", ("\ufeff" + text).encode("utf-8"))
    assert [(obj.place.where, obj.fields["title_en"], obj.fields["summary_en"]) for obj in objects] == [
        ("line 2", "Two\r\nlines", "Ünïcödé"),
        ("line 4", 'q "x"', "S"),
    ]


def json_error_line(text):
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"line {error.lineno}"
    raise AssertionError("the text is valid JSON")


@pytest.mark.parametrize("chunk_size", [3, 100, 65536])
def test_reader_places_truncation_and_syntax_errors_on_the_line_json_names(chunk_size):
    text = json.dumps(many_events(300), ensure_ascii=False, indent=2)
    cut = text[: len(text) * 2 // 3]
    *objects, problem = read_all("event.json", cut.encode("utf-8"), chunk_size)
    assert isinstance(problem, Problem)
    assert problem.where == json_error_line(cut)
    assert "not valid JSON" in problem.message and "ends too early" in problem.message
    assert len(objects) == cut.count('"model"') - 1  # every complete object before the cut

    broken = text.replace('"slug": "e-00150"', '"slug" "e-00150"')
    *objects, problem = read_all("event.json", broken.encode("utf-8"), chunk_size)
    assert problem.where == json_error_line(broken)
    assert problem.message.startswith("not valid JSON: object key and value must be separated by a colon")
    assert len(objects) == 150


@pytest.mark.parametrize("chunk_size", [2, 5, 4096])
def test_reader_places_a_bad_byte_deep_in_a_large_file(chunk_size):
    data = json.dumps(many_events(400), ensure_ascii=False, indent=2).encode("utf-8")
    target = data.index("出来事 250".encode())
    data = data[:target] + b"\xe9" + data[target:]  # a Latin-1 é before a Japanese character
    line = data.count(b"\n", 0, target) + 1
    column = target - data.rfind(b"\n", 0, target)
    *_objects, problem = read_all("event.json", data, chunk_size)
    assert problem.where == f"line {line}, column {column}"
    assert problem.message.startswith("byte 0xe9 is not valid UTF-8")


def test_a_bad_byte_in_a_file_of_one_long_line_gets_its_column():
    data = json.dumps(many_events(400), ensure_ascii=False).encode("utf-8")  # no newline at all
    target = data.index("出来事 250".encode())
    problem = read_all("event.json", data[:target] + b"\xff" + data[target:], 1000)[-1]
    assert problem.where == f"line 1, column {target + 1}"


def test_reader_yields_objects_before_reading_the_rest():
    good = json.dumps(many_events(2), ensure_ascii=False, indent=2).encode("utf-8")[:-2]  # drop "\n]"
    data = good + b",\n" + b"x" * 200_000  # the file ends in garbage
    stream = CountingStream(data)
    objects = iter_stream("event.json", stream, chunk_size=1024)
    first = next(objects)
    assert isinstance(first, RawObject) and first.fields["slug"] == "e-00000"
    assert stream.bytes_read < 10_000  # read one chunk or so, not the whole file
    rest = list(objects)
    assert isinstance(rest[0], RawObject) and rest[0].fields["slug"] == "e-00001"
    line = data.count(b"\n", 0, data.index(b"xxx")) + 1
    assert (rest[1].where, rest[1].message[:42]) == (f"line {line}", "not valid JSON: invalid char in json text.")
    assert stream.bytes_read < 10_000  # the garbage is not read to its end


def test_a_file_that_is_not_a_list_is_refused_without_reading_it_whole():
    stream = CountingStream(b'{"model": "history.event", "fields": {' + b" " * 500_000 + b"}}")
    (problem,) = iter_stream("event.json", stream, chunk_size=4096)
    assert "must hold a JSON list of objects, not an object" in problem.message
    assert stream.bytes_read <= 8192


def test_a_string_never_closed_is_refused_without_reading_the_whole_file(monkeypatch):
    from history.fixtures_io import reader

    monkeypatch.setattr(reader, "MAX_ITEM", 10_000)
    stream = CountingStream(b'[{"model": "history.event", "fields": {"slug": "' + b"x" * 1_000_000)
    (problem,) = reader.iter_stream("event.json", stream, chunk_size=1000)
    assert "never closed" in problem.message and problem.where == "object 1"
    assert stream.bytes_read < 50_000


def test_a_csv_line_never_ended_is_refused_without_reading_the_whole_file(monkeypatch):
    from history.fixtures_io import reader

    monkeypatch.setattr(reader, "MAX_ITEM", 10_000)
    stream = CountingStream(b'slug,title_en\r\na,"' + b"x" * 1_000_000)
    (problem,) = reader.iter_stream("event.csv", stream)
    assert "never closed" in problem.message and problem.where == "line 2"
    assert stream.bytes_read < 50_000


def test_the_json_parser_is_ijsons_c_backend():
    """The benchmark's speed rests on yajl2_c; the pure-Python fallback is ten times slower."""
    import ijson

    assert ijson.backend == "yajl2_c"
