"""Atom feeds (RFC 4287): one of every published record, and one per kind of record
(history.kinds), in the language of their URL, most recently changed first.

- The site is the feed's author; an entry's `published` is when readers could
  first see the record (first_published_at), its `updated` the record's last change.
- A feed is paged (RFC 5005, section 3): FEED_LENGTH entries a page, ?page=2 and
  on, each page linking to the first, previous, next and last; every published
  record is on one page. A page that does not exist is a 404.
- Summaries are plain text, escaped as HTML: nothing an editor types is markup
  in a feed reader. Text XML cannot carry is left out (history.safety.xml_text).
"""

import heapq
import itertools

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import kinds
from .content_version import cached_count
from .dates import format_date_range
from .downloads import public
from .parameters import whole_number
from .safety import xml_text

FEED_LENGTH = 50
# Far past any feed's last page: a larger ?page= is not read as a number.
MAX_FEED_PAGE = 10**9
PAGING_RELS = ("first", "previous", "next", "last")


class PagedAtomFeed(Atom1Feed):
    """Atom with RFC 5005 paging links beside the feed's own."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel in PAGING_RELS:
            if rel in self.feed["pages"]:
                handler.addQuickElement("link", "", {"rel": rel, "href": self.feed["pages"][rel]})


def feed_page(request):
    """The page number asked for: 1 unless ?page= is a whole number from 1."""
    number = whole_number(request.GET.get("page", "1"), 1, MAX_FEED_PAGE)
    if number is None:
        raise Http404(_("There is no such page of this feed."))
    return number


def published_rows(feed_kinds, start, length):
    """(kind name, pk, updated) of the published records from `start` to
    start + length, newest change first, and how many there are: each kind's first
    start + length rows read through its (status, updated_at) index, merged. A
    feed's first pages, the ones readers poll, cost the same at any size."""
    newest = []
    total = 0
    for kind in feed_kinds:
        published = kind.model.objects.published()
        total += cached_count(published)
        rows = published.order_by("-updated_at", "-id").values_list("id", "updated_at")[: start + length]
        newest.append([(kind.name, pk, updated) for pk, updated in rows])
    merged = heapq.merge(*newest, key=lambda row: (row[2], _descending(row[0]), row[1]), reverse=True)
    return list(itertools.islice(merged, start, start + length)), total


def _descending(text):
    """A key that sorts text backwards, so that, newest first, kinds tie in name order."""
    return tuple(-ord(char) for char in text)


class RecordFeed(Feed):
    """Published records of `feed_kinds`; no kind given: every kind."""

    feed_type = PagedAtomFeed
    feed_kinds = kinds.KINDS
    url_name = "history:feed"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = get_language()
        return public(response)

    def get_object(self, request, *args, **kwargs):
        """This page of the feed: its rows, its number and the last page's. (The Feed
        instance serves every request, so nothing of one request is kept on it.)"""
        page = feed_page(request)
        start = (page - 1) * FEED_LENGTH
        rows, total = published_rows(self.feed_kinds, start, FEED_LENGTH)
        last = max(1, -(-total // FEED_LENGTH))
        if page > last:
            raise Http404(_("There is no such page of this feed."))
        return {"request": request, "page": page, "last": last, "rows": rows}

    def title(self, obj):
        if len(self.feed_kinds) == 1:
            return f"{settings.SITE_NAME}: {self.feed_kinds[0].label}"
        return str(settings.SITE_NAME)

    def subtitle(self, obj):
        return _("Records of the relations between Afghanistan and Japan, each with its sources.")

    def link(self, obj):
        if len(self.feed_kinds) == 1:
            return reverse(self.feed_kinds[0].url_name("list"))
        return reverse("history:home")

    def _page_url(self, obj, number):
        url = obj["request"].build_absolute_uri(reverse(self.url_name))
        return url if number == 1 else f"{url}?page={number}"

    def feed_url(self, obj):
        return self._page_url(obj, obj["page"])

    def feed_guid(self, obj):
        return self._page_url(obj, 1)  # the feed's id, the same on every page

    def author_name(self, obj):
        return str(settings.SITE_NAME)

    def author_link(self, obj):
        return obj["request"].build_absolute_uri(reverse("history:home"))

    def feed_extra_kwargs(self, obj):
        pages = {"first": 1, "last": obj["last"]}
        if obj["page"] > 1:
            pages["previous"] = obj["page"] - 1
        if obj["page"] < obj["last"]:
            pages["next"] = obj["page"] + 1
        return {"pages": {rel: self._page_url(obj, number) for rel, number in pages.items()}}

    def items(self, obj):
        """The page's records, fetched one query per kind, in the page's order."""
        wanted = {}
        for kind_name, pk, _updated in obj["rows"]:
            wanted.setdefault(kind_name, []).append(pk)
        found = {}
        for kind_name, pks in wanted.items():
            for record in kinds.get(kind_name).model.objects.filter(pk__in=pks):
                found[(kind_name, record.pk)] = record
        return [found[(kind_name, pk)] for kind_name, pk, _updated in obj["rows"] if (kind_name, pk) in found]

    def item_title(self, record):
        return xml_text(record.title)

    def item_description(self, record):
        text = getattr(record, "summary", "") or getattr(record, "description", "") or ""
        if getattr(record, "start_date", None):
            when = format_date_range(record.start_date, record.start_precision, record.end_date, record.end_precision)
            text = f"{when}. {text}"
        return escape(xml_text(text))

    def item_categories(self, record):
        return [str(kinds.of(record).singular)]

    def item_pubdate(self, record):
        return record.first_published_at or record.created_at

    def item_updateddate(self, record):
        return record.updated_at


def kind_feed(kind):
    """The feed of one kind, at /<lang>/feeds/<kind path>/, named <kind>-feed."""
    return type(
        f"{kind.name.title()}Feed", (RecordFeed,), {"feed_kinds": (kind,), "url_name": f"history:{kind.name}-feed"}
    )
