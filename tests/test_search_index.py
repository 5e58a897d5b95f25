"""Search through the full-text index (history.search_index), on SQLite and on
PostgreSQL alike: kept in step with every write, ranked, grouped with counts per
kind, and the index really is what the database reads."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from history import kinds
from history.models import Event, Source
from history.search import search, search_filter
from history.search_index import ensure_after_migrate, search_table

from .factories import ConferenceFactory, EventFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def found(q, model=Event):
    return sorted(model.objects.filter(search_filter(q)).values_list("slug", flat=True))


def test_the_index_follows_every_save_and_delete():
    event = EventFactory(slug="legation", title_en="Japan opens a legation in Kabul")
    assert found("legation kabul") == ["legation"]
    assert found("カブール") == ["legation"]  # the glossary's other spellings are indexed too
    event.title_en = "Japan opens a legation in Tokyo"
    event.save()
    assert found("kabul") == []
    assert found("tokyo legation") == ["legation"]
    event.delete()
    assert found("legation") == []


def test_bulk_writes_and_updates_reach_the_index():
    Event.objects.bulk_create(
        [
            Event(slug=f"bulk-{n}", title_en="Bulk", summary_en="x", start_date=datetime.date(2000, 1, 1))
            for n in range(3)
        ]
    )
    Event.objects.filter(slug="bulk-1").update(search_text="bulk-1 written by an update of kandahar")
    assert found("kandahar") == ["bulk-1"]
    Event.objects.filter(slug__startswith="bulk").delete()
    assert found("kandahar") == []


def test_an_import_is_searchable_at_once(tmp_path):
    (tmp_path / "source.json").write_text(
        json.dumps(
            [
                {
                    "model": "history.source",
                    "fields": {
                        "slug": "imported-report",
                        "title": "Report on Bamyan",
                        "source_type": "report",
                        "status": "draft",
                        "description_en": "Imported.",
                    },
                }
            ]
        ),
        encoding="utf-8",
    )
    call_command("import_fixtures", str(tmp_path / "source.json"), verbosity=0)
    assert found("bamyan", Source) == ["imported-report"]


@pytest.mark.parametrize("q", ["日本", "国", "ab"])
def test_terms_shorter_than_a_trigram_are_found(q):
    EventFactory(slug="short-terms", title_en="ab", title_ja="日本の国交", summary_en="x")
    EventFactory(slug="other", title_en="Something else", summary_en="x")
    assert found(q) == ["short-terms"]
    assert found(f"{q} something") == []


def test_results_are_ranked_grouped_and_counted():
    EventFactory(slug="mentions", title_en="A visit", body_en="Later, in Herat, a school opened.")
    EventFactory(slug="named", title_en="Herat school opens")
    EventFactory(slug="draft-herat", title_en="Herat", status=Event.Status.DRAFT)
    ConferenceFactory(slug="herat-meeting", title_en="Meeting in Herat")
    groups = {group.kind.name: group for group in search("herat school")}
    assert list(groups) == [kind.name for kind in kinds.KINDS]
    assert [event.slug for event in groups["event"].records] == ["named", "mentions"]
    assert groups["event"].count == 2
    assert groups["conference"].count == 0
    groups = {group.kind.name: group for group in search("herat", per_kind=1)}
    assert groups["event"].count == 2 and len(groups["event"].records) == 1
    assert groups["conference"].count == 1
    assert search(" ,, ") is None


@pytest.mark.parametrize("q", ["herat", "ab"])  # through the index, and the short term that is not
def test_a_search_counts_and_ranks_no_more_than_it_is_bounded_to(q):
    """Past `within` matches a kind says "more than", counts no further and ranks only
    the matches found first, whatever their number: what a word every record holds
    costs stays bounded."""
    for n in range(5):
        EventFactory(slug=f"visit-{n}", title_en=f"Visit {n}", body_en=f"Later, in Herat ab {n}.")
    EventFactory(slug="draft", title_en="Herat ab", status=Event.Status.DRAFT)
    events = search(q, within=3)[0]
    assert (events.count, events.more) == (3, True)
    shown = [event.slug for event in events.records]
    assert len(shown) == 4 and set(shown) <= {f"visit-{n}" for n in range(5)}
    events = search(q, within=5)[0]
    assert (events.count, events.more, len(events.records)) == (5, False, 5)


def test_the_search_page_says_when_there_are_more_than_it_counts(client, monkeypatch):
    monkeypatch.setattr("history.search.RANKED_MATCHES", 2)
    for n in range(3):
        SourceFactory(slug=f"ghor-{n}", title=f"Ghor report {n}")
    ConferenceFactory(slug="ghor-meeting", title_en="Meeting on Ghor")
    html = " ".join(client.get(reverse("history:search"), {"q": "ghor"}).content.decode().split())
    assert "More than 3 results for “ghor”" in html
    assert "Sources (more than 2)" in html and "Conferences (1)" in html
    assert "More than 2 match, too many to rank them all" in html
    with translation.override("ja"):
        html = client.get(reverse("history:search"), {"q": "ghor"}).content.decode()
    assert "「ghor」の検索結果：3件超" in html and "(2件超)" in html


def test_the_search_page_counts_every_match_and_shows_no_draft(client):
    for n in range(3):
        SourceFactory(slug=f"ghazni-{n}", title=f"Ghazni report {n}")
    SourceFactory(slug="ghazni-draft", title="Ghazni draft", status=Source.Status.DRAFT)
    html = client.get(reverse("history:search"), {"q": "ghazni"}).content.decode()
    assert "3 results for “ghazni”" in html
    assert "ghazni-draft" not in html


def test_a_table_rebuilt_by_a_migration_gets_its_index_back():
    EventFactory(slug="before", title_en="Indexed before the rebuild of Jalalabad")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {search_table(Event)}_insert")
            cursor.execute(f"DROP TRIGGER {search_table(Event)}_head_insert")
        EventFactory(slug="while", title_en="Written while Jalalabad had no trigger")
        assert found("jalalabad") == ["before"]
    ensure_after_migrate(sender=None)
    EventFactory(slug="after", title_en="Written after, in Jalalabad")
    expected = ["after", "before", "while"] if connection.vendor == "sqlite" else ["after", "before"]
    assert found("jalalabad") == expected
    # The search page's path: found and ranked in the index's own tables.
    assert sorted(record.slug for record in search("jalalabad")[0].records) == expected


def test_the_rank_follows_every_edit():
    """The rank reads the first characters of the search text from the index's own
    table (history.search_index): an edit that names the place earlier moves the
    record up at once."""
    visit = EventFactory(slug="event-a", title_en="A visit", body_en="Later, in Paktia, a clinic opened.")
    EventFactory(slug="event-b", title_en="Paktia clinic opens")

    def ranked():
        return [record.slug for record in search("paktia")[0].records]

    assert ranked() == ["event-b", "event-a"]
    visit.title_en = "Paktia clinic visit"
    visit.save()
    assert ranked() == ["event-a", "event-b"]  # the same place now: the key decides
    Event.objects.filter(pk=visit.pk).update(search_text="event-a a visit, later in paktia")
    assert ranked() == ["event-b", "event-a"]


def test_the_database_reads_the_index():
    EventFactory(title_en="Kabul")
    sql, params = Event.objects.filter(search_filter("kabul")).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # a tiny table would be read whole anyway
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")
    assert search_table(Event) in plan


def test_publishing_and_withdrawing_reach_the_index():
    """The search reads whether a record is published from the index's own table on
    PostgreSQL: a change of status, by save or by update, reaches it at once."""
    event = EventFactory(slug="kunduz-visit", title_en="A visit to Kunduz", status=Event.Status.DRAFT)

    def events_found():
        return [record.slug for record in search("kunduz")[0].records]

    assert events_found() == []
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    assert events_found() == ["kunduz-visit"]
    event.refresh_from_db()
    event.status = Event.Status.DRAFT
    event.save()
    assert events_found() == []


def test_emptying_a_table_empties_its_index():
    """Django's flush empties PostgreSQL's tables with TRUNCATE; SQLite has DELETE."""
    EventFactory(slug="faizabad", title_en="Faizabad")
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's open transaction has deferred checks
            cursor.execute(f"TRUNCATE {table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {table}")
    assert found("faizabad") == []
    EventFactory(slug="faizabad-again", title_en="Faizabad")
    assert found("faizabad") == ["faizabad-again"]
    assert search("faizabad")[0].count == 1
