"""The Editors and Publishers roles: what each may do in the admin (only
publishers publish or unpublish, on every admin path that writes), and the
create_editor command that makes such accounts. The revert path is in
test_revisions.py."""

import datetime
import io
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from history.models import Event
from history.publishing import EDITORS, PUBLISHERS, can_publish
from tests.factories import EventFactory, SourceFactory, cited, event_form_data

PASSWORD = "correct horse battery staple"


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


def change_url(record):
    return reverse(f"admin:history_{record._meta.model_name}_change", args=[record.pk])


def test_editor_sees_the_status_read_only(client, editor, parsed):
    event = cited(EventFactory(status=Event.Status.DRAFT))
    client.force_login(editor)
    page = parsed(client.get(change_url(event)).content)
    assert page.find_all("*", name="status") == []
    shown = page.find("div", class_="field-status")
    assert parsed.text(page.find("div", within=shown, class_="readonly")) == "draft"


def test_editor_posting_a_status_changes_everything_but_the_status(client, editor):
    """The status is read-only for editors: a posted value is ignored, as Django
    ignores any read-only field, and the rest of the edit is saved."""
    event = cited(EventFactory(status=Event.Status.DRAFT))
    client.force_login(editor)
    data = event_form_data(event, status="published", title_en="Edited by the editor")
    response = client.post(change_url(event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Edited by the editor"
    assert event.status == Event.Status.DRAFT


def test_editor_cannot_unpublish(client, editor):
    event = cited(EventFactory(status=Event.Status.PUBLISHED))
    client.force_login(editor)
    assert client.post(change_url(event), event_form_data(event, status="draft")).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.history.first().history_change_reason is None  # not recorded as "Unpublished"


def add_event_data(**changes):
    source = SourceFactory()
    new = EventFactory.build(slug="new-event", start_date=datetime.date(1935, 11, 1))
    citation = {"citations-TOTAL_FORMS": 1, "citations-0-source": source.pk, "citations-0-locator": "p. 2"}
    return event_form_data(new, **citation, **changes)


def test_editor_cannot_create_a_published_record(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:history_event_add"), add_event_data(status="published"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="new-event")
    assert event.status == Event.Status.DRAFT
    assert not Event.objects.published().exists()


def test_publisher_creates_a_published_record(client, publisher):
    client.force_login(publisher)
    response = client.post(reverse("admin:history_event_add"), add_event_data(status="published"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.get(slug="new-event").status == Event.Status.PUBLISHED


def test_editor_actions_cannot_change_or_delete_records(client, editor):
    """Bulk actions: an editor is offered the exports only; asking for another
    action (delete) changes nothing."""
    events = [cited(EventFactory(status=Event.Status.PUBLISHED)) for _ in range(2)]
    client.force_login(editor)
    changelist = reverse("admin:history_event_changelist")
    offered = [name for name, _label in client.get(changelist).context["action_form"].fields["action"].choices]
    assert offered == ["", "export_selected_json", "export_selected_csv"]
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [e.pk for e in events], "post": "yes"}
    )
    assert response.status_code == 302
    assert Event.objects.published().count() == 2
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["No action selected."]


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
    """Publishers may delete citations (editors may not delete anything)."""
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
