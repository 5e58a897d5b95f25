"""import_fixtures --user: an import has its user's publishing and deleting rights."""

import pytest
from django.core.management import CommandError

from history.fixtures_io.exporter import export
from history.fixtures_io.importer import Importer
from history.models import Event
from tests.factories import (
    EventFactory,
    SourceFactory,
    cited,
)
from tests.importing import account, build_content, run, snapshot, valid_event, write_json

pytestmark = pytest.mark.django_db

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
