"""Admin fixture import (check, then confirm), the publish rule on it, and the
export actions. admin_client is pytest-django's superuser "admin"."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from history.models import Event
from tests.factories import EventFactory, SourceFactory, cited

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:history-import"


def event_file(title="Imported from the admin", slug="admin-event", status="draft"):
    item = {
        "model": "history.event",
        "fields": {
            "slug": slug,
            "title_en": title,
            "title_ja": "管理画面",
            "summary_en": "S.",
            "start_date": "2002-01-21",
            "status": status,
        },
    }
    return io.BytesIO(json.dumps([item], ensure_ascii=False).encode("utf-8"))


def upload(client, data, name="event.json", **headers):
    data.name = name
    return client.post(reverse(IMPORT_URL), {"file": data}, **headers)


def test_check_then_confirm(admin_client):
    response = upload(admin_client, event_file())
    assert response.status_code == 200
    page = response.content.decode()
    assert "history.event: 1 created, 0 updated, 0 unchanged" in page
    assert not Event.objects.exists()  # the check writes nothing
    token = response.context["token"]
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token}, follow=True)
    assert response.status_code == 200
    event = Event.objects.get(slug="admin-event")
    assert event.title_ja == "管理画面"
    assert event.history.first().history_user.username == "admin"
    # The token is used up: confirming again does nothing.
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token}, follow=True)
    assert "expired" in response.content.decode()


def test_bad_file_lists_every_problem_and_offers_no_confirm(admin_client):
    bad = io.BytesIO(b'[{"model": "history.event", "fields": {"slug": "x", "start_date": "2002-02-30"}}, 3]')
    response = upload(admin_client, bad)
    page = response.content.decode()
    assert "2002-02-30" in page and "summary_en" in page and "object 2" in page
    assert 'name="confirm"' not in page
    assert not Event.objects.exists()


def test_forged_token_is_refused(admin_client):
    upload(admin_client, event_file())
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": "1", "token": "guess"}, follow=True)
    assert "expired" in response.content.decode()
    assert not Event.objects.exists()


def test_editor_with_event_permissions_may_import_others_may_not(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_event", "change_event"]))
    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("action", ["export_selected_json", "export_selected_csv"])
def test_export_actions(admin_client, action):
    chosen = cited(EventFactory(slug="chosen", title_ja="選ばれた"))
    EventFactory(slug="not-chosen")
    response = admin_client.post(
        reverse("admin:history_event_changelist"), {"action": action, "_selected_action": [chosen.pk]}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    if action == "export_selected_json":
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(text)
        assert [item["fields"]["slug"] for item in data] == ["chosen"]
        assert data[0]["fields"]["title_ja"] == "選ばれた"
    else:
        assert text.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text[1:])))
        assert [row["slug"] for row in rows] == ["chosen"]
    assert response["Content-Disposition"].startswith('attachment; filename="event-')


def published_event_with_citation():
    """A published event and its citation (of a source already in the database):
    a file that only the publish permission stands between and the database."""
    source = SourceFactory()
    event = json.loads(event_file(status="published").getvalue())[0]
    citation = {
        "model": "history.citation",
        "fields": {"event": ["admin-event"], "source": [source.slug], "locator": "p. 1", "quotation": ""},
    }
    return io.BytesIO(json.dumps([event, citation], ensure_ascii=False).encode("utf-8"))


def test_a_publisher_imports_published_records(client, publisher):
    client.force_login(publisher)
    response = upload(client, published_event_with_citation())
    assert response.context["report"].ok, response.context["report"].problems
    client.post(reverse(IMPORT_URL), {"confirm": "1", "token": response.context["token"]})
    assert Event.objects.published().get().slug == "admin-event"


def test_an_editor_may_not_import_published_records_and_is_told_in_their_language(client, editor):
    client.force_login(editor)
    response = upload(client, published_event_with_citation(), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["report"].problems
    assert "何もインポートされていません" in page  # "nothing was imported", in Japanese
    assert 'name="confirm"' not in page
    assert not Event.objects.exists()
