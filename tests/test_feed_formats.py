"""The Atom feeds, read as feed readers read them: feedparser, and RFC 4287's rules
as the W3C Feed Validator applies them (tests/atom_rules.py), on the seed content;
dates meaning what RFC 4287 says; every published record reachable through the
RFC 5005 paging links; summaries that are text whatever an editor typed."""

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from history import kinds

from . import atom_rules

pytestmark = pytest.mark.django_db
FEEDS = ["history:feed", *(kind.url_name("feed") for kind in kinds.KINDS)]


def feed_url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def every_page(client, url):
    """Follow rel="next" from the first page to the last; the pages' bodies."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content)
        url = atom_rules.links(response.content).get("next", "").removeprefix("http://testserver")
    return pages


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_is_valid_atom_and_reaches_every_published_record(module_seed, django_db_blocker, name):
    with django_db_blocker.unblock():
        client = Client()
        pages = every_page(client, feed_url(name))
        feed_kinds = kinds.KINDS if name == "history:feed" else [k for k in kinds.KINDS if k.url_name("feed") == name]
        expected = {
            client.get("/").wsgi_request.build_absolute_uri(record.get_absolute_url())
            for kind in feed_kinds
            for record in kind.model.objects.published()
        }
    ids = []
    for body in pages:
        assert atom_rules.problems(body) == []
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.feed.author == "Afghanistan–Japan Relations"
        ids += [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    if len(pages) > 1:
        links = atom_rules.links(pages[1])
        assert {"first", "previous", "last", "self"} <= set(links)


def test_the_combined_feed_has_every_kind_on_more_than_one_page(module_seed, django_db_blocker):
    with django_db_blocker.unblock():
        pages = every_page(Client(), feed_url("history:feed"))
    assert len(pages) > 1
    categories = {tag.term for body in pages for entry in feedparser.parse(body).entries for tag in entry.tags}
    assert categories == {"event", "conference", "aid programme", "source"}
