"""What the reader pages add to the lists and records: the timeline's drawing and
filters, aid at a glance, pledges traced to programmes, the page of disagreements,
citations ready to copy and permanent addresses."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from history.models import AidProgram, Event
from history.overview import MAX_MARKS

from .factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    SourceFactory,
    cited,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(name, lang="en", query="", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None) + query


def drawing(html):
    return html[html.index("<figure class=\"overview\"") : html.index("</figure>")]


@pytest.fixture
def story():
    source = SourceFactory(slug="mofa", title="Japan-Afghanistan Relations", url="https://www.mofa.go.jp/a.html")
    tokyo = cited(
        ConferenceFactory(
            slug="tokyo-2002",
            title_en="Tokyo reconstruction conference",
            start_date=datetime.date(2002, 1, 21),
            japan_pledge=Decimal("500000000"),
            japan_pledge_period_en="over two and a half years",
        ),
        source=source,
    )
    paris = cited(ConferenceFactory(slug="paris-2008", title_en="Paris conference", japan_pledge=Decimal("550000000")))
    treaty = cited(
        EventFactory(
            slug="treaty",
            title_en="Treaty of Friendship signed",
            title_ps="د دوستۍ تړون لاسلیک شو",
            start_date=datetime.date(1930, 11, 19),
            milestone=True,
        ),
        source=source,
    )
    ddr = cited(
        AidProgramFactory(
            slug="ddr",
            title_en="Disarmament programme",
            sector=AidProgram.Sector.REINTEGRATION,
            start_date=datetime.date(2003, 10, 1),
            end_date=datetime.date(2006, 6, 1),
            amount=Decimal("91000000"),
            currency="USD",
            pledge=tokyo,
        ),
        source=source,
    )
    airport = cited(
        AidProgramFactory(
            slug="airport",
            title_en="Airport terminal",
            sector=AidProgram.Sector.AIR_TRANSPORT,
            start_date=datetime.date(2004, 8, 21),
            amount=Decimal("3000000000"),
            currency="JPY",
            pledge=tokyo,
        )
    )
    literacy = cited(AidProgramFactory(slug="literacy", title_en="Literacy programme", amount=None))
    return {"tokyo": tokyo, "paris": paris, "treaty": treaty, "ddr": ddr, "airport": airport, "literacy": literacy}


def test_the_timeline_draws_every_mark_as_a_link_to_its_record(client, story):
    html = drawing(client.get(url("history:timeline")).content.decode())
    for record in story.values():
        assert f'href="{record.get_absolute_url()}"' in html
    assert html.count("<circle class=\"milestone\"") == 1
    assert html.count("<rect class=\"conference\"") == 2
    assert html.count("<rect class=\"programme") == 3
    # Eras are bands that filter the list, and the caption says it all in words.
    assert 'href="/en/timeline/?era=conflict"' in html and 'href="/en/timeline/?era=reconstruction"' in html
    assert "6 records in all" in html and "Its 1 milestones, 2 conferences and 3 aid programmes are marked" in html


def test_the_drawing_mirrors_on_right_to_left_pages(client, story):
    def x_of(html, slug):
        mark = re.search(
            rf'href="[^"]*/{slug}/">\s*<title>[^<]*</title>\s*<(?:circle|rect) class="\w+"\s+(?:cx|x)="([\d.]+)"', html
        )
        return float(mark.group(1))

    english = drawing(client.get(url("history:timeline", "en")).content.decode())
    pashto = drawing(client.get(url("history:timeline", "ps")).content.decode())
    # 1930 is at the left in English and at the right in Pashto; coordinates keep Latin digits.
    assert x_of(english, "treaty") < 200 and x_of(pashto, "treaty") > 800
    assert "د دوستۍ تړون لاسلیک شو" in pashto
    assert "۱۹۳۰" in pashto and "٫" not in re.sub(r"<title>.*?</title>", "", pashto)


def test_the_drawing_stays_small_however_many_records_there_are(client, story):
    Event.objects.bulk_create(
        Event(
            slug=f"bulk-{number}",
            title_en=f"Bulk event {number}",
            summary_en="A bulk event.",
            start_date=datetime.date(1950 + number % 70, 1 + number % 12, 1),
            milestone=True,
            status=Event.Status.PUBLISHED,
        )
        for number in range(600)
    )
    html = drawing(client.get(url("history:timeline")).content.decode())
    assert html.count('<circle class="milestone"') == MAX_MARKS
    assert "a sample spread over the years is marked" in html
    assert len(html.encode()) < 60_000


def test_the_timeline_filters_by_kind_and_era_and_explains_a_choice_it_does_not_know(client, story):
    html = client.get(url("history:timeline", query="?kind=conference&era=reconstruction")).content.decode()
    listed = html[html.index('id="timeline-list"') :]
    assert "Tokyo reconstruction conference" in listed and "Paris conference" in listed
    assert "Treaty of Friendship signed" not in listed and "Disarmament programme" not in listed
    assert "2 records in date order" in listed
    # The drawing still shows the whole history, the chosen era marked.
    assert 'class="era shade-0 current"' in html or 'class="era shade-1 current"' in html

    response = client.get(url("history:timeline", query="?era=golden-age"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be understood" in html
    assert "Treaty of Friendship signed" in html[html.index('id="timeline-list"') :]


def test_aid_at_a_glance_keeps_each_currency_apart(client, story):
    html = client.get(url("history:aidprogram-list")).content.decode()
    glance = html[html.index('id="glance-heading"') : html.index('class="list-head"')]
    assert "By sector, in US dollar" in glance and "By sector, in Japanese yen" in glance
    assert "The largest sector is reintegration and small arms control, with US$91,000,000" in glance
    assert "JP¥3,000,000,000" in glance  # in its own chart, never added to dollars
    assert "US$3,091,000,000" not in glance
    assert "1 programme has no amount in its sources and is not drawn." in glance
    # Each chart has its table, each sector a link to the list filtered by it.
    assert f'href="{url("history:aidprogram-list")}?sector=15240"' in glance
    assert glance.count("<table") == glance.count("<svg")


def test_aid_at_a_glance_follows_the_filters(client, story):
    html = client.get(url("history:aidprogram-list", query="?sector=21050")).content.decode()
    glance = html[html.index('id="glance-heading"') : html.index('class="list-head"')]
    assert "For the programmes matching these filters." in glance
    assert "By sector, in US dollar" not in glance and "air transport" in glance


def test_pledges_against_the_programmes_tied_to_them(client, story):
    html = client.get(url("history:aidprogram-list")).content.decode()
    chart = " ".join(html[html.index("Pledges and the programmes tied to them") :].split())
    assert "Japan's pledge is given for 2 of these conferences" in chart
    assert "the sources tie programmes on this site to 1 of them" in chart
    assert "no programme tied to it in the sources" in chart  # Paris


def test_a_conference_lists_the_programmes_delivering_on_its_pledge(client, story):
    html = " ".join(client.get(story["tokyo"].get_absolute_url()).content.decode().split())
    assert "Pledges and the programmes delivering on them" in html
    assert "<bdi>US$500,000,000</bdi> (over two and a half years)" in html
    assert story["ddr"].get_absolute_url() in html and story["airport"].get_absolute_url() in html
    assert "Together these programmes account for US$91,000,000 in the pledge's currency." in html
    assert "Amounts in another currency (JP¥3,000,000,000) are not added to it" in html
    assert "closed" in html  # each programme's status

    html = client.get(story["paris"].get_absolute_url()).content.decode()
    assert "The sources do not tie any programme on this site to a pledge made at this conference" in html


def test_a_programme_links_back_to_its_pledge_or_says_there_is_none(client, story):
    html = " ".join(client.get(story["ddr"].get_absolute_url()).content.decode().split())
    assert f'Delivers on Japan\'s pledge at <a href="{story["tokyo"].get_absolute_url()}#pledges-heading">' in html
    assert "(<bdi>US$500,000,000</bdi>)" in html
    html = client.get(story["literacy"].get_absolute_url()).content.decode()
    assert "The sources do not tie this programme to a pledge made at a conference." in html


def test_every_disagreement_on_one_page_grouped_by_record(client, story):
    agreeing, dissenting = SourceFactory(title="Embassy page"), SourceFactory(title="Encyclopedia")
    draft = SourceFactory(title="Draft source", status="draft")
    disagreement = DisagreementFactory(event=story["treaty"], question_en="1930 or 1931?")
    ClaimFactory(disagreement=disagreement, source=agreeing, value_en="1930", preferred=True)
    ClaimFactory(disagreement=disagreement, source=dissenting, value_en="1931")
    ClaimFactory(disagreement=disagreement, source=draft, value_en="1929")
    DisagreementFactory(conference=story["tokyo"], question_en="How many countries?")
    hidden = AidProgramFactory(status="draft")
    DisagreementFactory(aidprogram=hidden, question_en="A draft's question")

    html = client.get(url("history:disagreements")).content.decode()
    assert "2 disagreements" in html
    assert html.index("Treaty of Friendship signed") < html.index("1930 or 1931?") < html.index("Tokyo reconstruction")
    assert "Embassy page" in html and "Encyclopedia" in html and "Draft source" not in html
    assert html.count("The site follows this value.") == 1
    assert "A draft&#x27;s question" not in html and "A draft's question" not in html

    record = client.get(story["treaty"].get_absolute_url()).content.decode()
    assert f'href="{url("history:disagreements")}"' in record
    about = client.get(url("history:about")).content.decode()
    assert f'href="{url("history:disagreements")}"' in about


def test_record_pages_offer_their_citation_in_three_forms(client, story):
    html = client.get(story["treaty"].get_absolute_url()).content.decode()
    chicago = re.search(r'id="cite-chicago"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert chicago.startswith("“Treaty of Friendship signed.” Afghanistan–Japan Relations. Last modified ")
    assert chicago.endswith("http://testserver/en/events/treaty/.")
    bibtex = re.search(r'id="cite-bibtex"[^>]*>(.*?)</pre>', html, re.S).group(1)
    assert bibtex.startswith("@misc{event-treaty,") and "url = {http://testserver/en/events/treaty/}" in bibtex
    csl = json.loads(re.search(r'id="cite-csl"[^>]*>(.*?)</pre>', html, re.S).group(1).replace("&quot;", '"'))
    assert csl[0]["type"] == "webpage" and csl[0]["URL"] == "http://testserver/en/events/treaty/"
    assert 'src="/static/js/site.js"' in html and "<script>" not in html  # the copy buttons' script


def test_a_source_page_cites_the_source_itself(client, story):
    source = story["treaty"].citations.get().source
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Cite this source" in html
    chicago = re.search(r'id="cite-chicago"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "“Japan-Afghanistan Relations.”" in chicago and chicago.endswith("https://www.mofa.go.jp/a.html.")
    assert "@misc{mofa," in html


def test_a_changed_slug_answers_301_from_the_old_one(client, story):
    event = story["treaty"]
    event.slug = "treaty-of-friendship"
    event.save()
    response = client.get(url("history:event-detail", "ps", slug="treaty"))
    assert response.status_code == 301
    assert response["Location"] == url("history:event-detail", "ps", slug="treaty-of-friendship")

    assert client.get(url("history:event-detail", slug="never-was")).status_code == 404
    event.status = Event.Status.DRAFT
    event.save()
    assert client.get(url("history:event-detail", slug="treaty")).status_code == 404
