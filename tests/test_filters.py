"""List filters: the right records, overlap honouring precision, and nonsense
answered with the page and a message, never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from history.models import AidProgram, Event, Source

from .factories import (
    AidProgramFactory,
    ConferenceFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    SourceFactory,
    cited,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(name, lang="en"):
    with translation.override(lang):
        return reverse(name)


def titles(response):
    return [str(record.title) for record in response.context["records"]]


def event(title, start, precision="day", end=None, end_precision="day", **fields):
    return cited(
        EventFactory(
            title_en=title,
            start_date=start,
            start_precision=precision,
            end_date=end,
            end_precision=end_precision,
            **fields,
        )
    )


@pytest.fixture
def events():
    event("Treaty in force", datetime.date(1931, 1, 1), "year", event_type=Event.Type.TREATY, milestone=True)
    event("Legation opens", datetime.date(1934, 11, 1), "month", event_type=Event.Type.LEGATION_OPENED)
    event(
        "Chargé level",
        datetime.date(1978, 1, 1),
        "year",
        end=datetime.date(1979, 1, 1),
        end_precision="year",
        event_type=Event.Type.DOWNGRADED,
    )
    event("Tokyo conference", datetime.date(2002, 1, 21), end=datetime.date(2002, 1, 22), milestone=True)
    event("Last day of 1999", datetime.date(1999, 12, 31))
    EventFactory(title_en="Draft treaty", event_type=Event.Type.TREATY, status=Event.Status.DRAFT)


def test_event_type_filter(client, events):
    response = client.get(url("history:event-list"), {"type": "treaty"})
    assert titles(response) == ["Treaty in force"]


def test_milestone_filter(client, events):
    response = client.get(url("history:event-list"), {"milestone": "true"})
    assert titles(response) == ["Treaty in force", "Tokyo conference"]


@pytest.mark.parametrize(
    ("year_from", "year_to", "expected"),
    [
        # a year-precision date (stored 1931-01-01) is found by 1931 and not by 1932
        ("1931", "1931", ["Treaty in force"]),
        ("1932", "1933", []),
        # month precision: November 1934 is in 1934
        ("1934", "1934", ["Legation opens"]),
        # a range 1978–1979 overlaps 1979 alone and 1970–1978, but not 1980 onwards
        ("1979", "1979", ["Chargé level"]),
        ("1970", "1978", ["Chargé level"]),
        ("1980", "", ["Last day of 1999", "Tokyo conference"]),
        # the last day of a year belongs to that year
        ("1999", "1999", ["Last day of 1999"]),
        ("", "1931", ["Treaty in force"]),
    ],
)
def test_year_range_overlap_honours_precision(client, events, year_from, year_to, expected):
    response = client.get(url("history:event-list"), {"year_from": year_from, "year_to": year_to})
    assert response.status_code == 200
    assert titles(response) == expected


def test_drafts_never_listed(client, events):
    assert "Draft treaty" not in titles(client.get(url("history:event-list")))


@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "abc"},
        {"year_to": "19x9"},
        {"type": "no-such-type"},
        {"year_from": "99999999999999999999"},
        {"year_from": "2000", "year_to": "1990"},
    ],
)
def test_nonsense_gives_the_page_with_a_message(client, events, params):
    response = client.get(url("history:event-list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be understood and were left out" in html
    assert 'class="field has-error"' in html
    # invalid filters are left out: the unfiltered list is shown
    assert len(titles(response)) == 5


def test_reversed_years_explain_themselves(client, events):
    html = client.get(url("history:event-list"), {"year_from": "2000", "year_to": "1990"}).content.decode()
    assert "The first year must not be after the last year." in html


def test_page_out_of_range_shows_the_last_page_with_a_message(client, events):
    response = client.get(url("history:event-list"), {"page": "999999"})
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert "There is no such page; page 1 is shown instead." in response.content.decode()
    response = client.get(url("history:event-list"), {"page": "letters"})
    assert response.status_code == 200
    assert len(titles(response)) == 5
    # a number too long for int() to read (Python refuses past 4,300 digits)
    response = client.get(url("history:event-list"), {"page": "9" * 5000})
    assert response.status_code == 200
    assert "There is no such page; page 1 is shown instead." in response.content.decode()


def test_bad_values_are_answered_in_the_readers_language(client, events):
    response = client.get(url("history:event-list", "ja"), {"year_from": "abc"})
    assert response.status_code == 200
    assert "整数を入力してください" in response.content.decode()  # Django's own Japanese form message


def test_pagination_links_keep_the_filters(client, settings):
    settings.PAGE_SIZE = 2
    for day in range(1, 6):
        event(f"Visit {day}", datetime.date(1969, 4, day), event_type=Event.Type.VISIT)
    event("Treaty", datetime.date(1969, 4, 3), event_type=Event.Type.TREATY)
    response = client.get(url("history:event-list"), {"type": "visit", "year_from": "1969"})
    assert titles(response) == ["Visit 1", "Visit 2"]
    html = response.content.decode()
    slug = Event.objects.get(title_en="Visit 2").slug
    assert f'href="?type=visit&amp;year_from=1969&amp;after={slug}"' in html
    response = client.get(url("history:event-list"), {"type": "visit", "year_from": "1969", "after": slug})
    assert titles(response) == ["Visit 3", "Visit 4"]
    # an older link by page number still answers with the same records
    response = client.get(url("history:event-list"), {"type": "visit", "year_from": "1969", "page": "3"})
    assert titles(response) == ["Visit 5"]
    slug = Event.objects.get(title_en="Visit 5").slug
    assert f'href="?type=visit&amp;year_from=1969&amp;before={slug}"' in response.content.decode()
    response = client.get(url("history:event-list"), {"type": "visit", "year_from": "1969", "before": slug})
    assert titles(response) == ["Visit 3", "Visit 4"]
    response = client.get(url("history:event-list"), {"type": "visit", "year_from": "1969", "page": "last"})
    assert titles(response) == ["Visit 4", "Visit 5"]


def test_a_position_no_record_holds_shows_the_first_page(client, events):
    response = client.get(url("history:event-list"), {"after": "no-such-record"})
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert "There is no such page; page 1 is shown instead." in response.content.decode()


def test_conference_year_filter_uses_overlap(client):
    cited(ConferenceFactory(title_en="New year meeting", start_date=datetime.date(2005, 12, 30), end_date=None))
    cited(
        ConferenceFactory(
            title_en="Across the new year", start_date=datetime.date(2006, 12, 31), end_date=datetime.date(2007, 1, 2)
        )
    )
    assert titles(client.get(url("history:conference-list"), {"year": "2007"})) == ["Across the new year"]
    assert titles(client.get(url("history:conference-list"), {"year": "2005"})) == ["New year meeting"]
    response = client.get(url("history:conference-list"), {"year": "twenty"})
    assert response.status_code == 200 and len(titles(response)) == 2


@pytest.fixture
def programmes():
    jica, unesco = OrganizationFactory(slug="jica"), OrganizationFactory(slug="unesco")
    literacy = cited(
        AidProgramFactory(
            title_en="Literacy",
            sector=AidProgram.Sector.LITERACY,
            activity_status=AidProgram.ActivityStatus.CLOSED,
            start_date=datetime.date(2008, 3, 1),
            start_precision="month",
            end_date=datetime.date(2010, 6, 1),
            end_precision="month",
        )
    )
    airport = cited(
        AidProgramFactory(
            title_en="Airport terminal",
            sector=AidProgram.Sector.AIR_TRANSPORT,
            activity_status=AidProgram.ActivityStatus.IMPLEMENTATION,
            start_date=datetime.date(2004, 8, 21),
        )
    )
    ParticipationFactory(aidprogram=literacy, organization=unesco)
    ParticipationFactory(aidprogram=literacy, organization=jica, role="4")
    ParticipationFactory(aidprogram=airport, organization=jica)
    AidProgramFactory(title_en="Draft programme", status=AidProgram.Status.DRAFT)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "11230"}, ["Literacy"]),
        ({"status": "2"}, ["Airport terminal"]),
        ({"organisation": "unesco"}, ["Literacy"]),
        ({"organisation": "jica"}, ["Airport terminal", "Literacy"]),  # once each, though JICA has two roles
        ({"year_from": "2009", "year_to": "2009"}, ["Literacy"]),
        ({"year_from": "2011"}, []),
        ({"year_to": "2005"}, ["Airport terminal"]),
    ],
)
def test_aid_filters(client, programmes, params, expected):
    response = client.get(url("history:aidprogram-list"), params)
    assert titles(response) == expected


@pytest.mark.parametrize("params", [{"organisation": "nobody"}, {"sector": "99999"}, {"status": "x"}])
def test_aid_filter_nonsense(client, programmes, params):
    response = client.get(url("history:aidprogram-list"), params)
    assert response.status_code == 200
    assert "Some filters could not be understood" in response.content.decode()


def test_source_filters(client):
    SourceFactory(title="MOFA outline", source_type=Source.Type.WEBPAGE, reliability="primary", language="en")
    SourceFactory(title="Wire report", source_type=Source.Type.NEWSPAPER, reliability="secondary", language="ja")
    SourceFactory(title="Draft source", status=Source.Status.DRAFT)
    assert titles(client.get(url("history:source-list"), {"type": "article-newspaper"})) == ["Wire report"]
    assert titles(client.get(url("history:source-list"), {"reliability": "primary"})) == ["MOFA outline"]
    assert titles(client.get(url("history:source-list"), {"language": "ja"})) == ["Wire report"]
    assert titles(client.get(url("history:source-list"))) == ["MOFA outline", "Wire report"]
    response = client.get(url("history:source-list"), {"reliability": "gossip"})
    assert response.status_code == 200 and "Some filters could not be understood" in response.content.decode()
