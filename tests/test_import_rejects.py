"""import_fixtures: every bad object, file and CSV cell is named, and nothing changes."""

import pytest

from history.models import Event
from tests.importing import assert_rejected, build_content, valid_event, write_json

pytestmark = pytest.mark.django_db


BAD_EVENTS = [
    ("wrong type", valid_event(milestone="yes"), ["milestone", "expected true or false"]),
    ("over-long text", valid_event(title_en="x" * 201), ["title_en", "at most 200 characters"]),
    ("invalid choice", valid_event(event_type="party"), ["event_type", "not a valid choice"]),
    ("impossible date", valid_event(start_date="2002-02-30"), ["start_date", "invalid date"]),
    ("end before start", valid_event(end_date="2001-01-01"), ["end_date", "cannot be before the start"]),
    ("unknown field", valid_event(colour="red"), ["colour", "unknown field"]),
    ("missing reference", valid_event(conference=["no-such-conference"]), ["conference", "no-such-conference"]),
    ("published without citation", valid_event(status="published"), ["status", "citation"]),
]


def missing_required():
    item = valid_event()
    del item["fields"]["summary_en"]
    return item


@pytest.mark.parametrize(("label", "item", "expected"), BAD_EVENTS, ids=[case[0] for case in BAD_EVENTS])
def test_bad_object_is_named_and_nothing_changes(tmp_path, capsys, label, item, expected):
    build_content()
    path = write_json(tmp_path, "event.json", [valid_event(slug="fine"), item])
    assert_rejected(path)
    err = capsys.readouterr().err
    assert f"{path}, object 2, history.event 'an-event'" in err
    for text in expected:
        assert text in err
    assert not Event.objects.filter(slug="fine").exists()


def test_missing_required_field(tmp_path, capsys):
    path = write_json(tmp_path, "event.json", [missing_required()])
    assert_rejected(path)
    assert "object 1, history.event 'an-event', field summary_en: required field is missing" in capsys.readouterr().err


def test_negative_amount(tmp_path, capsys):
    item = {
        "model": "history.aidprogram",
        "fields": {
            "slug": "p",
            "title_en": "P",
            "summary_en": "S",
            "sector": "11230",
            "start_date": "2008-03-01",
            "amount": "-1.00",
        },
    }
    assert_rejected(write_json(tmp_path, "aidprogram.json", [item]))
    assert "field amount: An amount cannot be negative." in capsys.readouterr().err


def test_same_natural_key_twice(tmp_path, capsys):
    path = write_json(tmp_path, "event.json", [valid_event(), valid_event(title_en="Again")])
    assert_rejected(path)
    assert f"object 2, history.event 'an-event': the same natural key appears twice; first at {path}, object 1" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("label", "content", "expected"),
    [
        ("malformed", b'[{"model": "history.event" "fields": {}}]', "line 1: not valid JSON"),
        ("truncated", b'[\n  {"model": "history.event",\n', "line 3: not valid JSON"),
        (
            "not utf-8",
            '[{"model": "history.event", "fields": {"slug": "café"}}]'.encode("latin-1"),
            "line 1, column 52: byte 0xe9 is not valid UTF-8",
        ),
        ("bom", b"\xef\xbb\xbf[]", "byte order mark"),
        ("empty", b"", "the file is empty"),
        ("only whitespace", b" \n\t\n", "the file is empty"),
        ("not a list", b'{"model": "history.event"}', "must hold a JSON list of objects, not an object"),
        ("text, not a list", b'"history.event"', "must hold a JSON list of objects, not text"),
        ("not JSON at all", b"<html></html>", "line 1: not valid JSON"),
        ("NaN is not JSON", b"[NaN]", "line 1: not valid JSON"),
        ("string never closed", b'[{"model": "history.event", "fields": {"slug": "' + b"x" * 1000, "ends too early"),
        ("nested 5,000 deep", b"[" * 5001 + b"]" * 5001, "object 1: each item must be a JSON object, not a list"),
        (
            "nested 5,000 deep in a field",
            b'[{"model": "history.event", "fields": {"title_en": ' + b"[" * 5000 + b"]" * 5000 + b"}}]",
            "object 1, history.event, field title_en: expected text, got a list",
        ),
        (
            "a model name nested 5,000 deep",
            b'[{"model": ' + b"[" * 5000 + b"]" * 5000 + b', "fields": {}}]',
            "object 1: unknown model 'a list'",
        ),
        (
            "an integer of 5,000 digits",
            b'[{"model": "history.event", "fields": {"milestone": ' + b"9" * 5000 + b"}}]",
            "line 1: not valid JSON: integer overflow",
        ),
        ("item not an object", b'[["history.event"]]', "object 1: each item must be a JSON object, not a list"),
        (
            "unknown model",
            b'[{"model": "history.dinosaur", "fields": {}}]',
            "object 1: unknown model 'history.dinosaur'",
        ),
    ],
)
def test_bad_file_is_named_and_nothing_changes(tmp_path, capsys, label, content, expected):
    build_content()
    path = tmp_path / "event.json"
    path.write_bytes(content)
    assert_rejected(path)
    err = capsys.readouterr().err
    assert str(path) in err and expected in err
    if label == "truncated":
        assert "ends too early" in err
    assert "Traceback" not in err


def test_path_that_does_not_exist(tmp_path, capsys):
    assert_rejected(tmp_path / "nowhere.json")
    assert "nowhere.json: no such file or folder" in capsys.readouterr().err


def test_every_error_is_reported_not_only_the_first(tmp_path, capsys):
    path = write_json(
        tmp_path,
        "event.json",
        [valid_event(slug="one", start_date="2002-02-30"), 7, valid_event(slug="two", event_type="party", colour=1)],
    )
    assert_rejected(path)
    err = capsys.readouterr().err
    assert "object 1, history.event 'one', field start_date" in err
    assert "object 2: each item must be a JSON object" in err
    assert "object 3, history.event 'two', field event_type" in err
    assert "object 3, history.event 'two', field colour: unknown field" in err


def test_csv_errors_name_the_line(tmp_path, capsys):
    path = tmp_path / "event.csv"
    path.write_text(
        "slug,title_en,summary_en,start_date,milestone\r\nok,T,S,2002-01-01,false\r\nbad,T,S,2002-13-01,maybe\r\n",
        encoding="utf-8",
    )
    assert_rejected(path)
    err = capsys.readouterr().err
    assert f"{path}, line 3, history.event 'bad', field milestone: expected true or false" in err
    assert f"{path}, line 3, history.event 'bad', field start_date" in err


def test_csv_whole_number_of_5000_digits_is_named(tmp_path, capsys):
    path = tmp_path / "conference.csv"
    header = "slug,title_en,summary_en,start_date,countries_attending"
    path.write_text(f"{header}\r\nc,T,S,2002-01-21,{'9' * 5000}\r\n", encoding="utf-8")
    assert_rejected(path)
    err = capsys.readouterr().err
    assert f"{path}, line 2, history.conference 'c', field countries_attending: expected a whole number" in err
    assert "Traceback" not in err


def test_help_says_an_operator_has_full_rights():
    from history.management.commands.import_fixtures import Command

    text = " ".join(Command().create_parser("manage.py", "import_fixtures").format_help().split())
    assert "history.publish_content" in text
    assert "Without --user the import runs with the operator's full rights" in text
