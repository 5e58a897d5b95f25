"""Drafts on the public pages: readers never see one, nor anything tied to one;
editors who may view it see a preview marked as such."""

import pytest
from django.contrib.auth.models import Permission, User

from history.models import Event

from .factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    SourceFactory,
    cited,
)
from .reader_records import build_records, detail_urls, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

records = pytest.fixture(build_records, name="records")


def test_draft_is_404_for_readers_and_absent_everywhere(client, records):
    draft = cited(EventFactory(slug="secret", title_en="Secret draft event", status=Event.Status.DRAFT))
    assert client.get(draft.get_absolute_url()).status_code == 404
    for address in (
        url("history:event-list"),
        url("history:timeline"),
        url("history:home"),
        url("history:search") + "?q=secret",
    ):
        assert "Secret draft event" not in client.get(address).content.decode(), address


def test_staff_with_view_permission_previews_a_draft_with_a_banner(client):
    draft = cited(EventFactory(title_en="Draft being written", status=Event.Status.DRAFT))
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 404  # staff, but no permission
    editor.user_permissions.add(Permission.objects.get(codename="view_event"))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft — not visible to readers" in response.content.decode()


@pytest.fixture
def drafts(records):
    """Drafts tied to every published record: readers must find none of them."""
    draft = Event.Status.DRAFT
    conference = cited(ConferenceFactory(slug="draft-conference", title_en="Draft conference", status=draft))
    event = cited(EventFactory(title_en="Draft event", status=draft, conference=records["conference"]))
    program = cited(AidProgramFactory(title_en="Draft programme", status=draft, pledge=records["conference"]))
    source = SourceFactory(slug="draft-source", title="Draft source", status=draft)
    event.aidprograms.add(records["program"])
    records["event"].conference = conference
    records["event"].save()
    records["event"].aidprograms.add(program)
    records["program"].pledge = conference
    records["program"].save()
    records["conference"].outcome_documents.add(source)
    cited(records["event"], source=source, locator="p. 99")
    # Not a bare number: "1929" also turns up in a page's timestamps (21:45:19.531929).
    ClaimFactory(disagreement=records["event"].disagreements.get(), source=source, value_en="1929, says a draft")
    return ("Draft conference", "Draft event", "Draft programme", "Draft source", "p. 99", "1929, says a draft")


def test_record_pages_show_no_draft_they_are_tied_to(client, records, drafts):
    for address in detail_urls(records, "en"):
        html = client.get(address).content.decode()
        for title in drafts:
            assert title not in html, (address, title)
    html = client.get(records["event"].get_absolute_url()).content.decode()
    assert "Related" in html and records["program"].get_absolute_url() in html  # the published ones stay


def test_a_draft_source_page_is_404_and_its_citation_is_not_shown(client, records, drafts):
    assert client.get(url("history:source-detail", slug="draft-source")).status_code == 404
    html = client.get(records["event"].get_absolute_url()).content.decode()
    assert records["source"].title in html
    assert url("history:source-detail", slug="draft-source") not in html


def test_a_staff_preview_shows_the_drafts_own_sources_and_disagreements(client, records):
    draft = EventFactory(slug="being-written", title_en="Draft being written", status=Event.Status.DRAFT)
    cited(draft, source=records["source"], locator="p. 7")
    disagreement = DisagreementFactory(event=draft, question_en="Which year was it?")
    ClaimFactory(disagreement=disagreement, source=records["source"], value_en="1955")
    editor = User.objects.create_user("previewer", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(editor)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Draft — not visible to readers" in html
    assert records["source"].get_absolute_url() in html and "p. 7" in html
    assert "Which year was it?" in html and "1955" in html
    # a published record seen by the same editor is no preview
    assert "Draft — not visible" not in client.get(records["event"].get_absolute_url()).content.decode()


def test_published_record_has_no_draft_banner(client, records):
    assert "Draft — not visible" not in client.get(records["event"].get_absolute_url()).content.decode()
