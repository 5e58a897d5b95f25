"""Faults: with PostgreSQL stopped, readers get a 503 page in their language with
Retry-After; when it is back the site recovers by itself, with no failed request.
A Redis cache that stops does not take pages down."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from config.settings import cache_from_url
from tests.servers import (
    AppServer,
    PostgresCluster,
    RedisServer,
    prepare_site,
    require_postgres,
    require_redis,
    site_environment,
)

pytestmark = pytest.mark.servers

PAGES = ("/en/", "/ja/events/", "/fa-af/conferences/", "/ps/aid/", "/en/sources/", "/en/search/?q=Kabul")


@pytest.fixture(scope="module")
def postgres():
    require_postgres()
    cluster = PostgresCluster()
    cluster.createdb("history")
    yield cluster
    cluster.remove()


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    require_redis()
    server = RedisServer(tmp_path_factory.mktemp("faults-redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory, postgres, redis):
    directory = tmp_path_factory.mktemp("faults-site")
    env = site_environment(directory, postgres.url("history"), cache_url=redis.url)
    prepare_site(env)
    server = AppServer(env, directory / "server.log")
    yield server
    server.stop()


def test_server_processes_keep_their_database_connections_for_the_next_requests(site, postgres):
    # Without the pool (config/settings.py) every request opened a connection of its
    # own and closed it at the end: none would be open between requests. Each search
    # is another address, so that no page comes from the page cache.
    for number in range(5):
        assert site.get(f"/en/search/?q=kabul+{number}")[0] == 200
    kept = postgres.clients("history")
    assert kept, "no connection stayed open between requests"
    for number in range(20):
        assert site.get(f"/en/search/?q=tokyo+{number}")[0] == 200
    now = postgres.clients("history")
    assert kept <= now, "the next requests did not use the connections already open"
    assert len(now) <= 2 * 8, "more connections than two processes' pools hold"


def test_database_down_is_a_503_in_the_readers_language_and_the_site_recovers(site, postgres):
    for path in PAGES:
        assert site.get(path)[0] == 200, path

    postgres.stop()
    try:
        for path, language, text in (
            ("/en/events/", "en", "Temporarily unavailable"),
            ("/ja/", "ja", "一時的にご利用"),
            ("/fa-af/aid/", "fa-af", 'dir="rtl"'),
            ("/ps/sources/", "ps", 'dir="rtl"'),
        ):
            status, headers, body = site.get(path)
            assert status == 503, path
            assert headers["Retry-After"].isdigit()
            assert f'lang="{language}"' in body
            assert text in body
    finally:
        postgres.start()

    # The first requests after the restart already work: no dead connection is reused.
    for _ in range(3):
        for path in PAGES:
            assert site.get(path)[0] == 200, path


def test_pages_stay_up_when_redis_stops(site, redis):
    assert all(site.get(path)[0] == 200 for path in PAGES)
    redis.stop()
    for path in PAGES:
        assert site.get(path)[0] == 200, path


def test_the_redis_cache_reads_a_stopped_server_as_empty(tmp_path):
    require_redis()
    server = RedisServer(tmp_path)
    with override_settings(CACHES={"default": cache_from_url(server.url)}):
        cache = caches.create_connection("default")
        cache.set("greeting", "salaam")
        assert cache.get("greeting") == "salaam"
        server.stop()
        cache.set("greeting", "konnichiwa")  # neither raises
        assert cache.get("greeting") is None


@pytest.mark.django_db
def test_pages_do_not_need_a_working_cache(client, tmp_path):
    require_redis()
    server = RedisServer(tmp_path)
    server.stop()
    with override_settings(CACHES={"default": cache_from_url(server.url)}):
        for name in ("history:home", "history:event-list", "history:timeline", "history:about"):
            assert client.get(reverse(name)).status_code == 200
