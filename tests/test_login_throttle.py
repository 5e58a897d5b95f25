"""Repeated failed logins for one account, or from one address, are refused for a
while with a page that says so in the editor's language; a success resets the
count; a client cannot dodge the address count with a made-up X-Forwarded-For."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
PASSWORD = "a-long-right-password"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, usernames, address="203.0.113.7", **headers):
    """Wrong passwords, one per username given: the login form again with its error
    until the limit; the failure that reaches it is already refused."""
    statuses = [log_in(client, username, "wrong", address, **headers).status_code for username in usernames]
    assert statuses == [200] * min(len(usernames), LIMIT - 1) + [429] * max(0, len(usernames) - LIMIT + 1)


def test_the_account_is_refused_after_the_limit_even_with_the_right_password(client, editor):
    fail(client, ["editor"] * LIMIT)
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "Too many failed logins" in response.content.decode()
    # From another address too: the account is what is locked.
    assert log_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429


def test_the_refusal_is_in_the_editors_language(client, editor):
    fail(client, ["editor"] * LIMIT)
    response = log_in(client, "editor", PASSWORD, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 429
    assert "ログインの失敗が多すぎます" in response.content.decode()


def test_one_address_trying_many_accounts_is_refused(client, editor):
    fail(client, [f"guess-{number}" for number in range(LIMIT)])
    assert log_in(client, "editor", PASSWORD).status_code == 429
    # The editor, from their own address, is not locked out by it.
    assert log_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_success_resets_the_count(client, editor):
    fail(client, ["editor"] * (LIMIT - 1))
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    fail(client, ["editor"] * (LIMIT - 1))
    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_logins_are_accepted_again_after_the_cool_off(client, editor):
    fail(client, ["editor"] * LIMIT)
    assert log_in(client, "editor", PASSWORD).status_code == 429
    past = AccessAttempt.objects.values_list("attempt_time", flat=True)[0] - settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=past - timedelta(minutes=1))
    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_a_made_up_forwarded_address_does_not_reset_the_address_count(client, editor):
    for number in range(LIMIT):
        response = log_in(client, f"guess-{number}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert response.status_code == 429
    assert log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


@override_settings(TRUSTED_PROXIES=["10.0.0.2"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_clients(client, editor):
    proxied = {"address": "10.0.0.2"}
    fail(client, [f"guess-{number}" for number in range(LIMIT)], HTTP_X_FORWARDED_FOR="203.0.113.50", **proxied)
    assert log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.50", **proxied).status_code == 429
    # Another reader behind the same proxy is a different address.
    assert log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxied).status_code == 302
