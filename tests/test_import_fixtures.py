"""import_fixtures: validation of every object, upsert by natural key, all or nothing."""

import json
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from history import kinds
from history.fixtures_io.exporter import export
from history.fixtures_io.format import get_model
from history.fixtures_io.importer import Importer
from history.models import Citation, Event, Source
from tests.factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProvinceFactory,
    SourceFactory,
    cited,
)

pytestmark = pytest.mark.django_db


def build_content():
    """A small but complete graph: every model, m2m, Unicode in three scripts."""
    organisation = OrganizationFactory(slug="jica", name_en="JICA", name_ja="国際協力機構")
    conference = cited(
        ConferenceFactory(slug="tokyo-2002", title_ja="アフガニスタン復興支援国際会議", total_pledged="4500000000")
    )
    conference.hosts.set([organisation])
    program = cited(AidProgramFactory(slug="literacy", title_fa_af="سواد آموزی", amount="91000000.5"))
    program.provinces.set([ProvinceFactory(slug="kabul", name_ps="کابل")])
    ParticipationFactory(aidprogram=program, organization=organisation)
    event = cited(EventFactory(slug="relations-1931", conference=conference, title_ps="اړیکې"), locator="p. 4")
    event.aidprograms.set([program])
    ClaimFactory(disagreement=DisagreementFactory(slug="when", event=event), value_en="1931")
    return event


def snapshot():
    """Every model's rows as the exporter sees them, plus the history row count."""
    from history.fixtures_io.format import iter_records

    order = kinds.import_order()
    rows = {name: sorted(record[1:] for record in iter_records(name)) for name in order}  # keys are unique
    history = sum(get_model(name).history.count() for name in order if hasattr(get_model(name), "history"))
    return rows, history


def wipe():
    for name in reversed(kinds.import_order()):
        get_model(name)._base_manager.all().delete()


def files_of(folder):
    return {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir())}


def write_json(folder, name, items):
    path = Path(folder) / name
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def run(*paths, **options):
    call_command("import_fixtures", *[str(p) for p in paths], **options)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_gives_identical_bytes(tmp_path, fmt):
    build_content()
    call_command("export_fixtures", output=str(tmp_path / "a"), format=fmt)
    wipe()
    assert not Event.objects.exists()
    run(tmp_path / "a")
    call_command("export_fixtures", output=str(tmp_path / "b"), format=fmt)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert Event.objects.get(slug="relations-1931").title_ps == "اړیکې"


def test_second_import_changes_nothing(tmp_path, capsys):
    build_content()
    export(tmp_path)
    wipe()
    run(tmp_path)
    before = snapshot()
    updated_at = list(Event.objects.values_list("updated_at", flat=True))
    run(tmp_path)
    out = capsys.readouterr().out
    assert "history.event: 0 created, 0 updated, 1 unchanged" in out
    assert snapshot() == before  # no new history rows either
    assert list(Event.objects.values_list("updated_at", flat=True)) == updated_at


def test_import_records_history_and_search_text(tmp_path):
    build_content()
    export(tmp_path)
    wipe()
    run(tmp_path)
    event = Event.objects.get(slug="relations-1931")
    assert "اړیکې" in event.search_text
    assert event.history.first().history_change_reason.startswith("import_fixtures from")


def account(name, publisher=False):
    """An editor, or (publisher=True) a publisher: the roles from history.publishing."""
    from django.contrib.auth.models import Group, User

    from history.publishing import EDITORS, PUBLISHERS, sync_roles

    sync_roles()  # a transactional test case may have flushed the groups
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS if publisher else EDITORS))
    return user


def test_import_records_who_imported_when_named(tmp_path):
    build_content()
    export(tmp_path)
    wipe()
    operator = account("nadia", publisher=True)
    run(tmp_path, user="nadia")
    assert Event.objects.get(slug="relations-1931").history.first().history_user == operator


