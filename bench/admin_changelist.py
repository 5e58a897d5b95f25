"""Benchmark (not a test): the admin's event changelist with many events.

    .venv/bin/python bench/admin_changelist.py [N]     (default N = 100000 events)

Fills a fresh SQLite database with N cited events, then times the changelist's
first page, a deep page, a filtered page and a search, as a superuser, printing the
time and the number of queries of each. The query count must not grow with N."""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(total):
    folder = tempfile.mkdtemp(prefix="history-bench-admin-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from history.models import Citation, Event, Organization, Source

    call_command("migrate", verbosity=0)
    publisher = Organization.objects.create(slug="mofa", name_en="Ministry of Foreign Affairs of Japan")
    source = Source.objects.create(slug="outline", title="Outline", publisher=publisher, status="published")
    started = time.perf_counter()
    start = datetime.date(1930, 1, 1)
    batch = 5000
    for offset in range(0, total, batch):
        events = Event.objects.bulk_create(
            Event(
                slug=f"event-{n:07d}",
                title_en=f"Event {n} in Kabul",
                summary_en="A generated event.",
                search_text=f"event {n} in kabul",
                start_date=start + datetime.timedelta(days=n % 30000),
                status="published",
            )
            for n in range(offset, min(offset + batch, total))
        )
        Citation.objects.bulk_create(Citation(event=event, source=source) for event in events)
    print(f"filled {total} events with citations in {time.perf_counter() - started:.1f} s")

    User.objects.create_superuser("bench", "bench@example.org", "bench-password")
    client = Client(HTTP_HOST="127.0.0.1")
    client.login(username="bench", password="bench-password")
    pages = {
        "first page": "/admin/history/event/",
        "page 50": "/admin/history/event/?p=50",
        "published, 1995": "/admin/history/event/?status__exact=published&year=1995",
        "search 'kabul 4242'": "/admin/history/event/?q=kabul+4242",
        "missing a citation": "/admin/history/event/?cited=no",
        "has a citation": "/admin/history/event/?cited=yes",
    }
    for label, url in pages.items():
        client.get(url)  # warm caches as a reader's second visit would
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
        print(f"{label:22} {response.status_code}  {elapsed * 1000:7.1f} ms  {len(queries):3d} queries")
        if os.environ.get("BENCH_SHOW_QUERIES"):
            for query in queries.captured_queries:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
