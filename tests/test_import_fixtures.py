"""import_fixtures: upsert by natural key, all or nothing, the same import however it is batched."""

import json
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from history.fixtures_io.exporter import export
from history.fixtures_io.format import get_model
from history.fixtures_io.importer import Importer
from history.models import Citation, Event, Source
from tests.factories import (
    EventFactory,
)
from tests.importing import (
    account,
    build_content,
    files_of,
    run,
    snapshot,
    valid_event,
    wipe,
    write_json,
)

pytestmark = pytest.mark.django_db


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
