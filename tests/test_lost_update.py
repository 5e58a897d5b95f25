"""Two editors open the same record; the second save is refused, says what the
first editor changed, and changes nothing."""

from django.test import Client
from django.urls import reverse

from history.models import Event
from tests.factories import EventFactory, cited, event_form_data

EDIT_URL = "admin:history_event_change"


def loaded_form(client, event):
    """What the browser holds after opening the change form: the page's own
    hidden version, not the one in the database later."""
    page = client.get(reverse(EDIT_URL, args=[event.pk]))
    assert page.status_code == 200
    return page.context["adminform"].form.initial["loaded_version"]


def test_second_save_is_refused_with_what_the_first_changed(editor, publisher):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(publisher)
    event = cited(EventFactory(title_en="Japan opens a legation", status=Event.Status.DRAFT))
    version_first = loaded_form(first, event)
    version_second = loaded_form(second, event)
    assert version_first == version_second == event.version

    saved = first.post(
        reverse(EDIT_URL, args=[event.pk]),
        event_form_data(
            event, title_en="Japan opens a legation in Kabul", title_ps="جاپان په کابل کې", loaded_version=version_first
        ),
    )
    assert saved.status_code == 302

    refused = second.post(
        reverse(EDIT_URL, args=[event.pk]),
        event_form_data(event, summary_en="A different summary.", loaded_version=version_second),
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "amina saved this record" in text
    assert "Your changes were not saved" in text
    # Field by field, translations included.
    assert "Japan opens a legation in Kabul" in text
    assert "title [en]" in text and "title [ps]" in text
    assert "جاپان په کابل کې" in text

    event.refresh_from_db()
    assert event.title_en == "Japan opens a legation in Kabul"
    assert event.summary_en == "Something happened between Afghanistan and Japan."
    assert event.version == version_first + 1


def test_each_save_raises_the_version(client, editor):
    client.force_login(editor)
    event = cited(EventFactory(status=Event.Status.DRAFT))
    for expected in (2, 3):
        version = loaded_form(client, event)
        response = client.post(reverse(EDIT_URL, args=[event.pk]), event_form_data(event, loaded_version=version))
        assert response.status_code == 302
        event.refresh_from_db()
        assert event.version == expected


def test_a_form_without_its_version_is_refused(client, editor):
    client.force_login(editor)
    event = cited(EventFactory(status=Event.Status.DRAFT))
    response = client.post(
        reverse(EDIT_URL, args=[event.pk]), event_form_data(event, loaded_version="", title_en="Changed")
    )
    assert response.status_code == 200
    assert "This form is incomplete" in response.content.decode()
    event.refresh_from_db()
    assert event.title_en != "Changed"


def test_stale_version_without_history_still_refused(client, editor):
    """Records loaded by loaddata have no history rows; the refusal still comes,
    without the list of changes."""
    client.force_login(editor)
    event = cited(EventFactory(status=Event.Status.DRAFT))
    event.history.all().delete()
    Event.objects.filter(pk=event.pk).update(version=5)
    response = client.post(reverse(EDIT_URL, args=[event.pk]), event_form_data(event, title_en="Changed"))
    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.content.decode()
    event.refresh_from_db()
    assert event.title_en != "Changed"
