"""Revision history: every admin save records who, when and why; the history
page shows changes field by field; reverting restores translations and is itself
recorded."""

from django.urls import reverse

from history.models import Event
from tests.factories import EventFactory, cited
from tests.test_roles import event_form_data, make_staff


def save(client, event, **changes):
    event.refresh_from_db()
    response = client.post(reverse("admin:history_event_change", args=[event.pk]), event_form_data(event, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    return event


def test_a_save_records_user_and_reason(db, client):
    editor = make_staff("amina", "Editors")
    client.force_login(editor)
    event = cited(EventFactory(status=Event.Status.DRAFT))
    save(client, event, title_ja="公使館の開設", change_reason="Japanese title from MOFA page")
    record = event.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "Japanese title from MOFA page"
    assert record.title_ja == "公使館の開設"


def test_history_page_lists_changes_field_by_field(db, client):
    client.force_login(make_staff("amina", "Editors"))
    event = cited(EventFactory(title_en="Old title", status=Event.Status.DRAFT))
    save(client, event, title_en="New title", title_fa_af="عنوان نو", change_reason="better wording")
    page = client.get(reverse("admin:history_event_history", args=[event.pk])).content.decode()
    changes = page.split('class="history-changes"')[1].split("</ul>")[0].lower()
    assert "better wording" in page
    assert "title [en]:</strong> old title &rarr; new title" in changes
    assert "title [fa-af]:</strong> none &rarr; عنوان نو" in changes
    # Derived columns, the untranslated mirror column and empty-to-empty are noise.
    assert "search text" not in changes and "<strong>title:" not in changes and "body" not in changes
    assert 'style="' not in page.split('id="change-history"')[1]


def test_revert_restores_translations_and_is_recorded(db, client):
    publisher = make_staff("kenji", "Publishers")
    client.force_login(publisher)
    event = cited(EventFactory(title_en="Original", title_ja="元の題", status=Event.Status.DRAFT))
    save(client, event, change_reason="first admin save")
    good_version = event.history.first()
    save(client, event, title_en="Vandalised", title_ja="壊れた", title_ps="خراب")
    assert event.title_ja == "壊れた"

    revert_url = reverse("admin:history_event_simple_history", args=[event.pk, good_version.history_id])
    form_page = client.get(revert_url)
    assert form_page.status_code == 200
    data = event_form_data(event)
    # The revert form shows the old values; the browser sends them back.
    form = form_page.context["adminform"].form
    for name in form.fields:
        if name.startswith(("title_", "summary_", "location_", "body_")):
            data[name] = form.initial.get(name) or ""
    data["loaded_version"] = form.initial["loaded_version"]
    response = client.post(revert_url, data)
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


def test_editor_reverting_does_not_change_the_status(db, client):
    """The revert form rebuilds the record from an old version; an editor must not
    publish or unpublish through it."""
    client.force_login(make_staff("amina", "Editors"))
    event = cited(EventFactory(status=Event.Status.DRAFT))
    old = event.history.first()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    event.refresh_from_db()
    revert_url = reverse("admin:history_event_simple_history", args=[event.pk, old.history_id])
    form = client.get(revert_url).context["adminform"].form
    data = event_form_data(event, loaded_version=form.initial["loaded_version"])
    data.pop("status")
    response = client.post(revert_url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_revert_based_on_a_stale_page_is_refused(db, client):
    client.force_login(make_staff("kenji", "Publishers"))
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
