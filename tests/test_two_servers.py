"""Beyond one machine: two app servers on one PostgreSQL and one Redis, as behind a
load balancer. An edit saved through one is seen at once through the other, a
record unpublished through one is private on both, and an editor's session opened
on one is valid on the other."""

import os
import re
import subprocess
import sys

import pytest

from tests.servers import (
    ROOT,
    AppServer,
    PostgresCluster,
    RedisServer,
    prepare_site,
    require_postgres,
    require_redis,
    site_environment,
)

pytestmark = [pytest.mark.servers, pytest.mark.browser]

PASSWORD = "a long two-server password"
EVENT = "/en/events/afghan-embassy-tokyo-reopens-2002/"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    require_postgres()
    directory = tmp_path_factory.mktemp("two-servers")
    cluster = PostgresCluster()
    redis = None
    try:
        cluster.createdb("history")
        # .ci/run starts one Redis for the suite; on a laptop the test starts its own.
        if os.environ.get("REDIS_URL"):
            cache_url = os.environ["REDIS_URL"]
        else:
            require_redis()
            redis = RedisServer(directory)
            cache_url = redis.url
        env = site_environment(directory, cluster.url("history"), cache_url=cache_url)
        prepare_site(env)
        subprocess.run(
            [sys.executable, "manage.py", "create_editor", "kenji", "--publisher", "--password-from-stdin"],
            cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        )  # fmt: skip
        first, second = AppServer(env, directory / "first.log"), AppServer(env, directory / "second.log")
        yield first, second
        first.stop()
        second.stop()
    finally:
        if redis:
            redis.stop()
        cluster.remove()


def base(server):
    return f"http://127.0.0.1:{server.port}"


def title_of(server, path):
    status, _, body = server.get(path)
    assert status == 200, path
    return re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1).strip()


def edit_event(page, server, change):
    """Open the event's change form on that server, let change() fill it, save."""
    page.goto(base(server) + "/admin/history/event/?q=afghan-embassy-tokyo-reopens-2002")
    with page.expect_navigation():
        page.click("#result_list tbody th a")
    change()
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "was changed successfully" in page.content()


def test_an_edit_through_one_server_is_seen_at_once_through_the_other(servers, page):
    first, second = servers
    assert title_of(first, EVENT) == title_of(second, EVENT)

    page.goto(base(first) + "/admin/login/")
    page.fill("#id_username", "kenji")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    edit_event(page, first, lambda: page.fill("#id_title_en", "The embassy reopens, as edited on the first server"))

    assert title_of(second, EVENT) == "The embassy reopens, as edited on the first server"

    # Unpublished through the first server: private on both, at once.
    edit_event(page, first, lambda: page.select_option("#id_status", "draft"))
    for server in (first, second):
        assert server.get(EVENT)[0] == 404
        assert "afghan-embassy-tokyo-reopens-2002" not in server.get("/en/events/")[2]
        assert "afghan-embassy-tokyo-reopens-2002" not in server.get("/sitemap-event.xml")[2]

    # The editor's session, opened on the first server, previews the draft on the second.
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    status, _, body = second.get(EVENT, headers={"Cookie": cookie})
    assert status == 200 and "The embassy reopens, as edited on the first server" in body
