"""export_fixtures writes the canonical format that fixtures/ uses, deterministically."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from history import kinds
from history.fixtures_io.format import get_model
from history.models import Citation, Conference, Event, Organization, Source
from tests.factories import (
    ConferenceFactory,
    EventFactory,
    OrganizationFactory,
    SourceFactory,
    cited,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    jica = OrganizationFactory(slug="jica", name_en="JICA", name_ja="国際協力機構")
    conference = cited(ConferenceFactory(slug="tokyo-2002", total_pledged="4500000000", title_fa_af="کنفرانس توکیو"))
    conference.hosts.set([jica, OrganizationFactory(slug="afghan-government")])
    cited(EventFactory(slug="b-event", conference=conference, title_ja="外交関係樹立"), locator="p. 2")
    cited(EventFactory(slug="a-event"))
    return conference


def test_one_canonical_file_per_model(tmp_path, content):
    call_command("export_fixtures", output=str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.json" for name in kinds.import_order())
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert text == json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        assert all(set(item) == {"model", "fields"} for item in data)


def test_fields_follow_the_brief(tmp_path, content):
    call_command("export_fixtures", output=str(tmp_path))
    events = json.loads((tmp_path / "event.json").read_text(encoding="utf-8"))
    assert [item["fields"]["slug"] for item in events] == ["a-event", "b-event"]  # sorted by natural key
    fields = events[1]["fields"]
    assert fields["title_ja"] == "外交関係樹立" and fields["title_fa_af"] is None
    assert "title" not in fields and "search_text" not in fields and "version" not in fields
    assert fields["conference"] == ["tokyo-2002"]
    assert fields["aidprograms"] == []
    assert fields["start_date"] == "2002-01-21"
    conference = json.loads((tmp_path / "conference.json").read_text(encoding="utf-8"))[0]["fields"]
    assert conference["total_pledged"] == "4500000000.00"
    assert conference["hosts"] == [["afghan-government"], ["jica"]]
    citations = json.loads((tmp_path / "citation.json").read_text(encoding="utf-8"))
    keys = [(next(k for k in ("aidprogram", "conference", "event") if c["fields"][k]), c["fields"]) for c in citations]
    assert [kind for kind, _ in keys] == ["conference", "event", "event"]


def test_export_is_deterministic(tmp_path, content):
    call_command("export_fixtures", output=str(tmp_path / "one"))
    call_command("export_fixtures", output=str(tmp_path / "two"))
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


def test_loaddata_loads_the_export_in_one_call(tmp_path, content):
    call_command("export_fixtures", output=str(tmp_path))
    for name in reversed(kinds.import_order()):
        get_model(name)._base_manager.all().delete()
    # In dependency order: Citation.natural_key() needs its source already loaded.
    call_command("loaddata", *[str(tmp_path / f"{name}.json") for name in kinds.import_order()], verbosity=0)
    assert Conference.objects.get(slug="tokyo-2002").hosts.count() == 2
    assert Event.objects.get(slug="b-event").title_ja == "外交関係樹立"
    assert Citation.objects.count() == 3


def test_csv_export_opens_in_spreadsheets(tmp_path, content):
    SourceFactory(slug="dari-source", title="منبع | با / علامت")
    call_command("export_fixtures", output=str(tmp_path), format="csv")
    data = (tmp_path / "conference.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["hosts"] == "afghan-government|jica"
    assert rows[0]["title_fa_af"] == "کنفرانس توکیو"
    assert rows[0]["total_pledged"] == "4500000000.00"
    events = list(csv.DictReader(io.StringIO((tmp_path / "event.csv").read_text(encoding="utf-8-sig"))))
    assert events[1]["conference"] == "tokyo-2002" and events[1]["milestone"] == "false"
    sources = (tmp_path / "source.csv").read_text(encoding="utf-8-sig")
    assert "منبع | با / علامت" in sources


def test_help_documents_the_csv_conventions():
    from history.management.commands.export_fixtures import Command

    assert "joined by '/'" in Command.help and "joined by '|'" in Command.help and "byte order mark" in Command.help


def test_repository_fixtures_are_already_canonical(tmp_path):
    """Importing fixtures/ and exporting again reproduces the files byte for byte.
    (Depends on the content in fixtures/, written by the content helper.)"""
    root = Path(__file__).resolve().parent.parent / "fixtures"
    files = sorted(root.glob("*.json"))
    if not files:
        pytest.skip("fixtures/ holds no JSON yet")
    call_command("import_fixtures", str(root))
    call_command("export_fixtures", output=str(tmp_path))
    for path in files:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_sorted_records_fetched_in_chunks_match_sorting_everything(content):
    """The export sorts only the natural keys and fetches rows a chunk at a time; the keys
    it reads from the database must sort exactly as the records' own natural keys do."""
    from history.fixtures_io.format import iter_records, iter_sorted_records
    from tests.factories import AidProgramFactory, ClaimFactory, DisagreementFactory, ParticipationFactory

    program = cited(AidProgramFactory(slug="literacy"))
    ParticipationFactory(aidprogram=program, organization=OrganizationFactory(slug="a-first"))
    ParticipationFactory(aidprogram=program, organization=OrganizationFactory(slug="z-last"))
    ClaimFactory(disagreement=DisagreementFactory(slug="when", event=Event.objects.get(slug="a-event")))
    for name in kinds.import_order():
        everything = sorted(iter_records(name), key=lambda record: record[1])
        assert list(iter_sorted_records(name, chunk_size=1)) == everything, name
    chosen = Event.objects.filter(slug="b-event")
    assert [key for _pk, key, _fields in iter_sorted_records("event", chosen)] == [("b-event",)]


FORMULAS = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2", "@SUM(A1)", "\tTab", "\rReturn", "'quoted"]


def test_csv_cells_never_start_a_formula_and_import_gives_them_back(tmp_path):
    for number, text in enumerate(FORMULAS):
        SourceFactory(slug=f"formula-{number}", title=text, author=text)
    call_command("export_fixtures", output=str(tmp_path), format="csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "source.csv").read_text(encoding="utf-8-sig"), newline="")))
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

    Source.objects.all().delete()
    Organization.objects.all().delete()
    call_command("import_fixtures", str(tmp_path / "organization.csv"), str(tmp_path / "source.csv"), verbosity=0)
    titles = {source.slug: (source.title, source.author) for source in Source.objects.all()}
    assert titles == {f"formula-{number}": (text, text) for number, text in enumerate(FORMULAS)}
