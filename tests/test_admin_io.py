"""Admin fixture import (check, then confirm) and the export actions."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from history.models import Event
from tests.factories import EventFactory, cited

pytestmark = pytest.mark.django_db


def event_file(title="Imported from the admin", slug="admin-event"):
    item = {
        "model": "history.event",
        "fields": {
            "slug": slug,
            "title_en": title,
            "title_ja": "管理画面",
            "summary_en": "S.",
            "start_date": "2002-01-21",
            "status": "draft",
        },
    }
    return io.BytesIO(json.dumps([item], ensure_ascii=False).encode("utf-8"))


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw"))
    return client


def upload(client, data, name="event.json"):
    data.name = name
    return client.post(reverse("admin:history-import"), {"file": data})


def test_check_then_confirm(superuser_client):
    response = upload(superuser_client, event_file())
    assert response.status_code == 200
    page = response.content.decode()
    assert "history.event: 1 created, 0 updated, 0 unchanged" in page
    assert not Event.objects.exists()  # the check writes nothing
    token = response.context["token"]
    response = superuser_client.post(reverse("admin:history-import"), {"confirm": "1", "token": token}, follow=True)
    assert response.status_code == 200
    event = Event.objects.get(slug="admin-event")
    assert event.title_ja == "管理画面"
    assert event.history.first().history_user.username == "boss"
    # The token is used up: confirming again does nothing.
    response = superuser_client.post(reverse("admin:history-import"), {"confirm": "1", "token": token}, follow=True)
    assert "expired" in response.content.decode()


def test_bad_file_lists_every_problem_and_offers_no_confirm(superuser_client):
    bad = io.BytesIO(b'[{"model": "history.event", "fields": {"slug": "x", "start_date": "2002-02-30"}}, 3]')
    response = upload(superuser_client, bad)
    page = response.content.decode()
    assert "2002-02-30" in page and "summary_en" in page and "object 2" in page
    assert 'name="confirm"' not in page
    assert not Event.objects.exists()


def test_forged_token_is_refused(superuser_client):
    upload(superuser_client, event_file())
    response = superuser_client.post(reverse("admin:history-import"), {"confirm": "1", "token": "guess"}, follow=True)
    assert "expired" in response.content.decode()
    assert not Event.objects.exists()


def test_editor_with_event_permissions_may_import_others_may_not(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:history-import")).status_code == 403
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_event", "change_event"]))
    assert client.get(reverse("admin:history-import")).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:history-import"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("action", ["export_selected_json", "export_selected_csv"])
def test_export_actions(superuser_client, action):
    chosen = cited(EventFactory(slug="chosen", title_ja="選ばれた"))
    EventFactory(slug="not-chosen")
    response = superuser_client.post(
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
