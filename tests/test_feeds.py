"""The Atom feeds' behaviour on records made for each test: dates meaning what RFC
4287 says, the language of the URL, paging bounds, summaries that stay text."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from history import feeds
from history.models import Event

from . import atom_rules
from .factories import EventFactory, cited

pytestmark = pytest.mark.django_db


def feed_url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def test_entry_dates_mean_what_rfc_4287_says(client, english):
    event = cited(EventFactory(slug="dated", title_en="Dated"))
    first = timezone.now() - datetime.timedelta(days=30)
    Event.objects.filter(pk=event.pk).update(first_published_at=first)
    entry = feedparser.parse(client.get(reverse("history:event-feed")).content).entries[0]
    event.refresh_from_db()
    assert entry.published_parsed[:6] == first.timetuple()[:6]
    assert entry.updated_parsed[:6] == event.updated_at.timetuple()[:6]
    assert entry.published_parsed < entry.updated_parsed


def test_a_feed_is_in_its_language_and_readable_from_any_origin(client, english):
    cited(EventFactory(slug="kabul", title_en="Kabul", title_ja="カブール"))
    response = client.get(feed_url("history:event-feed", "ja"))
    assert response["Content-Language"] == "ja" and response["Access-Control-Allow-Origin"] == "*"
    parsed = feedparser.parse(response.content)
    assert parsed.feed.language == "ja" and parsed.entries[0].title == "カブール"


@pytest.mark.parametrize("page", ["0", "2", "x", "-1", "٢"])
def test_a_page_that_does_not_exist_is_a_404(client, english, page):
    cited(EventFactory())
    assert client.get(reverse("history:event-feed"), {"page": page}).status_code == 404


def test_summaries_are_text_whatever_an_editor_typed(client, english):
    cited(EventFactory(title_en="<b>bold</b>\x01", summary_en="<script>alert(1)</script> & <img src=x onerror=y>"))
    body = client.get(reverse("history:event-feed")).content
    assert atom_rules.problems(body) == []
    entry = feedparser.parse(body).entries[0]
    assert entry.title == "<b>bold</b>"
    assert "&lt;script&gt;alert(1)" in entry.summary  # HTML that shows the text, runs nothing
    assert b"<script>" not in body


def test_paging_is_bounded(client, english, settings):
    for number in range(feeds.FEED_LENGTH + 1):
        cited(EventFactory(slug=f"e-{number}"))
    first = feedparser.parse(client.get(reverse("history:event-feed")).content)
    assert len(first.entries) == feeds.FEED_LENGTH
    second = feedparser.parse(client.get(reverse("history:event-feed"), {"page": "2"}).content)
    assert len(second.entries) == 1
    assert {link.rel for link in second.feed.links} >= {"first", "previous", "last"}
