"""The Editors and Publishers roles: what each may do in the admin, and the
create_editor command that makes such accounts."""

import io
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from history.models import Event
from history.publishing import EDITORS, PUBLISHERS, can_publish, sync_roles
from tests.factories import EventFactory, SourceFactory, cited

PASSWORD = "correct horse battery staple"


def make_staff(username, role):
    """A staff user in `role`; sync_roles() first because a transactional test
    earlier in the run may have flushed the groups migration 0002 created."""
    sync_roles()
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def event_form_data(event, **changes):
    """POST data for the event change form as it would be sent unchanged."""
    data = {
        "title_en": event.title_en,
        "title_ja": event.title_ja or "",
        "title_fa_af": event.title_fa_af or "",
        "title_ps": event.title_ps or "",
        "slug": event.slug,
        "event_type": event.event_type,
        "status": event.status,
        "start_date": event.start_date.isoformat(),
        "start_precision": event.start_precision,
        "end_date": "",
        "end_precision": event.end_precision,
        "location_en": event.location_en or "",
        "summary_en": event.summary_en,
        "body_en": event.body_en or "",
        "review_ja": event.review_ja,
        "review_fa_af": event.review_fa_af,
        "review_ps": event.review_ps,
        "loaded_version": event.version,
        "change_reason": "",
    }
    citations = list(event.citations.all())
    prefix = "citations"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": len(citations),
            f"{prefix}-INITIAL_FORMS": len(citations),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
            "disagreements-TOTAL_FORMS": 0,
            "disagreements-INITIAL_FORMS": 0,
            "disagreements-MIN_NUM_FORMS": 0,
            "disagreements-MAX_NUM_FORMS": 1000,
        }
    )
    for index, citation in enumerate(citations):
        data.update(
            {
                f"{prefix}-{index}-id": citation.pk,
                f"{prefix}-{index}-event": event.pk,
                f"{prefix}-{index}-source": citation.source_id,
                f"{prefix}-{index}-locator": citation.locator,
                f"{prefix}-{index}-quotation": citation.quotation,
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def editor(db):
    return make_staff("amina", EDITORS)


@pytest.fixture
def publisher(db):
    return make_staff("kenji", PUBLISHERS)


def test_groups_come_from_the_migration(db):
    editors = Group.objects.get(name=EDITORS)
    publishers = Group.objects.get(name=PUBLISHERS)
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    publisher_perms = set(publishers.permissions.values_list("codename", flat=True))
    assert {"add_event", "change_citation", "view_source", "view_historicalevent"} <= editor_perms
    assert not {p for p in editor_perms if p.startswith("delete_")}
    assert "publish_content" not in editor_perms
    assert {"delete_event", "publish_content"} <= publisher_perms
    assert not publishers.permissions.filter(content_type__app_label="auth").exists()


def test_only_publishers_can_publish(editor, publisher):
    assert not can_publish(editor)
    assert can_publish(publisher)


def test_editor_can_edit_but_not_manage_users(client, editor):
    event = cited(EventFactory(status=Event.Status.DRAFT))
    client.force_login(editor)
    assert client.get(reverse("admin:history_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:history_event_delete", args=[event.pk])).status_code == 403


def test_editor_sees_status_read_only_and_cannot_publish(client, editor):
    event = cited(EventFactory(status=Event.Status.DRAFT))
    client.force_login(editor)
    page = client.get(reverse("admin:history_event_change", args=[event.pk]))
    assert b'name="status"' not in page.content
    response = client.post(
        reverse("admin:history_event_change", args=[event.pk]),
        event_form_data(event, status="published", title_en="Edited by the editor"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Edited by the editor"
    assert event.status == Event.Status.DRAFT


def test_publisher_publishes_a_cited_record(client, publisher):
    event = cited(EventFactory(status=Event.Status.DRAFT))
    client.force_login(publisher)
    response = client.post(
        reverse("admin:history_event_change", args=[event.pk]), event_form_data(event, status="published")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.history.first().history_change_reason == "Published"


def test_publishing_without_a_citation_is_refused(client, publisher):
    event = EventFactory(status=Event.Status.DRAFT)
    client.force_login(publisher)
    response = client.post(
        reverse("admin:history_event_change", args=[event.pk]), event_form_data(event, status="published")
    )
    assert response.status_code == 200
    assert "cannot be published without at least one citation" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_a_citation_added_in_the_same_form_allows_publishing(client, publisher):
    event = EventFactory(status=Event.Status.DRAFT)
    source = SourceFactory()
    client.force_login(publisher)
    data = event_form_data(event, status="published")
    data.update(
        {
            "citations-TOTAL_FORMS": 1,
            "citations-0-event": event.pk,
            "citations-0-source": source.pk,
            "citations-0-locator": "p. 4",
            "citations-0-quotation": "",
        }
    )
    response = client.post(reverse("admin:history_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.citations.get().locator == "p. 4"


def test_removing_the_last_citation_of_a_published_record_is_refused(client, publisher):
    event = cited(EventFactory(status=Event.Status.PUBLISHED))
    client.force_login(publisher)
    response = client.post(
        reverse("admin:history_event_change", args=[event.pk]), event_form_data(event, **{"citations-0-DELETE": "on"})
    )
    assert response.status_code == 200
    assert "cannot be published without at least one citation" in response.content.decode()
    assert event.citations.count() == 1


# create_editor


def test_create_editor_reads_the_password_from_stdin(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    out = io.StringIO()
    call_command("create_editor", "farid", "--email", "farid@example.org", "--password-from-stdin", stdout=out)
    user = User.objects.get(username="farid")
    assert user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert "Created 'farid' in Editors" in out.getvalue()


def test_create_editor_publisher(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    call_command("create_editor", "yuki", "--publisher", "--password-from-stdin", stdout=io.StringIO())
    assert can_publish(User.objects.get(username="yuki"))


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_create_editor_asks_twice_and_refuses_different_passwords(db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_editor", "farid")
    assert not User.objects.filter(username="farid").exists()


def test_create_editor_asks_twice_on_a_terminal(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    call_command("create_editor", "farid", stdout=io.StringIO())
    assert User.objects.get(username="farid").check_password(PASSWORD)


def test_create_editor_refuses_weak_password_and_existing_user(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("12345\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "farid", "--password-from-stdin")
    assert not User.objects.filter(username="farid").exists()
    User.objects.create_user("taken")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "taken", "--password-from-stdin")


def test_create_editor_without_terminal_explains_stdin_option(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-from-stdin"):
        call_command("create_editor", "farid")
