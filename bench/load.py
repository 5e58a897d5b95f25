"""Load: a mix of reader pages for a bounded time at a fixed number of concurrent
keep-alive connections, against the site served as `make run` serves it. Reports
errors (any failed request, any 5xx: must be zero; the exit status is 1 otherwise)
and p50/p99 latency, overall and per page.

    .venv/bin/python bench/load.py                 # a fresh server on a fresh SQLite copy of the seed
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:54336/load
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000   # a server already running

Loopback only: any other host is refused. At most 120 seconds and 256 connections.
"""

import argparse
import http.client
import ipaddress
import random
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import AppServer, prepare_site, site_environment  # noqa: E402

# (weight, label, path): what readers ask for, most often the lists and records.
MIX = (
    (10, "home", "/en/"),
    (6, "home ja", "/ja/"),
    (4, "home ps", "/ps/"),
    (8, "timeline", "/en/timeline/"),
    (10, "event list", "/en/events/"),
    (6, "event list filtered", "/en/events/?type=embassy-opened&year_from=1930&year_to=2025"),
    (14, "event", "/en/events/afghan-embassy-tokyo-reopens-2002/"),
    (6, "event fa-af", "/fa-af/events/afghan-legation-tokyo-opens-1933/"),
    (6, "conference list", "/en/conferences/"),
    (8, "conference", "/ja/conferences/"),
    (6, "aid list", "/en/aid/"),
    (6, "source list", "/en/sources/"),
    (6, "search", "/en/search/?q=Kabul"),
    (3, "search ja", "/ja/search/?q=カブール"),
    (2, "about", "/en/about/"),
    (6, "stylesheet", "/static/css/site.css"),
    (2, "not found", "/en/events/no-such-event/"),
)
EXPECTED = {"not found": 404}


def loopback(host):
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


class Load:
    def __init__(self, host, port, connections, seconds):
        self.host, self.port = host, port
        self.connections, self.seconds = connections, seconds
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.lock = threading.Lock()
        self.labels, self.paths = zip(*((label, path) for _, label, path in MIX), strict=True)
        self.weights = [weight for weight, _, _ in MIX]

    def worker(self, seed, deadline):
        chooser = random.Random(seed)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        while time.monotonic() < deadline:
            index = chooser.choices(range(len(self.paths)), self.weights)[0]
            label, path = self.labels[index], urllib.parse.quote(self.paths[index], safe="/?=&")
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            elapsed = time.perf_counter() - started
            with self.lock:
                if status != EXPECTED.get(label, 200):
                    self.errors[f"{label}: {status}"] += 1
                else:
                    self.latencies[label].append(elapsed)
        connection.close()

    def run(self):
        deadline = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self.worker, args=(n, deadline)) for n in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def report(self):
        every = [value for values in self.latencies.values() for value in values]
        failed = sum(self.errors.values())
        print(f"{len(every) + failed} requests in {self.seconds} s at {self.connections} connections: "
              f"{(len(every) + failed) / self.seconds:.0f}/s, {failed} errors")  # fmt: skip
        print(f"{'page':24} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}")
        for label in [*self.labels, "all"]:
            values = every if label == "all" else self.latencies.get(label, [])
            p50, p99 = percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000
            print(f"{label:24} {len(values):7} {p50:8.1f} {p99:8.1f}")
        for error, count in sorted(self.errors.items()):
            print(f"error  {error}  x{count}")
        return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (loopback only); default: start one")
    parser.add_argument("--database-url", help="for the server started here; default: a fresh SQLite file")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=60)
    options = parser.parse_args()
    if not (0 < options.seconds <= 120 and 0 < options.connections <= 256):
        parser.error("at most 120 seconds and 256 connections")

    server = None
    with tempfile.TemporaryDirectory(prefix="history-load-") as directory:
        if options.url:
            parts = urllib.parse.urlsplit(options.url)
            host, port = parts.hostname, parts.port or 80
        else:
            database = options.database_url or f"sqlite:///{directory}/db.sqlite3"
            env = site_environment(Path(directory), database)
            print("preparing a server (migrate, seed, static files) ...", flush=True)
            prepare_site(env)
            server = AppServer(env, Path(directory) / "server.log")
            host, port = "127.0.0.1", server.port
        if not loopback(host):
            parser.error(f"{host} is not a loopback address: this benchmark only loads this machine")
        try:
            load = Load(host, port, options.connections, options.seconds)
            load.run()
            failed = load.report()
        finally:
            if server:
                server.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
