"""Open data downloads: CSV, JSON, CSL-JSON, BibTeX, IATI XML, TimelineJS."""

import csv
import datetime
import io
import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from history.downloads import list_download
from history.models import AidProgram, Conference, Event, Source
from history.timeline import timeline_records
from tests.factories import (
    AidProgramFactory,
    ConferenceFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    SourceFactory,
    cited,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today().isoformat()


@pytest.fixture
def content():
    jica = OrganizationFactory(
        slug="jica", name_en="JICA", name_ja="国際協力機構", iati_ref="JP-8", organization_type="ministry"
    )
    cited(
        EventFactory(
            slug="relations",
            title_en="Relations established",
            title_ja="国交樹立",
            title_fa_af="برقراری روابط",
            start_date=datetime.date(1931, 1, 1),
            start_precision="year",
        )
    )
    cited(EventFactory(slug="draft-event", status="draft"))
    cited(ConferenceFactory(slug="tokyo-2002", title_ps="د توکیو کنفرانس", total_pledged="4500000000"))
    program = cited(
        AidProgramFactory(
            slug="literacy",
            title_ja="識字教育",
            title_fa_af="سواد آموزی",
            amount="91000000",
            currency="USD",
            end_date=datetime.date(2015, 12, 1),
            end_precision="month",
            start_type="planned",
        )
    )
    ParticipationFactory(aidprogram=program, organization=jica, role="1")
    SourceFactory(
        slug="mofa-page",
        title="Japan & Afghanistan {relations} 100% _new_",
        author="外務省",
        publisher=jica,
        published_date=datetime.date(2002, 1, 1),
        published_precision="month",
        source_type="report",
        accessed=datetime.date(2024, 5, 1),
    )
    SourceFactory(slug="dari-source", title="روابط افغانستان و جاپان", source_type="webpage", language="fa")


def download(kind, queryset, fmt, language="en", **params):
    with translation.override(language):
        request = RequestFactory().get("/", {"format": fmt, **params} if fmt else {})
        return list_download(request, kind, queryset)


def body(response):
    """The whole of a streamed download (or of a refusal, which is not streamed)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_no_format_means_the_page(content):
    assert download("event", Event.objects.all(), None) is None


def test_unknown_format_is_a_400_in_the_readers_language(content):
    response = download("event", Event.objects.all(), "xlsx")
    assert response.status_code == 400
    assert "xlsx" in body(response).decode() and "csv, json" in body(response).decode()
    assert download("event", Event.objects.all(), "iati").status_code == 400


def test_csv_has_bom_filename_and_only_published(content):
    response = download("event", Event.objects.all(), "csv", language="ja")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="event-{TODAY}.csv"'
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["slug"] for r in rows] == ["relations"]
    assert rows[0]["title"] == "国交樹立"  # the active language
    assert rows[0]["url"] == "http://testserver/ja/events/relations/"


def test_json_in_dari(content):
    response = download("conference", Conference.objects.all(), "json", language="ps")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="conference-{TODAY}.json"'
    data = json.loads(body(response))
    assert data[0]["title"] == "د توکیو کنفرانس" and data[0]["total_pledged"] == "4500000000.00"
    events = json.loads(body(download("event", Event.objects.all(), "json", language="fa-af")))
    assert events[0]["title"] == "برقراری روابط"


def test_csl_json(content):
    response = download("source", Source.objects.all(), "csl-json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = {item["id"]: item for item in json.loads(body(response))}
    report = items["mofa-page"]
    assert report["type"] == "report"
    assert report["author"] == [{"literal": "外務省"}]
    assert report["issued"] == {"date-parts": [[2002, 1]]}  # month precision: no day
    assert report["publisher"] == "JICA"
    assert items["dari-source"]["title"] == "روابط افغانستان و جاپان"


def test_bibtex(content):
    response = download("source", Source.objects.all(), "bibtex")
    assert response["Content-Disposition"] == f'attachment; filename="source-{TODAY}.bib"'
    text = body(response).decode("utf-8")
    entries = set(re.findall(r"^@(\w+)\{([^,]+),", text, re.M))
    assert {("techreport", "mofa-page"), ("misc", "dari-source")} <= entries
    assert r"title = {{Japan \& Afghanistan \textbraceleft{}relations\textbraceright{} 100\% \_new\_}}" in text
    assert "month = jan" in text and "year = {2002}" in text and "date = {2002-01}" in text
    assert "author = {外務省}" in text and "institution = {JICA}" in text
    assert "روابط افغانستان و جاپان" in text
    assert text.count("{") == text.count("}") + text.count(r"\{") - text.count(r"\}")


def test_iati_xml(content):
    response = download("aidprogram", AidProgram.objects.all(), "iati")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="aidprogram-{TODAY}.xml"'
    root = ET.fromstring(body(response))
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier") == "XX-AFJP-HISTORY-literacy"
    reporting = activity.find("reporting-org")
    assert reporting.get("ref") == "XX-AFJP-HISTORY" and reporting.get("secondary-reporter") == "1"
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    titles = {n.get(lang, "en"): n.text for n in activity.find("title").findall("narrative")}
    assert titles["ja"] == "識字教育" and titles["fa"] == "سواد آموزی" and titles["en"].startswith("Programme")
    assert activity.find("description/narrative") is not None
    organisation = activity.find("participating-org")
    assert organisation.get("role") == "1" and organisation.get("ref") == "JP-8"
    assert activity.find("activity-status").get("code") == "4"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"1": "2008-03-01", "4": "2015-12-01"}
    notes = [d.findtext("narrative") for d in activity.findall("activity-date")]
    assert notes == ["Known to the month only: 2008-03", "Known to the month only: 2015-12"]
    assert activity.find("recipient-country").get("code") == "AF"
    sector = activity.find("sector")
    assert sector.get("vocabulary") == "1" and sector.get("code") == "11230"
    value = activity.find("transaction/value")
    assert value.text == "91000000.00" and value.get("currency") == "USD" and value.get("value-date")


def test_timelinejs(content):
    response = download("timeline", timeline_records(), "timelinejs", language="ja")
    data = json.loads(body(response))
    events = {e["unique_id"]: e for e in data["events"]}
    assert "event-draft-event" not in events
    assert events["event-relations"]["start_date"] == {"year": 1931, "display_date": "1931年"}  # year precision
    assert events["event-relations"]["text"]["headline"] == "国交樹立"
    assert events["aidprogram-literacy"]["start_date"] == {"year": 2008, "month": 3, "display_date": "2008年3月"}
    assert events["aidprogram-literacy"]["end_date"]["month"] == 12
    assert events["aidprogram-literacy"]["display_date"] == "2008年3月～2015年12月"
    assert events["conference-tokyo-2002"]["start_date"]["day"] == 21


def test_timeline_csv(content):
    response = download("timeline", timeline_records(), "csv")
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [(r["type"], r["slug"], r["start_precision"]) for r in rows] == [
        ("event", "relations", "year"),
        ("conference", "tokyo-2002", "day"),
        ("aidprogram", "literacy", "month"),
    ]


# Through the public URLs: these need the list views to call list_download first thing.
URL_CASES = [
    ("history:event-list", "csv", "text/csv"),
    ("history:conference-list", "json", "application/json"),
    ("history:aidprogram-list", "iati", "application/xml"),
    ("history:source-list", "bibtex", "application/x-bibtex"),
    ("history:source-list", "csl-json", "application/vnd.citationstyles.csl+json"),
    ("history:timeline", "timelinejs", "application/json"),
]


@pytest.mark.parametrize(("name", "fmt", "content_type"), URL_CASES)
def test_list_urls_offer_the_data(client, content, name, fmt, content_type):
    with translation.override("en"):
        url = reverse(name)
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Type"].startswith(content_type)
    assert client.get(url, {"format": "nonsense"}).status_code == 400


def test_a_download_with_a_filter_that_does_not_validate_is_refused(client, content):
    with translation.override("en"):
        url = reverse("history:event-list")
    response = client.get(url, {"format": "csv", "year_from": "nineteen"})
    assert response.status_code == 400
    assert "year_from" in body(response).decode()


def test_the_csv_download_holds_the_filtered_list_only(client):
    from .factories import EventFactory, cited

    cited(EventFactory(title_en="Legation opens", event_type="legation-opened"))
    cited(EventFactory(title_en="Conference held", event_type="conference"))
    with translation.override("en"):
        url = reverse("history:event-list")
    text = body(client.get(url, {"format": "csv", "type": "legation-opened"})).decode("utf-8-sig")
    assert "Legation opens" in text
    assert "Conference held" not in text


# Bounded downloads (issue 10): parts of at most DOWNLOAD_LIMIT records, linked.


def test_a_long_list_comes_in_linked_parts(content, settings):
    settings.DOWNLOAD_LIMIT = 2
    for number in range(3):
        cited(EventFactory(slug=f"extra-{number}", start_date=datetime.date(1990 + number, 1, 1)))
    first = download("event", Event.objects.all(), "json")
    assert first["X-Total-Count"] == "4"
    assert [row["slug"] for row in json.loads(body(first))] == ["relations", "extra-0"]
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first["Link"])}
    assert set(links) == {"first", "next", "last"}
    assert "offset=2" in links["next"] and "limit=2" in links["next"] and "format=json" in links["next"]
    second = download("event", Event.objects.all(), "json", offset="2")
    assert [row["slug"] for row in json.loads(body(second))] == ["extra-1", "extra-2"]
    assert 'rel="prev"' in second["Link"] and 'rel="next"' not in second["Link"]
    assert second["Content-Disposition"].endswith(f'event-{TODAY}-from-3.json"')
    past_the_end = download("event", Event.objects.all(), "csv", offset="10")
    assert body(past_the_end).decode("utf-8-sig").count("\r\n") == 1  # the header row alone


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "6000"}, {"offset": "-1"}, {"offset": "x"}, {"limit": "١"}]
)
def test_a_part_that_cannot_be_is_refused_in_words(content, params):
    response = download("event", Event.objects.all(), "csv", language="ja", **params)
    assert response.status_code == 400
    assert "offset" in body(response).decode() and "5000" in body(response).decode()


def test_a_download_of_one_part_has_no_links(content):
    response = download("event", Event.objects.all(), "csv")
    assert not response.has_header("Link") and response["X-Total-Count"] == "1"


@pytest.mark.parametrize(("name", "fmt", "content_type"), URL_CASES)
def test_every_download_is_readable_from_any_origin(client, content, name, fmt, content_type):
    with translation.override("en"):
        url = reverse(name)
    for params in ({"format": fmt}, {"format": "nonsense"}):
        response = client.get(url, params, headers={"origin": "https://elsewhere.example"})
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Link" in response["Access-Control-Expose-Headers"]
        assert not response.has_header("Access-Control-Allow-Credentials")


QUERY_CASES = [
    # kind, format, queries: the count, the list, and its related records
    ("event", "csv", 3),
    ("conference", "json", 2),
    ("aidprogram", "iati", 6),
    ("source", "bibtex", 3),
    ("source", "csl-json", 3),
]


def add_record(kind, conference):
    if kind == "aidprogram":
        ParticipationFactory(aidprogram=cited(AidProgramFactory(pledge=conference)))
    elif kind == "source":
        SourceFactory()
    elif kind == "event":
        cited(EventFactory(conference=conference))
    else:
        cited(ConferenceFactory())


@pytest.mark.parametrize(("kind", "fmt", "queries"), QUERY_CASES)
def test_the_queries_of_a_download_do_not_grow_with_its_rows(django_assert_num_queries, kind, fmt, queries):
    """Measured at 3 and at 30 records, like the pages (tests/test_query_counts.py)."""
    model = {"event": Event, "conference": Conference, "aidprogram": AidProgram, "source": Source}[kind]
    conference = cited(ConferenceFactory(slug="hub"))
    sizes = []
    for count in (3, 30):
        while model.objects.count() < count:
            add_record(kind, conference)
        with django_assert_num_queries(queries):
            sizes.append(len(body(download(kind, model.objects.all(), fmt))))
    assert sizes[1] > sizes[0]


# A record's own citation, on its page


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex"])
def test_a_record_page_offers_its_own_citation(client, content, fmt):
    with translation.override("ja"):
        event_url = Event.objects.get(slug="relations").get_absolute_url()
        source_url = Source.objects.get(slug="mofa-page").get_absolute_url()
    event = client.get(event_url, {"format": fmt})
    source = client.get(source_url, {"format": fmt})
    assert event["Access-Control-Allow-Origin"] == "*" and "attachment" in event["Content-Disposition"]
    if fmt == "csl-json":
        (page,) = json.loads(event.content)
        assert page["type"] == "webpage" and page["URL"] == f"http://testserver{event_url}"
        assert page["title"] == "国交樹立" and len(page["accessed"]["date-parts"][0]) == 3
        (item,) = json.loads(source.content)
        assert item["id"] == "mofa-page" and item["issued"] == {"date-parts": [[2002, 1]]}
    else:
        assert event.content.decode().startswith("@misc{event-relations,")
        assert source.content.decode().startswith("@techreport{mofa-page,")


def test_a_record_citation_is_for_published_records_and_known_formats(client, content):
    with translation.override("en"):
        draft = Event.objects.get(slug="draft-event").get_absolute_url()
        published = Event.objects.get(slug="relations").get_absolute_url()
    assert client.get(draft, {"format": "csl-json"}).status_code == 404
    assert client.get(published, {"format": "xlsx"}).status_code == 400
