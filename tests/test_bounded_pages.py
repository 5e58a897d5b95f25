"""No public page grows without bound: the timeline comes in windows, a deep list
page is found by its neighbour rather than counted from the start, the home page
shows a bounded set. Measured in records shown and queries made, never in time."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from history import charts, timeline
from history.models import Conference, Event
from history.paging import beyond, kept_span, list_order, record_page

from .factories import (
    AidProgramFactory,
    CitationFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ENTRY = re.compile(r'<li class="timeline-entry kind-(\w+)[^"]*">.*?<a href="/en/[a-z]+/([-\w]+)/"', re.S)


def many_events(count, first_year=1900, **fields):
    """`count` published events, several on each day, written in one query."""
    events = [
        Event(
            slug=f"generated-{number:05d}",
            title_en=f"Generated event {number}",
            summary_en="Generated.",
            start_date=datetime.date(first_year + number // 40, 1 + number % 40 // 4, 1),
            status=Event.Status.PUBLISHED,
            **fields,
        )
        for number in range(count)
    ]
    Event.objects.bulk_create(events)


def shown(response):
    return ENTRY.findall(response.content.decode())


def next_link(response, rel):
    found = re.search(rf'<a rel="{rel}" href="\?([^"]+)"', response.content.decode())
    return found and dict(part.split("=", 1) for part in found.group(1).replace("&amp;", "&").split("&"))


def test_the_timeline_comes_in_windows_that_together_hold_every_record_once(client):
    many_events(450)
    ConferenceFactory(slug="a-conference", start_date=datetime.date(1901, 1, 1), end_date=None)
    address = reverse("history:timeline")
    response = client.get(address)
    assert response.status_code == 200
    seen = shown(response)
    assert len(seen) == timeline.WINDOW
    assert len(response.content) < 200_000
    assert next_link(response, "prev") is None
    pages = [seen]
    while (params := next_link(response, "next")) is not None:
        response = client.get(address, params)
        pages.append(shown(response))
        assert len(pages) < 10
    everything = [entry for page in pages for entry in page]
    assert len(everything) == len(set(everything)) == 451
    expected = sorted(
        [(event.start_date, "event", event.slug) for event in Event.objects.all()]
        + [(datetime.date(1901, 1, 1), "conference", "a-conference")]
    )
    assert everything == [(kind, slug) for _date, kind, slug in expected]
    # and back again: the window before the last is the one read before it
    response = client.get(address, next_link(response, "prev"))
    assert shown(response) == pages[-2]


def test_a_timeline_window_from_a_year_and_the_decades_it_spans(client):
    many_events(450)  # 1900 to 1911
    response = client.get(reverse("history:timeline"), {"from": "1905"})
    entries = shown(response)
    assert entries[0] == ("event", "generated-00200")  # the first of 1905
    html = response.content.decode()
    assert 'href="?from=1900"' in html and 'href="?from=1910"' in html and "?from=1920" not in html
    assert next_link(response, "prev") is not None
    response = client.get(reverse("history:timeline"), {"from": "nineteen"})
    assert "Some filters could not be understood" in response.content.decode()
    assert shown(response)[0] == ("event", "generated-00000")


def test_a_timeline_window_keeps_to_the_era_and_kind_chosen(client):
    many_events(100, first_year=1975)  # 1975 to 1977: early relations
    EventFactory(slug="after-the-bonn-agreement", start_date=datetime.date(2002, 1, 21))
    ConferenceFactory(slug="tokyo-2002", start_date=datetime.date(2002, 1, 21))
    response = client.get(reverse("history:timeline"), {"era": "reconstruction"})
    assert shown(response) == [("conference", "tokyo-2002"), ("event", "after-the-bonn-agreement")]
    response = client.get(reverse("history:timeline"), {"era": "reconstruction", "kind": "event"})
    assert shown(response) == [("event", "after-the-bonn-agreement")]


def test_a_place_in_the_timeline_that_is_gone_shows_the_start(client):
    many_events(3)
    response = client.get(reverse("history:timeline"), {"after": "event.no-such-event"})
    assert response.status_code == 200
    assert "not there any more" in response.content.decode()
    assert shown(response)[0] == ("event", "generated-00000")


def test_a_deep_list_page_costs_the_queries_of_the_first_and_reads_no_offset(client):
    many_events(300)
    address = reverse("history:event-list")
    with CaptureQueriesContext(connection) as first:
        client.get(address)
    deep = Event.objects.order_by("start_date", "slug")[260].slug
    with CaptureQueriesContext(connection) as later:
        response = client.get(address, {"after": deep})
    assert [str(record.slug) for record in response.context["records"]][0] == "generated-00261"
    # one query finds the record named, one asks whether anything is before it
    assert len(later) == len(first) + 2
    assert not any("OFFSET" in query["sql"].upper() for query in later.captured_queries)


def test_the_home_page_shows_a_bounded_set(client):
    many_events(200, milestone=True)
    Conference.objects.bulk_create(
        Conference(
            slug=f"conference-{n}",
            title_en=f"Conference {n}",
            city_en="Tokyo",
            summary_en="Met.",
            start_date=datetime.date(2000, 1, 1),
            status=Conference.Status.PUBLISHED,
        )
        for n in range(100)
    )
    html = client.get(reverse("history:home")).content.decode()
    assert html.count('class="milestone-date"') <= 4 * 8 + 12
    assert f'href="{reverse("history:event-list")}?milestone=true"' in html
    assert f'href="{reverse("history:conference-list")}"' in html


def test_the_sitemap_is_an_index_of_files_of_bounded_size(client, monkeypatch):
    from history import sitemaps

    monkeypatch.setattr(sitemaps.MultilingualSitemap, "limit", 1000)
    many_events(260)  # 1,040 addresses: two files of 1,000 and 40
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-event.xml?p=2" in index
    assert "sitemap-event.xml?p=3" not in index
    first = client.get("/sitemap-event.xml").content.decode()
    second = client.get("/sitemap-event.xml", {"p": "2"}).content.decode()
    assert first.count("<url>") == 1000 and second.count("<url>") == 40
    # every record in every language once, in slug order across the files
    locations = re.findall(r"<loc>http://testserver/(\w+(?:-\w+)?)/events/([-\w]+)/</loc>", first + second)
    assert len(set(locations)) == 1040
    assert locations[:5] == [(lang, "generated-00000") for lang in ("en", "ja", "fa-af", "ps")] + [
        ("en", "generated-00001")
    ]
    assert client.get("/sitemap-event.xml", {"p": "3"}).status_code == 404


def test_the_timeline_download_comes_in_parts_read_a_part_at_a_time(client, settings, django_assert_max_num_queries):
    import csv
    import io

    settings.DOWNLOAD_LIMIT = 200
    many_events(450)
    rows = []
    for offset in (0, 200, 400):
        with django_assert_max_num_queries(6):
            response = client.get(reverse("history:timeline"), {"format": "csv", "offset": offset})
            text = b"".join(response.streaming_content).decode()
        assert response["X-Total-Count"] == "450"
        rows += [row["slug"] for row in csv.DictReader(io.StringIO(text))]
    assert rows == [f"generated-{number:05d}" for number in range(450)]


def test_a_feed_page_reads_a_page_of_each_kind(client, django_assert_max_num_queries):
    many_events(300)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("history:feed"))
    assert response.content.count(b"<entry>") == 50
    assert client.get(reverse("history:feed"), {"page": "7"}).content.count(b"<entry>") == 300 - 6 * 50
    assert client.get(reverse("history:feed"), {"page": "8"}).status_code == 404


def test_a_source_page_shows_a_bounded_number_of_citing_records(client, monkeypatch):
    from history.models import Citation
    from history.views import records

    from .factories import SourceFactory

    monkeypatch.setattr(records, "CITATIONS_SHOWN", 5)
    source = SourceFactory(slug="general-source")
    many_events(8)
    Citation.objects.bulk_create(Citation(event=event, source=source, locator="p. 1") for event in Event.objects.all())
    html = client.get(source.get_absolute_url()).content.decode()
    assert html.count('href="/en/events/generated-') == 5
    assert "and 3 more records" in html


def plan_of(queryset):
    """The database's plan for a query, as one string. PostgreSQL is told not to read
    the whole table or its index as a bitmap, as it would for one this small, after
    a VACUUM has marked the rows visible to all (so that an index may be read alone)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE history_event")
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_bitmapscan = off")
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    return plan


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_offset_pages_and_the_feed_skip_rows_in_an_index_alone():
    # ?page=N and a sitemap's page skip their rows by key in the list index; the feed
    # reads the newest in the order it shows them. Without the key in the index,
    # page 4,000 of 100,000 events read and sorted the whole table on PostgreSQL.
    many_events(200)
    published = Event.objects.published()
    keys = published.order_by("start_date", "slug").values_list("pk", flat=True)[150:170]
    newest = published.order_by("-updated_at", "-id").values_list("id", "updated_at")[:50]
    only_index = "Index Only Scan" if connection.vendor == "postgresql" else "COVERING INDEX"
    for queryset, index in ((keys, "event_list_idx"), (newest, "event_updated_idx")):
        plan = plan_of(queryset)
        assert index in plan and only_index in plan, plan
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_a_deep_keyset_page_starts_its_index_range_at_its_position():
    # ?after= and ?before= (history.paging.beyond) and the timeline's windows next to
    # a record: the OR of "later date, or the same date and a later slug" alone is a
    # filter over every index entry before the position; the bound on the date
    # beside it is where the index read starts.
    many_events(200)
    ordered = Event.objects.published().order_by("start_date", "slug")
    position = ordered.values_list("start_date", "slug")[150]
    for after in (True, False):
        rows = ordered.filter(beyond(("start_date", "slug"), position, after=after)).values_list("pk", flat=True)[:21]
        plan = plan_of(rows)
        bound = (
            r"Index Cond: .*status.* AND \(start_date [<>]= "
            if connection.vendor == "postgresql"
            else r"INDEX event_list_idx \(status=\? AND start_date[<>]\?\)"
        )
        assert re.search(bound, plan), plan
    later = ordered.filter(beyond(("start_date", "slug"), position)).values_list("slug", flat=True)
    assert list(later[:3]) == list(ordered.values_list("slug", flat=True)[151:154])


