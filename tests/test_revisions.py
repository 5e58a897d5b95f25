"""Revisions: every admin save records who, when and why; the revisions page
shows changes field by field; reverting restores translations, is itself
recorded, and never changes the status for someone who may not publish."""

from django.contrib.messages import get_messages
from django.urls import reverse

from history.models import Event
from tests.factories import EventFactory, cited, event_form_data


def save(client, event, **changes):
    event.refresh_from_db()
    response = client.post(reverse("admin:history_event_change", args=[event.pk]), event_form_data(event, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    return event


def revert(client, event, revision):
    """Open the revert form of `revision` and send it back as the browser would:
    the old revision's values, the version the form was loaded with."""
    url = reverse("admin:history_event_simple_history", args=[event.pk, revision.history_id])
    form_page = client.get(url)
    assert form_page.status_code == 200
    form = form_page.context["adminform"].form
    data = event_form_data(event, loaded_version=form.initial["loaded_version"])
    for name in form.fields:
        if name.startswith(("title_", "summary_", "location_", "body_")):
            data[name] = form.initial.get(name) or ""
    if "status" in form.fields:
        data["status"] = form.initial["status"]
    else:
        data.pop("status")  # read-only: the browser has no such input
    return client.post(url, data)


def test_a_save_records_user_and_reason(client, editor):
    client.force_login(editor)
    event = cited(EventFactory(status=Event.Status.DRAFT))
    save(client, event, title_ja="公使館の開設", change_reason="Japanese title from MOFA page")
    record = event.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "Japanese title from MOFA page"
    assert record.title_ja == "公使館の開設"


def test_revisions_page_lists_changes_field_by_field(client, editor, parsed):
    client.force_login(editor)
    event = cited(EventFactory(title_en="Old title", status=Event.Status.DRAFT))
    save(client, event, title_en="New title", title_fa_af="عنوان نو", change_reason="better wording")
    page = parsed(client.get(reverse("admin:history_event_history", args=[event.pk])).content)
    table = page.find("table", id="change-history")
    newest = page.find_all("tr", within=page.find("tbody", within=table))[0]
    cells = [parsed.text(cell) for cell in page.find_all("td", within=newest)]
    assert cells[2] == "amina" and cells[4] == "better wording"
    changes = [parsed.text(item).lower() for item in page.find_all("li", within=newest)]
    assert changes == ["title [en]: old title → new title", "title [fa-af]: none → عنوان نو"]
    # Derived columns, the untranslated mirror column and empty-to-empty are noise:
    # the two lines above are the whole list. And no inline style (CSP).
    assert [e for e in page.find_all("*", within=table) if parsed.attribute(e, "style")] == []


def test_revert_restores_translations_and_is_recorded(client, publisher):
    client.force_login(publisher)
    event = cited(EventFactory(title_en="Original", title_ja="元の題", status=Event.Status.DRAFT))
    save(client, event, change_reason="first admin save")
    good_version = event.history.first()
    save(client, event, title_en="Vandalised", title_ja="壊れた", title_ps="خراب")
    assert event.title_ja == "壊れた"

    response = revert(client, event, good_version)
    assert response.status_code == 302, response.content.decode()[:3000]

    event.refresh_from_db()
    assert event.title_en == "Original"
    assert event.title_ja == "元の題"
    assert not event.title_ps
    newest = event.history.first()
    assert newest.history_change_reason.startswith("Reverted to version of ")
    assert newest.history_change_reason.endswith("by kenji")
    assert newest.history_user == publisher
    assert event.history.count() == 4  # created, saved, vandalised, reverted


def test_editor_reverting_a_published_record_to_a_draft_revision_keeps_it_published(client, editor):
    """The revert form rebuilds the record from an old revision, status included;
    an editor must not unpublish through it."""
    client.force_login(editor)
    event = cited(EventFactory(status=Event.Status.DRAFT, title_en="Draft wording"))
    draft = event.history.first()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED, title_en="Published wording")
    response = revert(client, event, draft)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Draft wording"
    assert event.status == Event.Status.PUBLISHED
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert "The status stays “published”: only publishers can publish or unpublish a record." in told


def test_editor_reverting_a_draft_to_a_published_revision_keeps_it_a_draft(client, editor, publisher):
    """Nor publish through it: here the record has lost its citation since, so
    publishing it would be refused; keeping it a draft must not be."""
    client.force_login(publisher)
    event = cited(EventFactory(status=Event.Status.PUBLISHED, title_en="Published wording"))
    published = event.history.first()
    save(client, event, status="draft", title_en="Withdrawn")
    event.citations.all().delete()
    client.force_login(editor)
    response = revert(client, event, published)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.title_en == "Published wording"
    assert event.status == Event.Status.DRAFT
    assert not Event.objects.published().exists()
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert "The status stays “draft”: only publishers can publish or unpublish a record." in told


def test_publisher_reverting_to_a_published_revision_needs_a_citation(client, publisher):
    client.force_login(publisher)
    event = cited(EventFactory(status=Event.Status.PUBLISHED, title_en="Published wording"))
    published = event.history.first()
    save(client, event, status="draft", title_en="Withdrawn")
    event.citations.all().delete()
    response = revert(client, event, published)
    assert response.status_code == 200
    assert "cannot be published without at least one citation" in response.content.decode()
    event.refresh_from_db()
    assert (event.status, event.title_en) == (Event.Status.DRAFT, "Withdrawn")


def test_revert_based_on_a_stale_page_is_refused(client, publisher):
    client.force_login(publisher)
    event = cited(EventFactory(status=Event.Status.DRAFT))
    old = event.history.first()
    revert_url = reverse("admin:history_event_simple_history", args=[event.pk, old.history_id])
    form = client.get(revert_url).context["adminform"].form
    stale = form.initial["loaded_version"]
    save(client, event, title_en="Saved in another tab")
    response = client.post(revert_url, event_form_data(event, loaded_version=stale))
    assert response.status_code == 200
    assert "Your changes were not saved" in response.content.decode()
    event.refresh_from_db()
    assert event.title_en == "Saved in another tab"
