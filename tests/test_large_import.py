"""A large valid fixture file through the admin's import page, on the site as
`make run` serves it (gunicorn's asyncio worker, production settings): a 24 MB
file is checked and then imported within the request, the editor sees what it
did, and the site answers readers meanwhile. With sync workers and a 30 s timeout
such a file had its worker killed.

The file holds 5,000 draft events with long bodies in four scripts: large in
bytes (what the upload, the parser and memory must carry), while the number of
objects keeps the test to a few minutes on CI."""

import json
import subprocess
import sys
import threading

import pytest

from tests.servers import ROOT, AppServer, prepare_site, site_environment

pytestmark = [pytest.mark.servers, pytest.mark.browser]

PASSWORD = "a long large-import password"
EVENTS = 5000
BODY = "Japan and Afghanistan; 日本とアフガニスタン; جاپان و افغانستان; جاپان او افغانستان. " * 40


def large_file(path):
    events = [
        {
            "model": "history.event",
            "fields": {
                "slug": f"bulk-event-{number:05d}",
                "title_en": f"Bulk event {number}",
                "summary_en": "One of many events in a large import.",
                "body_en": BODY,
                "start_date": f"{1930 + number % 90}-01-01",
                "start_precision": "year",
                "status": "draft",
            },
        }
        for number in range(EVENTS)
    ]
    path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("large-import")
    env = site_environment(directory, f"sqlite:///{directory / 'site.sqlite3'}")
    prepare_site(env)
    subprocess.run(
        [sys.executable, "manage.py", "create_editor", "aiko", "--publisher", "--password-from-stdin"],
        cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    server = AppServer(env, directory / "server.log")
    yield server, directory
    server.stop()


def test_a_24_mb_file_is_checked_and_imported_within_the_request(site, page):
    server, directory = site
    upload = large_file(directory / "bulk-events.json")
    assert upload.stat().st_size > 24 * 1024 * 1024
    base = f"http://127.0.0.1:{server.port}"
    page.set_default_timeout(240_000)  # the proxy in front waits 300 s (README)

    page.goto(base + "/admin/login/")
    page.fill("#id_username", "aiko")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")

    # Readers are answered while the import runs in another thread.
    answers = []
    reader = threading.Thread(target=lambda: answers.extend(server.get("/en/")[0] for _ in range(3)))
    page.goto(base + "/admin/history/import/")
    page.set_input_files("input[type=file]", str(upload))
    with page.expect_navigation():
        page.click("input[type=submit][value='Check the file']")
        reader.start()
    reader.join(timeout=120)
    assert answers == [200, 200, 200]
    report = page.locator("#content").inner_text()
    assert "What importing bulk-events.json would do" in report, report[:3000]
    assert f"{EVENTS} created" in report, report[:3000]

    with page.expect_navigation():
        page.click("input[name=confirm]")
    assert "Imported bulk-events.json" in page.content()
    # Drafts: in the admin, not on the site.
    assert server.get("/en/events/bulk-event-00042/")[0] == 404
    page.goto(base + "/admin/history/event/?q=bulk-event-04999")
    assert "Bulk event 4999" in page.content()