def test_the_disagreements_come_a_page_at_a_time_in_the_order_of_the_story(client, settings):
    """By the date of the record each is about, grouped by it, a page at a time;
    a page is found by the disagreement next to it (history.views.disagreements)."""
    settings.PAGE_SIZE = 2
    treaty = EventFactory(slug="treaty", start_date=datetime.date(1930, 11, 19))
    embassy = EventFactory(slug="embassy", start_date=datetime.date(1955, 1, 1))
    tokyo = ConferenceFactory(slug="tokyo", start_date=datetime.date(2002, 1, 21))
    airport = AidProgramFactory(slug="airport", start_date=datetime.date(2003, 5, 1))
    draft = EventFactory(slug="draft", start_date=datetime.date(1940, 1, 1), status=Event.Status.DRAFT)
    about = {
        "tokyo-pledge": {"conference": tokyo},
        "treaty-signed-where": {"event": treaty},
        "airport-cost": {"aidprogram": airport},
        "embassy-opened-when": {"event": embassy},
        "draft-question": {"event": draft},
        "treaty-in-force-when": {"event": treaty},
    }
    for slug, subject in about.items():
        DisagreementFactory(slug=slug, question_en=f"Question {slug}", **subject)
    address = reverse("history:disagreements")

    def disagreements(html):
        return re.findall(r'id="disagreement-([-\w]+)"', html)

    pages, response = [], client.get(address)
    while True:
        html = response.content.decode()
        assert "5 disagreements" in html  # all of them, on every page
        pages.append(disagreements(html))
        params = next_link(response, "next")
        if params is None:
            break
        response = client.get(address, params)
    assert pages == [
        ["treaty-in-force-when", "treaty-signed-where"],
        ["embassy-opened-when", "tokyo-pledge"],
        ["airport-cost"],
    ]
    first = client.get(address).content.decode()
    assert first.count('id="about-event-treaty"') == 1  # one heading for the record's two
    assert disagreements(client.get(address, {"page": "last"}).content.decode()) == ["tokyo-pledge", "airport-cost"]
    back = client.get(address, {"before": "tokyo-pledge"}).content.decode()
    assert disagreements(back) == ["treaty-signed-where", "embassy-opened-when"]
    gone = client.get(address, {"after": "no-such-disagreement"}).content.decode()
    assert "There is no such page; page 1 is shown instead." in gone
    assert disagreements(gone) == pages[0]


