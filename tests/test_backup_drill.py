"""Backup and restore drill: export the content, empty the database, import the
export, and the content is identical: the same files byte for byte when exported
again, and the same pages for readers, drafts still hidden. (The README says how to
schedule it, and what a database dump must add: accounts and revision history.)"""

import datetime
import difflib
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from history import kinds
from history.models import Event
from tests.factories import EventFactory, cited

# Not inside a transaction: flush truncates the tables, which PostgreSQL refuses while
# the test transaction still has deferred constraint checks pending.
pytestmark = pytest.mark.django_db(transaction=True)
# When a row was first published and last changed (page metadata) belong to the
# database, not to the content: fixtures do not carry them, a database dump does.
RECORD_TIMES = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")


def export(directory):
    call_command("export_fixtures", "--output", str(directory), verbosity=0)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def reader_pages(client):
    """Every page a reader can reach (in English: the exports compare every
    language's columns): lists, timeline, records."""
    with translation.override("en"):
        urls = [reverse("history:home"), reverse("history:timeline")]
        for kind in kinds.KINDS:
            urls.append(reverse(kind.url_name("list")))
            urls += [record.get_absolute_url() for record in kind.model.objects.published()]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = RECORD_TIMES.sub("<time of the database row>", response.content.decode())
    return pages


def test_export_empty_import_gives_back_the_same_content(client, tmp_path, seed_loader, english):
    # In English throughout: orderings that go through a translated name (a
    # programme's organisations) read the untranslated column, which a save fills in
    # the language active at the time; another test's language left active would
    # reorder them between the backup and the restore.
    seed_loader()
    draft = cited(EventFactory(slug="draft-visit", title_en="A visit not yet checked", status=Event.Status.DRAFT))
    edited = Event.objects.published().first()
    edited.title_ja = "編集者による新しい題"
    edited.start_date = datetime.date(2002, 1, 21)
    edited.save()

    before = export(tmp_path / "before")
    pages = reader_pages(client)

    call_command("flush", interactive=False, verbosity=0)
    assert not any(kind.model.objects.exists() for kind in kinds.KINDS)

    call_command("import_fixtures", str(tmp_path / "before"), verbosity=0)
    assert export(tmp_path / "after") == before
    restored = reader_pages(client)
    assert restored.keys() == pages.keys()
    for url, page in pages.items():
        difference = "".join(difflib.unified_diff(page.splitlines(True), restored[url].splitlines(True), n=1))
        assert not difference, f"{url}:\n{difference}"
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert Event.objects.get(slug="draft-visit").status == Event.Status.DRAFT
