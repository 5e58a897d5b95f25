"""The editors' workflow in a real browser: an editor drafts a cited event and
previews it, a publisher publishes it, the editor changes the title and reverts
it from the history, and a second browser editing the same record at the same
time is told its save was refused."""

import re

import pytest
from django.urls import reverse

from history.models import Event
from history.publishing import EDITORS, PUBLISHERS
from tests.factories import STAFF_PASSWORD, SourceFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Japan and Afghanistan sign a cultural agreement"


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def choose_source(page, inline_prefix, title):
    """Pick a source in the citation inline's autocomplete (select2) widget."""
    page.click(f"#{inline_prefix} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", title.split()[0])
    page.click(f".select2-container--open .select2-results__option:has-text('{title}')")


def errors(page):
    return page.locator(".errornote, .errorlist li").all_inner_texts()


def save(page):
    invalid = page.eval_on_selector_all("form :invalid", "els => els.map(e => e.name + ':' + e.validationMessage)")
    assert not invalid, invalid
    with page.expect_navigation():
        page.click("input[name=_save]")


@pytest.fixture
def people(transactional_db):
    return {"editor": make_staff("amina", EDITORS), "publisher": make_staff("kenji", PUBLISHERS)}


def test_draft_publish_revert_and_lost_update(chromium, live_server, people, artifacts_dir):
    source = SourceFactory(title="Exchange of notes on cultural cooperation")
    editor_context, publisher_context = chromium.new_context(), chromium.new_context()
    editor, publisher = editor_context.new_page(), publisher_context.new_page()
    try:
        # The editor drafts an event with a citation.
        log_in(editor, live_server, "amina")
        editor.goto(live_server.url + reverse("admin:history_event_add"))
        # Translation tabs are built by jQuery UI from our own static files.
        editor.wait_for_selector(".ui-tabs-nav")
        editor.locator("#id_title_en").press_sequentially(TITLE)  # key by key: the slug follows on keyup
        assert editor.input_value("#id_slug") == "japan-and-afghanistan-sign-a-cultural-agreement"
        assert editor.get_attribute("#id_title_ps", "dir") == "rtl"
        editor.fill("#id_start_date", "1969-05-02")
        editor.fill("#id_summary_en", "The two governments agreed to exchange scholars and exhibitions.")
        assert editor.locator("#id_status").count() == 0  # editors cannot set the status
        choose_source(editor, "citations-0", source.title)
        editor.fill("#id_citations-0-locator", "para. 2")
        editor.fill("#id_change_reason", "new event from the exchange of notes")
        save(editor)
        assert "was added successfully" in editor.content(), errors(editor)
        event = Event.objects.get(slug="japan-and-afghanistan-sign-a-cultural-agreement")
        assert event.status == Event.Status.DRAFT
        assert event.citations.get().source == source

        # The editor previews the draft on the public page.
        detail = live_server.url + reverse("history:event-detail", kwargs={"slug": event.slug})
        editor.goto(detail)
        assert TITLE in editor.content()
        assert editor.locator(".draft-banner").count() == 1

        # Readers do not see it yet; the publisher publishes it.
        log_in(publisher, live_server, "kenji")
        timeline = live_server.url + reverse("history:timeline")
        publisher.goto(timeline)
        assert TITLE not in publisher.content()
        change_url = live_server.url + reverse("admin:history_event_change", args=[event.pk])
        publisher.goto(change_url)
        publisher.select_option("#id_status", "published")
        save(publisher)
        assert "was changed successfully" in publisher.content()
        publisher_context.clear_cookies()
        publisher.goto(timeline)
        assert TITLE in publisher.content()

        # The editor changes the title, then reverts it from the history.
        editor.goto(change_url)
        editor.fill("#id_title_en", "A wrong title")
        save(editor)
        event.refresh_from_db()
        assert event.title_en == "A wrong title"
        published_version = event.history.filter(title_en=TITLE, status="published").first()
        editor.goto(live_server.url + reverse("admin:history_event_history", args=[event.pk]))
        assert "A wrong title" in editor.content()
        editor.click(f"a[href$='/history/{published_version.history_id}/']")
        editor.wait_for_selector("input[name=_save]")
        save(editor)
        event.refresh_from_db()
        assert event.title_en == TITLE
        assert event.status == Event.Status.PUBLISHED
        assert event.history.first().history_change_reason.startswith("Reverted to version of")

        # Two people open the same record; the second save is refused.
        log_in(publisher, live_server, "kenji")
        editor.goto(change_url)
        publisher.goto(change_url)
        editor.fill("#id_summary_en", "Scholars and exhibitions, from 1969 on.")
        save(editor)
        assert "was changed successfully" in editor.content()
        publisher.fill("#id_title_en", "A title nobody will see")
        save(publisher)
        refused = publisher.content()
        assert "amina saved this record" in refused
        assert "Your changes were not saved" in refused
        assert "Scholars and exhibitions, from 1969 on." in refused
        publisher.screenshot(path=str(artifacts_dir / "admin-lost-update.png"), full_page=True)
        event.refresh_from_db()
        assert event.title_en == TITLE
    finally:
        editor_context.close()
        publisher_context.close()
