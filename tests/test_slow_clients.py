"""Slow clients and floods: the server `make run` starts keeps answering while 50
connections send their headers a line at a time, and anonymous requests that read
whole tables are bounded so that they cannot take the server's time from readers."""

import os
import shutil
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from history.sitemaps import MultilingualSitemap
from tests.factories import EventFactory, cited
from tests.servers import AppServer, prepare_site, site_environment

pytestmark = pytest.mark.servers

SLOW_CLIENTS = 50
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("slow-clients")
    env = site_environment(directory, f"sqlite:///{directory / 'db.sqlite3'}")
    prepare_site(env)
    server = AppServer(env, directory / "server.log")
    yield server
    server.stop()


class SlowClients:
    """Connections that send a request's headers one line per second and never end
    them until told to."""

    def __init__(self, port, count):
        self.sockets = []
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=30)
            connection.sendall(b"GET /en/about/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            self.sockets.append(connection)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.drip, daemon=True)
        self.thread.start()

    def drip(self):
        while not self.stopped.wait(1):
            for connection in self.sockets:
                connection.sendall(b"X-Slow: yes\r\n")

    def finish(self):
        """End every request; return the status line each one got."""
        self.stopped.set()
        self.thread.join()
        statuses = []
        for connection in self.sockets:
            connection.sendall(b"Connection: close\r\n\r\n")
            statuses.append(connection.makefile("rb").readline().decode().strip())
            connection.close()
        return statuses


def test_readers_are_answered_while_fifty_clients_send_headers_slowly(site):
    slow = SlowClients(site.port, SLOW_CLIENTS)
    try:
        time.sleep(2)  # a few header lines in: the slow requests are under way
        for path in ("/en/", "/en/events/", "/ja/timeline/", "/ps/sources/", "/robots.txt"):
            status, _, body = site.get(path, timeout=10)
            assert status == 200, path
            assert "</html>" in body or path == "/robots.txt"
    finally:
        statuses = slow.finish()
    # The slow clients were kept waiting, not dropped: each is answered once it is done.
    assert statuses == ["HTTP/1.1 200 OK"] * SLOW_CLIENTS


@pytest.mark.django_db
def test_the_sitemap_is_an_index_of_pages_of_bounded_size(client, monkeypatch):
    """Each page of the sitemap holds at most `limit` addresses, read from the
    database by itself: no request builds the whole list."""
    monkeypatch.setattr(MultilingualSitemap, "limit", 8)  # 2 records in 4 languages
    for number in range(5):
        cited(EventFactory(slug=f"event-{number:02}"))
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [page.find(f"{SITEMAP}loc").text for page in index.findall(f"{SITEMAP}sitemap")]
    event_pages = [page for page in pages if "sitemap-event.xml" in page]
    assert len(event_pages) == 3  # 20 addresses, 8 a page
    found = []
    for page in event_pages:
        urls = ET.fromstring(client.get(page).content).findall(f"{SITEMAP}url")
        assert len(urls) <= 8
        found += [url.find(f"{SITEMAP}loc").text for url in urls]
    assert len(found) == len(set(found)) == 20
    assert {url.split("/")[3] for url in found} == {"en", "ja", "fa-af", "ps"}


EXPENSIVE = (
    "/sitemap.xml",
    "/sitemap-event.xml",
    "/en/events/?format=csv",
    "/ja/sources/?format=json",
    "/en/feeds/events/",
)


@pytest.mark.django_db
@override_settings(EXPENSIVE_REQUESTS_PER_PROCESS=0)
def test_expensive_anonymous_requests_beyond_the_bound_get_a_503_and_pages_do_not(client):
    """No free slot (as when that many are under way): refused at once, with when
    to come back, in the reader's language; ordinary pages are not counted."""
    for path in EXPENSIVE:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"].isdigit()
    assert "混み合って" in client.get("/ja/events/?format=csv").content.decode()
    for name in ("history:home", "history:event-list", "history:search"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
@override_settings(EXPENSIVE_REQUESTS_PER_PROCESS=0)
def test_editors_are_not_bounded(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.django_db
@override_settings(EXPENSIVE_REQUESTS_PER_PROCESS=1)
def test_a_finished_expensive_request_frees_its_slot(client):
    """Once its body is sent (a streamed download's too), the next one may start."""
    for _ in range(3):
        for path in EXPENSIVE:
            response = client.get(path)
            assert response.status_code == 200, path
            response.getvalue()  # the whole body, as a server sends it: then the slot is free


def test_clients_that_go_away_mid_request_leave_no_slot_taken(site):
    """More clients than slots, who leave with requests under way (wrk, Debian's
    load generator, closes its connections so at the end of a run; so do crawlers
    that time out): afterwards the sitemap and the downloads are served again, not
    refused as busy for ever."""
    wrk = shutil.which("wrk")
    if wrk is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: .ci/run installs it
            pytest.fail("wrk is missing; .ci/run installs it")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    paths = ["/sitemap.xml", "/sitemap-event.xml", "/en/events/?format=csv"]
    for path in paths:
        address = f"http://127.0.0.1:{site.port}{path}"
        subprocess.run([wrk, "-t2", "-c8", "-d2s", address], capture_output=True, check=True)
    time.sleep(2)  # what was started runs to its end
    for path in paths:
        for _ in range(4):
            assert site.get(path)[0] == 200, path


def listening_sockets(port):
    """The inodes of the sockets listening on this TCP port of the loopback."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as rows:
            next(rows)
            for row in rows:
                fields = row.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(fields[9])
    return inodes


def sockets_of(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def test_each_worker_listens_on_a_socket_of_its_own(site):
    """With one socket shared by the workers, the first worker to wake took every
    connection that had come in at once (asyncio accepts many at a time), and the
    other stayed idle while it served them all: the timeline's rate fell to a third
    at 8 keep-alive connections. A socket each (SO_REUSEPORT, config/gunicorn.conf.py)
    lets the kernel share connections out between the workers."""
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("needs Linux's /proc")
    master = site.process.pid
    workers = [int(pid) for pid in open(f"/proc/{master}/task/{master}/children").read().split()]
    assert len(workers) == 2  # WEB_CONCURRENCY, as make run starts it
    listening = listening_sockets(site.port)
    assert len(listening) == len(workers)
    for worker in workers:
        assert len(sockets_of(worker) & listening) == 1, worker
