"""Deploy settings: production mode with HTTPS passes Django's deploy checks at
warning level; HSTS, Permissions-Policy and secure, HttpOnly cookies; the proxy's
X-Forwarded-Proto believed only when a proxy is configured; per-instance runtime
paths. Production settings are read in a fresh interpreter, as the server reads them."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.servers import GUNICORN, ROOT

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_SECRET_KEY": "deploy-check-" + "k3y-0f-fifty-characters-or-more-with-variety-1234567890",
    "DJANGO_ALLOWED_HOSTS": "history.example.org,testserver",
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
result = {}
response = client.get("/robots.txt")
result["http"] = [response.status_code, response.get("Location")]
response = client.get("/robots.txt", secure=True)
result["https"] = {name: response.get(name) for name in ("Strict-Transport-Security", "Permissions-Policy")}
result["forwarded"] = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https").status_code
cookies = client.get("/admin/login/", secure=True).cookies
cookies.update(client.post("/i18n/setlang/", {"language": "ja", "next": "/ja/"}, secure=True).cookies)
result["cookies"] = {name: {flag: bool(cookies[name][flag]) for flag in ("secure", "httponly")} for name in cookies}
result["session"] = [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY]
print(json.dumps(result))
"""


def production(*command, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))}
    return subprocess.run(command, cwd=ROOT, env={**clean, **PRODUCTION, **env}, capture_output=True, text=True)


@pytest.fixture(scope="module")
def collected_static():
    """Production serves hashed static names from the manifest collectstatic
    writes (as `make run` does before it serves); a fresh clone has none yet."""
    result = production(sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    assert result.returncode == 0, result.stderr


def deploy_check(**env):
    return production(sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)


def probe(**env):
    result = production(sys.executable, "-c", PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_with_https_passes_the_deploy_check():
    result = deploy_check(DJANGO_HTTPS="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_https_the_deploy_check_fails():
    """The check above can fail: the same settings without HTTPS do not pass."""
    result = deploy_check()
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_https_redirects_and_sends_hsts_and_permissions_policy(collected_static):
    result = probe(DJANGO_HTTPS="1")
    assert result["http"] == [301, "https://testserver/robots.txt"]
    assert result["https"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in result["https"]["Permissions-Policy"]


def test_cookies_are_secure_and_http_only(collected_static):
    result = probe(DJANGO_HTTPS="1")
    assert result["cookies"]["csrftoken"] == {"secure": True, "httponly": True}
    assert result["cookies"][settings.LANGUAGE_COOKIE_NAME] == {"secure": True, "httponly": True}
    assert result["session"] == [True, True]


def test_forwarded_proto_is_believed_only_from_a_configured_proxy(collected_static):
    # A client that says it came over HTTPS is still sent to HTTPS...
    assert probe(DJANGO_HTTPS="1")["forwarded"] == 301
    # ...unless the site is told that a proxy in front sets that header.
    assert probe(DJANGO_HTTPS="1", DJANGO_TRUSTED_PROXIES="127.0.0.1")["forwarded"] == 200


@pytest.mark.django_db
def test_every_kind_of_page_says_what_the_browser_may_not_use(client, admin_client):
    for response in (
        client.get(reverse("history:home")),
        client.get("/en/no-such-page/"),
        client.get("/robots.txt"),
        admin_client.get(reverse("admin:index")),
    ):
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_a_clients_forwarded_proto_is_ignored_by_default(client):
    robots = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_pending_uploads_are_kept_per_instance():
    from history.admin import fixtures

    # Under this instance's runtime folder, not the machine's shared temporary one
    # (where a second instance on the machine would see the first one's files).
    upload_dir = Path(settings.IMPORT_UPLOAD_DIR).resolve()
    assert Path(fixtures.UPLOAD_DIR).resolve() == upload_dir
    assert Path(settings.RUNTIME_DIR).resolve() in upload_dir.parents
    assert upload_dir.parent != Path(tempfile.gettempdir()).resolve()


def control_socket(**env):
    result = production(str(GUNICORN), "--config", "config/gunicorn.conf.py", "--print-config", **env)
    values = dict(map(str.strip, line.split(" = ", 1)) for line in result.stdout.splitlines() if " = " in line)
    return values["control_socket"]


def test_each_instance_has_its_own_control_socket(tmp_path):
    first = control_socket(PORT="18001", DJANGO_RUNTIME_DIR=str(tmp_path / "a"))
    assert first == str(tmp_path / "a" / "gunicorn-18001.ctl")
    assert control_socket(PORT="18002", DJANGO_RUNTIME_DIR=str(tmp_path / "a")) != first
    assert control_socket(PORT="18001", DJANGO_RUNTIME_DIR=str(tmp_path / "b")) != first


WORKER_STARTS = """
import gc, json, runpy
from gunicorn.config import Config
import django
from django.core.asgi import get_asgi_application
application = get_asgi_application()  # what a worker loads before the hook runs
config = Config()
for name, value in runpy.run_path("config/gunicorn.conf.py").items():
    if name in config.settings:
        config.set(name, value)
before = gc.get_freeze_count()
config.post_worker_init(None)
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(), "threshold": gc.get_threshold()}))
"""


def test_a_worker_freezes_what_the_site_loaded():
    """gunicorn calls post_worker_init once the worker has loaded the site: from
    then on the collector leaves those objects alone, and waits for more new ones."""
    result = production(sys.executable, "-c", WORKER_STARTS)
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.splitlines()[-1])
    assert state["before"] == 0
    assert state["frozen"] > 50_000  # Django, the site's modules and URLs
    assert state["threshold"][0] == 20_000