def test_a_kept_order_gives_the_pages_record_page_gives(settings):
    """The page of disagreements pages through an order kept whole (kept_span):
    for every address a reader may hold, the same records, links and notices as a
    list paged through the database (record_page)."""
    for n in range(7):
        EventFactory(slug=f"event-{n}", start_date=datetime.date(1950 + n // 2, 1, 1))
    EventFactory(slug="draft", status=Event.Status.DRAFT)
    published = Event.objects.published()
    slugs = list(published.order_by(*list_order(Event)).values_list("slug", flat=True))
    asked = [{}, {"page": "last"}, {"page": "1"}, {"page": "3"}, {"page": "9"}, {"page": "0"}, {"page": "x"}]
    asked += [{"after": slug} for slug in [*slugs, "draft", "no-such", "x" * 200]]
    asked += [{"before": slug} for slug in [*slugs, "draft"]]
    asked += [{"after": slugs[2], "before": slugs[5]}, {"after": slugs[2], "page": "last"}]
    for params in asked:
        page = record_page(published, params, 3)
        start, stop, notices = kept_span(slugs, params, 3)
        assert slugs[start:stop] == [event.slug for event in page.records], params
        assert (start > 0, stop < len(slugs), notices) == (page.has_previous, page.has_next, page.notices), params


def test_the_disagreements_order_is_kept_until_the_content_changes(client, settings, transactional_db, tmp_path):
    """Kept (content_version.kept): a disagreement published later, or about a
    record whose date changes, takes its place in the order at once."""
    settings.RUNTIME_DIR = tmp_path
    settings.SUMS_CACHE_SECONDS = 3600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    early = EventFactory(slug="early", start_date=datetime.date(1930, 1, 1))
    late = EventFactory(slug="late", start_date=datetime.date(1990, 1, 1))
    DisagreementFactory(slug="about-late", event=late)
    address = reverse("history:disagreements")

    def shown():
        return re.findall(r'id="disagreement-([-\w]+)"', client.get(address).content.decode())

    assert shown() == ["about-late"]
    DisagreementFactory(slug="about-early", event=early)
    assert shown() == ["about-early", "about-late"]
    late.start_date = datetime.date(1920, 1, 1)
    late.save()
    assert shown() == ["about-late", "about-early"]


def test_the_aid_list_draws_the_most_recent_pledges_and_says_how_many_there_are(client, monkeypatch):
    """At 2,000 conferences, drawing every pledge made the aid list a 2 MB page."""
    monkeypatch.setattr(charts, "PLEDGES_DRAWN", 2)
    AidProgramFactory(slug="a-programme")
    for year in (2002, 2006, 2010):
        ConferenceFactory(
            slug=f"pledged-{year}",
            title_en=f"Pledging conference of {year}",
            start_date=datetime.date(year, 6, 1),
            end_date=None,
            japan_pledge=1_000_000 * year,
        )
    html = client.get(reverse("history:aidprogram-list")).content.decode()
    pledges = html[html.index("Pledges and the programmes tied to them") :]
    assert "Pledging conference of 2006" in pledges and "Pledging conference of 2010" in pledges
    assert "Pledging conference of 2002" not in pledges
    assert pledges.index("Pledging conference of 2006") < pledges.index("Pledging conference of 2010")
    note = " ".join(pledges.split())
    assert "Only the 2 most recent of the 3 conferences with a pledge or a tied programme are drawn." in note


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_streams_a_hundred_records_at_a_time(client, fmt):
    """Memory stays bounded while a file is written, and the reader's language is
    switched on once a chunk, not once a record (history.downloads.tabular)."""
    many_events(250)
    response = client.get(reverse("history:event-list"), {"format": fmt})
    parts = [part.decode() for part in response.streaming_content]
    slugs = [re.findall(r"/events/(generated-\d{5})/", part) for part in parts]
    assert [len(found) for found in slugs if found] == [100, 100, 50]
    assert [slug for found in slugs for slug in found] == [f"generated-{number:05d}" for number in range(250)]
    if fmt == "json":
        assert len(json.loads("".join(parts))) == 250


def test_a_record_page_lists_a_bounded_number_of_the_records_tied_to_it(client, monkeypatch):
    """Past history.related.RELATED_SHOWN of a kind of tie, a record page lists that
    many, says so, and still adds up its pledge over every programme."""
    monkeypatch.setattr("history.related.RELATED_SHOWN", 2)
    conference = ConferenceFactory(slug="tokyo", japan_pledge=1000, japan_pledge_currency="USD")
    CitationFactory(conference=conference, source=SourceFactory(title="Only source"))
    for n in range(3):
        EventFactory(slug=f"tied-{n}", title_en=f"Tied event {n}", conference=conference)
        AidProgramFactory(slug=f"tied-programme-{n}", title_en=f"Tied programme {n}", pledge=conference,
                          amount=100 + n, currency="USD")  # fmt: skip
    EventFactory(slug="tied-draft", title_en="Tied draft", conference=conference, status=Event.Status.DRAFT)

    def page():
        return " ".join(client.get(conference.get_absolute_url()).content.decode().split())

    html = page()
    assert [n for n in range(3) if f"Tied event {n}" in html] == [0, 1]
    assert [n for n in range(3) if f"Tied programme {n}" in html] == [0, 1]
    assert html.count("Only the first 2 are listed here.") == 2
    assert "Tied draft" not in html
    assert "Together these programmes account for US$303 in" in html  # 100 + 101 + 102: all three
    assert "Only source" in html

    Event.objects.filter(slug="tied-2").delete()
    html = page()
    assert "Tied event 0" in html and "Tied event 1" in html
    assert html.count("Only the first 2 are listed here.") == 1  # the programmes are still three


def test_a_record_page_lists_a_bounded_number_of_its_citations(client, monkeypatch):
    monkeypatch.setattr("history.related.RELATED_SHOWN", 2)
    event = EventFactory(slug="cited-often", title_en="Cited often")
    for n in range(3):
        CitationFactory(event=event, source=SourceFactory(title=f"Source {n}"))
    html = " ".join(client.get(event.get_absolute_url()).content.decode().split())
    assert [n for n in range(3) if f"Source {n}<" in html] == [0, 1]
    assert "Only the first 2 are listed here." in html



def test_record_pages_built_from_the_same_lookups_show_each_its_own_ties(client):
    """A record page's querysets are built once for each kind and language
    (history.views.records.page_lookups): what one page read is never another's."""
    tokyo = ConferenceFactory(slug="tokyo", title_en="Tokyo conference", title_ja="東京会議")
    cited_event = EventFactory(slug="cited", title_en="Cited event", conference=tokyo)
    CitationFactory(event=cited_event, source=SourceFactory(title="The one source"))
    AidProgramFactory(slug="tied", title_en="Tied programme", title_ja="関連事業").events.add(cited_event)
    EventFactory(slug="bare", title_en="Bare event")

    def page(language, slug):
        return client.get(f"/{language}/events/{slug}/").content.decode()

    names = {"en": ("Tokyo conference", "Tied programme"), "ja": ("東京会議", "関連事業")}
    for _ in range(2):
        for language, (conference, programme) in names.items():
            cited = page(language, "cited")
            assert conference in cited and programme in cited and "The one source" in cited
            bare = page(language, "bare")
            assert conference not in bare and programme not in bare and "The one source" not in bare