def test_import_refuses_an_unknown_user_and_changes_nothing(tmp_path):
    build_content()
    export(tmp_path)
    wipe()
    with pytest.raises(CommandError, match="There is no user “nobody”"):
        run(tmp_path, user="nobody")
    assert Event.objects.count() == 0


def test_changed_file_updates_only_that_record(tmp_path, capsys):
    build_content()
    EventFactory(slug="other", status="draft")
    export(tmp_path)
    items = json.loads((tmp_path / "event.json").read_text(encoding="utf-8"))
    items[0]["fields"]["title_ja"] = "国交樹立"
    (tmp_path / "event.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    history_before = Event.history.count()
    run(tmp_path)
    assert "history.event: 0 created, 1 updated, 1 unchanged" in capsys.readouterr().out
    assert Event.history.count() == history_before + 1
    changed = Event.objects.get(slug=items[0]["fields"]["slug"])
    assert changed.title_ja == "国交樹立"
    assert changed.history.first().history_change_reason == "import_fixtures from event.json"
    assert "国交樹立" in changed.search_text


def test_dry_run_writes_nothing(tmp_path, capsys):
    build_content()
    export(tmp_path)
    wipe()
    before = snapshot()
    run(tmp_path, dry_run=True)
    assert "history.event: 1 created" in capsys.readouterr().out
    assert snapshot() == before


def test_prune_lists_and_deletes_and_dry_run_only_lists(tmp_path, capsys):
    build_content()
    export(tmp_path)
    EventFactory(slug="not-in-files", status="draft")
    run(tmp_path / "event.json", prune=True, dry_run=True)
    assert "would delete history.event not-in-files" in capsys.readouterr().out
    assert Event.objects.filter(slug="not-in-files").exists()
    run(tmp_path / "event.json", prune=True)
    out = capsys.readouterr().out
    assert "deleted history.event not-in-files" in out and "1 deleted" in out
    assert not Event.objects.filter(slug="not-in-files").exists()
    assert Event.objects.filter(slug="relations-1931").exists()


def test_without_prune_nothing_is_deleted(tmp_path):
    build_content()
    export(tmp_path)
    EventFactory(slug="not-in-files", status="draft")
    run(tmp_path)
    assert Event.objects.filter(slug="not-in-files").exists()


def test_if_empty_skips_when_content_exists(tmp_path, capsys):
    build_content()
    export(tmp_path)
    Event.objects.filter(slug="relations-1931").update(title_en="Edited in the admin")
    run(tmp_path, if_empty=True)
    assert "already holds content" in capsys.readouterr().out
    assert Event.objects.get(slug="relations-1931").title_en == "Edited in the admin"
    wipe()
    run(tmp_path, if_empty=True)
    assert Event.objects.filter(slug="relations-1931").exists()


def test_failure_in_the_middle_of_writing_leaves_nothing(tmp_path):
    build_content()
    export(tmp_path)
    wipe()
    before = snapshot()

    def stop(message):
        if message.startswith("wrote"):
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        Importer(progress=stop, progress_every=3).run_paths([tmp_path])
    assert snapshot() == before


# Bad inputs -------------------------------------------------------------------------


def valid_event(**fields):
    base = {
        "slug": "an-event",
        "title_en": "An event",
        "summary_en": "Something happened.",
        "start_date": "2002-01-21",
        "status": "draft",
    }
    base.update(fields)
    return {"model": "history.event", "fields": base}


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


def assert_rejected(path, *expected, before=None):
    before = before or snapshot()
    with pytest.raises(CommandError) as caught:
        run(path)
    assert "nothing was imported" in str(caught.value)
    assert snapshot() == before
    return caught


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


def test_references_resolve_within_the_batch(tmp_path):
    source = {"model": "history.source", "fields": {"slug": "new-source", "title": "A source", "status": "published"}}
    event = valid_event(status="published")
    citation = {"model": "history.citation", "fields": {"event": ["an-event"], "source": ["new-source"]}}
    run(write_json(tmp_path, "all.json", [citation, event, source]))
    assert Citation.objects.get().event.slug == "an-event"
    assert Source.objects.get().slug == "new-source"


def test_dumpdata_with_natural_keys_is_accepted(tmp_path):
    build_content()
    path = tmp_path / "dump.json"
    call_command(
        "dumpdata",
        "history",
        natural_foreign=True,
        output=str(path),
        exclude=[
            "history.historicalevent",
            "history.historicalsource",
            "history.historicalconference",
            "history.historicalaidprogram",
            "history.historicalorganization",
            "history.historicalparticipation",
            "history.historicalcitation",
            "history.historicaldisagreement",
            "history.historicalclaim",
            "history.historicalevent_aidprograms",
            "history.historicalconference_hosts",
            "history.historicalconference_outcome_documents",
            "history.historicalaidprogram_provinces",
        ],
    )
    export(tmp_path / "before")
    wipe()
    run(path)
    export(tmp_path / "after")
    assert files_of(tmp_path / "before") == files_of(tmp_path / "after")


def test_csv_with_and_without_bom_is_read(tmp_path):
    build_content()
    call_command("export_fixtures", output=str(tmp_path), format="csv")
    data = (tmp_path / "province.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    (tmp_path / "province.csv").write_bytes(data[3:])
    wipe()
    run(tmp_path)
    assert get_model("province").objects.get().name_ps == "کابل"


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


def test_kill_during_import_leaves_the_database_unchanged(tmp_path):
    """Kill a real import process while it writes: what it wrote inside its open
    transaction is rolled back, and the SQLite file database is as before."""
    db = tmp_path / "kill.sqlite3"
    journal = tmp_path / "kill.sqlite3-journal"  # SQLite's rollback journal
    env = {"DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin"}
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    write_json(tmp_path, "event.json", [valid_event(slug=f"e-{n}") for n in range(20000)])
    command = [sys.executable, "manage.py", "import_fixtures", str(tmp_path / "event.json"), "--progress-every", "1000"]
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    progress = next((line for line in process.stderr if line.startswith("wrote")), "")
    process.send_signal(signal.SIGSTOP)  # hold it where it is, mid-write, while we look
    # It says it has written rows, and it has: its write transaction is open and
    # SQLite keeps the pages it changed, as they were, in the journal until commit.
    assert progress.startswith("wrote 1000 of 20000 objects")
    assert journal.stat().st_size > 0
    process.kill()
    process.wait()
    assert process.returncode == -signal.SIGKILL  # it died; it did not finish
    assert journal.exists()  # the transaction never committed (a commit removes the journal)
    with closing(sqlite3.connect(db)) as connection:
        counts = [connection.execute(f"select count(*) from {table}").fetchone()[0] for table in KILL_TABLES]
    assert counts == [0, 0]


KILL_TABLES = ("history_event", "history_historicalevent")


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_small_batches_give_the_same_import(tmp_path, capsys, monkeypatch, batch_size):
    """Comparing, spilling and writing a batch at a time does not change what is imported."""
    from history.fixtures_io import check

    monkeypatch.setattr(check, "BATCH_SIZE", batch_size)
    build_content()
    EventFactory(slug="other", status="draft")
    export(tmp_path / "a")
    wipe()
    run(tmp_path / "a")
    export(tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    items = json.loads((tmp_path / "a" / "event.json").read_text(encoding="utf-8"))
    items[1]["fields"]["title_en"] = "Changed"
    (tmp_path / "a" / "event.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    run(tmp_path / "a")
    assert "history.event: 0 created, 1 updated, 1 unchanged" in capsys.readouterr().out
    assert Event.objects.get(slug=items[1]["fields"]["slug"]).title_en == "Changed"


def test_prune_does_not_count_records_it_would_delete_as_references(tmp_path, capsys):
    build_content()
    export(tmp_path)
    conferences = json.loads((tmp_path / "conference.json").read_text(encoding="utf-8"))
    conferences[0]["fields"]["slug"] = "renamed"
    write_json(tmp_path, "conference.json", conferences)
    before = snapshot()
    with pytest.raises(CommandError):
        run(tmp_path / "event.json", tmp_path / "conference.json", prune=True)
    err = capsys.readouterr().err
    assert "history.event 'relations-1931', field conference: refers to history.conference 'tokyo-2002'" in err
    assert snapshot() == before


# The publish rule: an import run by a user has that user's publishing rights ----------

# What the file would do to an event: its status in the database (None: not there yet)
# and in the file.
PUBLISH_CASES = {
    "create a published record": (None, "published"),
    "publish a draft": ("draft", "published"),
    "unpublish a published record": ("published", "draft"),
}


def publish_case(tmp_path, case):
    """An event file (with the citation a published event needs) that would do `case`."""
    before, after = PUBLISH_CASES[case]
    source = SourceFactory(slug="a-source")
    if before:
        cited(EventFactory(slug="an-event", status=before), source=source)
    citation = {"model": "history.citation", "fields": {"event": ["an-event"], "source": ["a-source"]}}
    return write_json(tmp_path, "event.json", [valid_event(status=after), citation]), after


@pytest.mark.parametrize("case", PUBLISH_CASES)
def test_an_editor_may_not_change_what_readers_see_with_the_command(tmp_path, capsys, case):
    path, _after = publish_case(tmp_path, case)
    account("farid")
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem"):
        run(path, user="farid")
    expected = "object 1, history.event 'an-event', field status: Only publishers can publish or unpublish a record."
    assert expected in capsys.readouterr().err
    assert snapshot() == before


@pytest.mark.parametrize("case", PUBLISH_CASES)
def test_the_importer_has_its_users_publishing_rights(tmp_path, case):
    path, after = publish_case(tmp_path, case)
    before = snapshot()
    for report in (
        Importer(user=account("farid")).run_paths([path]),
        Importer(user=account("sima")).run_bytes([("event.json", path.read_bytes())]),  # as the admin does
    ):
        assert not report.written
        assert [(problem.key, problem.field) for problem in report.problems] == [(("an-event",), "status")]
        assert snapshot() == before
    report = Importer(user=account("yuki", publisher=True)).run_paths([path])
    assert report.written and report.ok
    assert Event.objects.get(slug="an-event").status == after


@pytest.mark.parametrize("case", PUBLISH_CASES)
def test_a_publisher_or_an_operator_may(tmp_path, capsys, case):
    path, after = publish_case(tmp_path, case)
    account("yuki", publisher=True)
    run(path, user="yuki")
    assert Event.objects.get(slug="an-event").status == after
    assert Event.objects.get(slug="an-event").history.first().history_user.username == "yuki"
    Event.objects.filter(slug="an-event").update(status={"draft": "published", "published": "draft"}[after])
    run(path)  # without --user: the operator's full rights
    assert Event.objects.get(slug="an-event").status == after


def test_an_editor_may_change_a_published_record_that_stays_published(tmp_path):
    path, _after = publish_case(tmp_path, "publish a draft")
    Event.objects.filter(slug="an-event").update(status="published")
    account("farid")
    run(path, user="farid")
    event = Event.objects.get(slug="an-event")
    assert (event.status, event.title_en) == ("published", "An event")


def test_prune_deletes_only_for_a_user_who_may_delete(tmp_path, capsys):
    build_content()
    export(tmp_path)
    EventFactory(slug="not-in-files", status="draft")
    account("farid")
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem"):
        run(tmp_path / "event.json", prune=True, user="farid")
    assert "'not-in-files': --prune would delete this record, and you may not delete records" in capsys.readouterr().err
    assert snapshot() == before
    account("yuki", publisher=True)
    run(tmp_path / "event.json", prune=True, user="yuki")
    assert not Event.objects.filter(slug="not-in-files").exists()
