"""The number of queries a page makes does not grow with the number of records:
each page is measured with 3 and with 30 records and must make the same, pinned,
number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from .factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProvinceFactory,
    SourceFactory,
    cited,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def add_records(count, hub):
    """`count` published records of every kind, all tied to the same hub records,
    so both lists and detail pages grow."""
    for number in range(count):
        source = SourceFactory()
        event = cited(
            EventFactory(start_date=datetime.date(1930 + number, 1, 1), conference=hub["conference"], milestone=True),
            source=source,
        )
        program = cited(AidProgramFactory(pledge=hub["conference"]), source=source)
        conference = cited(ConferenceFactory(), source=source)
        event.aidprograms.add(hub["program"])
        hub["event"].aidprograms.add(program)
        hub["program"].provinces.add(ProvinceFactory())
        hub["conference"].hosts.add(OrganizationFactory())
        hub["conference"].outcome_documents.add(source)
        ParticipationFactory(aidprogram=hub["program"])
        for record in (hub["event"], hub["conference"], hub["program"]):
            cited(record, source=source, locator=f"p. {number}")
        field = {"event": hub["event"]}
        disagreement = DisagreementFactory(**field)
        ClaimFactory(disagreement=disagreement, source=hub["source"])
        ClaimFactory(disagreement=disagreement, source=source)
        conference.aidprograms.add(program)


@pytest.fixture
def hub():
    source = SourceFactory(slug="hub-source")
    conference = cited(ConferenceFactory(slug="hub-conference"), source=source)
    return {
        "source": source,
        "conference": conference,
        "event": cited(EventFactory(slug="hub-event", conference=conference), source=source),
        "program": cited(AidProgramFactory(slug="hub-programme", pledge=conference), source=source),
    }


PAGES = {
    # name, kwargs, query string, pinned number of queries. A list fetches the
    # relations its kind's rows read (history.kinds: list_related), a record page those
    # it shows (detail_related), each narrowed to published records in a query of
    # its own: a forward foreign key too, so that a draft reads as None.
    # milestones of each era, conferences
    "home": ("history:home", {}, {}, 5),
    # a window of the timeline (the positions, then the records shown) and its
    # first and last years, each one query a kind; then the drawn overview: records
    # a year, the last end and the marked milestones, conferences and programmes
    "timeline": ("history:timeline", {}, {}, 21),
    # every kind's ranked keys with the count of its matches, in one query, then
    # the records shown of each kind that has any (no source is called "number")
    "search": ("history:search", {}, {"q": "number"}, 4),
    "event-list": ("history:event-list", {}, {"type": "other"}, 2),
    "conference-list": ("history:conference-list", {}, {}, 2),
    # with the organisation filter's choices, and aid at a glance: by sector, by
    # year, the pledges' conferences drawn and how many there are, the programmes
    # tied to them, the counts
    "aid-list": ("history:aidprogram-list", {}, {"year_from": "2000"}, 9),
    "source-list": ("history:source-list", {}, {}, 3),
    "event-detail": ("history:event-detail", {"slug": "hub-event"}, {}, 6),
    "conference-detail": ("history:conference-detail", {"slug": "hub-conference"}, {}, 7),
    "aid-detail": ("history:aidprogram-detail", {"slug": "hub-programme"}, {}, 8),
    # (one more, a count, when more than 200 records cite it: it shows 200)
    "source-detail": ("history:source-detail", {"slug": "hub-source"}, {}, 5),
    # how many there are, a page of them with their records, then their claims
    "disagreements": ("history:disagreements", {}, {}, 3),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_depend_on_the_number_of_records(client, django_assert_num_queries, hub, page):
    name, kwargs, params, pinned = PAGES[page]
    address = reverse(name, kwargs=kwargs)

    add_records(3, hub)
    with django_assert_num_queries(pinned):
        response = client.get(address, params)
    assert response.status_code == 200
    shown_with_three = response.content.count(b"<li") + response.content.count(b"<article")

    add_records(27, hub)
    with django_assert_num_queries(pinned):
        response = client.get(address, params)
    assert response.status_code == 200
    # the page did grow, so the equal count means something
    assert response.content.count(b"<li") + response.content.count(b"<article") > shown_with_three


# In another language a page makes the same queries: lists read their records as
# lines (PublishableQuerySet.for_lines: the reader's language and English only),
# and a column left unread that the page shows would be read back one record at a
# time; record pages are here for what they show of their related records.
LINE_PAGES = (
    "home",
    "timeline",
    "search",
    "event-list",
    "aid-list",
    "source-list",
    "event-detail",
    "conference-detail",
    "aid-detail",
    "source-detail",
)


@pytest.mark.parametrize("language", ["ja", "ps"])
@pytest.mark.parametrize("page", LINE_PAGES)
def test_pages_in_other_languages_read_no_record_twice(client, django_assert_num_queries, hub, page, language):
    name, kwargs, params, pinned = PAGES[page]
    add_records(3, hub)
    own_title = {"ja": "第1号の出来事", "ps": "لومړۍ پېښه"}[language]
    setattr(hub["event"], f"title_{language}", own_title)
    hub["event"].save()
    with translation.override(language):
        address = reverse(name, kwargs=kwargs)
    with django_assert_num_queries(pinned):
        response = client.get(address, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    if page in ("timeline", "event-list"):
        assert own_title in html  # its own language's column, read with the line
