"""Every public page, in every language, as a reader sees it."""

import datetime
import re

import pytest
from django.utils import translation

from history.models import Event

from .factories import (
    EventFactory,
    SourceFactory,
    cited,
)
from .reader_records import build_records, detail_urls, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

records = pytest.fixture(build_records, name="records")

LANGUAGES = {"en": "ltr", "ja": "ltr", "fa-af": "rtl", "ps": "rtl"}
PAGE_NAMES = (
    "history:home",
    "history:about",
    "history:timeline",
    "history:search",
    "history:event-list",
    "history:conference-list",
    "history:aidprogram-list",
    "history:source-list",
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_answers_in_every_language_with_lang_and_dir(client, records, lang):
    urls = [url(name, lang) for name in PAGE_NAMES] + detail_urls(records, lang)
    for address in urls:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{LANGUAGES[lang]}">' in html, address


@pytest.mark.parametrize(
    ("accept", "expected"), [("ja,en;q=0.5", "/ja/"), ("ps", "/ps/"), ("fa-AF,fa;q=0.8", "/fa-af/"), ("de", "/en/")]
)
def test_root_redirects_to_the_readers_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_event_page_shows_dates_citations_disagreement_and_related(client, records):
    response = client.get(records["event"].get_absolute_url())
    html = response.content.decode()
    assert '<time datetime="1931">1931</time>' in html
    assert "Treaty of Friendship in force" in html
    assert "<strong>ratified</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert f'href="{records["source"].get_absolute_url()}"' in html
    assert "p. 4" in html and "entered into force" in html
    assert "When did relations begin?" in html
    assert 'class="claim preferred"' in html and "The site follows this value." in html
    assert records["conference"].get_absolute_url() in html
    assert records["program"].get_absolute_url() in html
    assert "Cite this page" in html and "http://testserver/en/events/treaty-in-force/" in html


def test_conference_and_programme_pages_show_ranges_money_and_organisations(client, records):
    html = client.get(records["conference"].get_absolute_url()).content.decode()
    assert "21–22 January 2002" in html
    assert "US$4,500,000,000" in html
    html = client.get(records["program"].get_absolute_url()).content.decode()
    assert "March 2008 – June 2010" in html
    assert "US$19,500,000" in html
    assert "UNESCO body" in html and "funding" in html
    assert records["conference"].get_absolute_url() in html


def test_month_precision_is_shown_as_a_month(client):
    cited(EventFactory(title_en="Legation opens", start_date=datetime.date(1934, 11, 1), start_precision="month"))
    html = client.get(url("history:event-list")).content.decode()
    assert "November 1934" in html
    assert "1 November 1934" not in html


def test_source_page_lists_what_cites_it_and_its_claims(client, records):
    draft = EventFactory(title_en="Unpublished event", status=Event.Status.DRAFT)
    cited(draft, source=records["source"])
    html = client.get(records["source"].get_absolute_url()).content.decode()
    assert records["event"].get_absolute_url() in html
    assert records["conference"].get_absolute_url() in html
    assert records["program"].get_absolute_url() in html
    assert "When did relations begin?" in html
    assert "Unpublished event" not in html


def test_language_switcher_links_to_the_same_record_and_keeps_the_query(client, records):
    response = client.get(records["event"].get_absolute_url() + "?ref=feed&x=1")
    html = response.content.decode()
    for lang in ("ja", "fa-af", "ps"):
        assert f'href="/{lang}/events/treaty-in-force/?ref=feed&amp;x=1"' in html
    assert ">日本語</a>" in html and ">دری</a>" in html and ">پښتو</a>" in html and ">English</a>" in html


def test_hreflang_alternates_for_every_language_and_x_default(client, records):
    html = client.get(url("history:event-detail", "ja", slug="treaty-in-force")).content.decode()
    for lang in ("en", "ja", "fa-af", "ps"):
        assert f'hreflang="{lang}" href="http://testserver/{lang}/events/treaty-in-force/"' in html
    assert 'hreflang="x-default" href="http://testserver/events/treaty-in-force/"' in html


def test_untranslated_text_is_shown_in_english_and_marked(client, records):
    html = client.get(url("history:event-detail", "ps", slug="treaty-in-force")).content.decode()
    assert re.search(r'<span lang="en" dir="ltr" class="fallback">Treaty of Friendship in force</span>', html)
    with translation.override("ps"):
        note = translation.gettext("Not yet translated; shown in English.")
    assert note in html


def test_translated_text_is_not_marked(client, records):
    event = records["event"]
    event.title_ja = "友好条約の発効"
    event.summary_ja = "条約が発効した。"
    event.save()
    html = client.get(url("history:event-detail", "ja", slug=event.slug)).content.decode()
    assert "<h1>友好条約の発効</h1>" in html
    assert '<span lang="en" dir="ltr" class="fallback">Treaty of Friendship in force</span>' not in html


def test_english_page_never_shows_the_fallback_note(client, records):
    assert "Not yet translated" not in client.get(records["event"].get_absolute_url()).content.decode()


def test_timeline_orders_everything_by_date_and_groups_by_decade(client, records):
    html = client.get(url("history:timeline")).content.decode()
    html = html[html.index('id="timeline-list"') :]  # the list, after the drawn overview
    assert 'id="decade-1930"' in html and 'id="decade-2000"' in html
    treaty, conference, programme = (
        html.index("Treaty of Friendship in force"),
        html.index("Reconstruction conference"),
        html.index("Literacy programme"),
    )
    assert treaty < conference < programme


def test_timeline_decades_are_headed_in_the_reader_s_language_and_digits(client, records):
    japanese = client.get(url("history:timeline", "ja")).content.decode()
    assert '<h2 id="decade-1930">1930年代</h2>' in japanese
    dari = client.get(url("history:timeline", "fa-af")).content.decode()
    assert '<h2 id="decade-1930">دههٔ ۱۹۳۰</h2>' in dari
    # The milestone event's line is marked; a conference is never a milestone.
    lines = set(re.findall(r'<li class="timeline-entry kind-(\w+)( milestone)?">', dari))
    assert ("event", " milestone") in lines and ("conference", "") in lines
    assert ("conference", " milestone") not in lines


def test_home_shows_milestones_and_entry_points(client, records):
    cited(EventFactory(title_en="An ordinary event", milestone=False))
    html = client.get(url("history:home")).content.decode()
    assert "Treaty of Friendship in force" in html
    assert "An ordinary event" not in html
    for name in ("history:timeline", "history:event-list", "history:conference-list", "history:aidprogram-list"):
        assert f'href="{url(name)}"' in html


def test_search_needs_every_term_and_folds_case(client, records):
    response = client.get(url("history:search"), {"q": "TREATY friendship"})
    html = response.content.decode()
    assert "<mark>Treaty</mark> of <mark>Friendship</mark> in force" in html
    html = client.get(url("history:search"), {"q": "treaty nonexistentword"}).content.decode()
    assert "Treaty of Friendship in force" not in html
    assert "0 results" in html


def test_search_finds_sources_and_programmes(client, records):
    html = client.get(url("history:search"), {"q": "literacy"}).content.decode()
    assert records["program"].get_absolute_url() in html
    html = client.get(url("history:search"), {"q": "outline tokyo"}).content.decode()
    assert records["source"].get_absolute_url() in html


def test_search_empty_and_too_long_queries_are_answered_politely(client, records):
    response = client.get(url("history:search"))
    assert response.status_code == 200
    assert "Type one or more words" in response.content.decode()
    response = client.get(url("history:search"), {"q": "treaty " * 60})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That search is too long" in html
    assert "Treaty of Friendship in force" not in html


def test_missing_page_uses_the_site_404(client):
    response = client.get(url("history:event-detail", slug="no-such-event"))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_template_renders_without_request_or_database():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Something went wrong" in html


def test_about_explains_the_reliability_scale(client):
    html = client.get(url("history:about")).content.decode()
    assert 'id="reliability"' in html
    assert "primary official source" in html


@pytest.mark.django_db
def test_a_draft_translation_is_flagged_to_readers_of_that_language(client):
    from tests.factories import EventFactory, cited

    event = cited(EventFactory(title_ja="カブールの出来事", review_ja="draft", review_ps="reviewed"))
    note = "native speaker has not yet checked"
    with translation.override("ja"):
        japanese = client.get(event.get_absolute_url())
        flagged = translation.gettext(
            "This translation is a draft: a native speaker has not yet checked it against the English text."
        )
    assert flagged in japanese.content.decode()
    with translation.override("ps"):
        assert note not in client.get(event.get_absolute_url()).content.decode()
    with translation.override("en"):
        assert note not in client.get(event.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_dari_pages_write_counts_and_amounts_in_eastern_digits(client):
    import decimal

    from tests.factories import ConferenceFactory, cited

    conference = cited(ConferenceFactory(countries_attending=61, japan_pledge=decimal.Decimal("500000000")))
    with translation.override("fa-af"):
        html = client.get(conference.get_absolute_url()).content.decode()
    assert "۶۱" in html
    assert "۵۰۰" in html
    with translation.override("en"):
        html = client.get(conference.get_absolute_url()).content.decode()
    assert "61 countries" in html


def test_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)


def test_500_template_speaks_the_readers_language():
    from django.template import loader

    with translation.override("ps"):
        html = loader.get_template("500.html").render({})
        expected = translation.gettext("Something went wrong")
    assert 'lang="ps" dir="rtl"' in html
    assert expected in html and expected != "Something went wrong"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_record_page_says_where_to_report_an_error(client, records, lang, settings):
    settings.CORRECTIONS_EMAIL = "errors@history.example"
    for address in detail_urls(records, lang):
        html = client.get(address).content.decode()
        assert 'href="mailto:errors@history.example"' in html, address


def test_a_source_page_gives_a_printed_works_full_reference_and_no_unsafe_link(client):
    SourceFactory(
        slug="printed",
        source_type="book",
        container_title="Collected papers",
        place="Tokyo",
        isbn="978-4-00-000000-0",
        pages="45–67",
        url="javascript:alert(1)",  # stored past the form's validation (loaddata, SQL, the shell)
        archive_url="https://archive.example/printed",
    )
    html = client.get(url("history:source-detail", "en", slug="printed")).content.decode()
    for shown in ("Collected papers", "Tokyo", "978-4-00-000000-0", "45–67", 'href="https://archive.example/printed"'):
        assert shown in html
    assert "javascript:" not in html
