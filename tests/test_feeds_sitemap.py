"""The Atom feed and the sitemap: published records only, every language."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from history.models import AidProgram, Event, Source

from .factories import AidProgramFactory, ConferenceFactory, EventFactory, SourceFactory, cited

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def records():
    return {
        "event": cited(EventFactory(slug="tokyo-talks", title_en="Tokyo talks", start_date=datetime.date(2002, 1, 21))),
        "draft": EventFactory(slug="draft-event", title_en="Draft event", status=Event.Status.DRAFT),
        "conference": cited(ConferenceFactory(slug="tokyo-2002")),
        "program": cited(AidProgramFactory(slug="literacy")),
        "draft_program": AidProgramFactory(slug="draft-programme", status=AidProgram.Status.DRAFT),
        "source": SourceFactory(slug="mofa"),
        "draft_source": SourceFactory(slug="draft-source", status=Source.Status.DRAFT),
    }


def test_feed_is_atom_with_published_events_only(client, records):
    response = client.get(reverse("history:event-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}updated") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Tokyo talks"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/en/events/tokyo-talks/"
    assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
    assert "21 January 2002" in entry.find(f"{ATOM}summary").text


def test_feed_in_another_language_links_to_that_language(client, records):
    with translation.override("ja"):
        address = reverse("history:event-feed")
    feed = ET.fromstring(client.get(address).content)
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert links == ["http://testserver/ja/events/tokyo-talks/"]


def sitemap_entries(client):
    """Every address of every page the sitemap index at /sitemap.xml lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    entries = {}
    for page in ET.fromstring(response.content).findall(f"{SITEMAP}sitemap"):
        section = client.get(page.find(f"{SITEMAP}loc").text)
        assert section.status_code == 200
        for url in ET.fromstring(section.content).findall(f"{SITEMAP}url"):
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
            entries[url.find(f"{SITEMAP}loc").text] = alternates
    return entries


def test_sitemap_lists_published_records_in_every_language_with_alternates(client, records):
    entries = sitemap_entries(client)
    for lang in ("en", "ja", "fa-af", "ps"):
        for path in ("events/tokyo-talks/", "conferences/tokyo-2002/", "aid/literacy/", "sources/mofa/", ""):
            assert f"http://testserver/{lang}/{path}" in entries
    alternates = entries["http://testserver/ps/events/tokyo-talks/"]
    assert alternates == {
        "en": "http://testserver/en/events/tokyo-talks/",
        "ja": "http://testserver/ja/events/tokyo-talks/",
        "fa-af": "http://testserver/fa-af/events/tokyo-talks/",
        "ps": "http://testserver/ps/events/tokyo-talks/",
        # x-default is the address without a language, which sends readers to theirs
        "x-default": "http://testserver/events/tokyo-talks/",
    }
    response = client.get("/events/tokyo-talks/", HTTP_ACCEPT_LANGUAGE="ps")
    assert response.status_code == 302
    assert response["Location"] == "/ps/events/tokyo-talks/"


def test_sitemap_leaves_drafts_out(client, records):
    text = " ".join(sitemap_entries(client))
    for slug in ("draft-event", "draft-programme", "draft-source"):
        assert slug not in text


@pytest.mark.parametrize("section", ["pages", "event", "source"])
def test_a_sitemap_file_is_what_django_s_own_template_writes(client, records, section):
    """The files are drawn by Jinja2 (templates/jinja2/history/sitemap.xml) for speed;
    byte for byte, they are what Django's sitemap template makes of the same list."""
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    urlset = response.context_data["urlset"]
    assert urlset and any(url["alternates"] for url in urlset)
    assert response.content.decode() == render_to_string("sitemap.xml", {"urlset": urlset})


def test_the_sitemap_index_is_what_django_s_own_template_writes(client, records):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    sitemaps = response.context_data["sitemaps"]
    assert len(sitemaps) > 1 and any(site.last_mod for site in sitemaps)
    assert response.content.decode() == render_to_string("sitemap_index.xml", {"sitemaps": sitemaps})
