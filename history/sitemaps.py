"""Sitemaps for crawlers: the fixed pages and every published record, one section
per kind (history.kinds), in each language, with hreflang alternates and an
x-default (English).

/sitemap.xml is an index of pages of at most `limit` addresses each (config/urls.py):
with 100,000 records a single sitemap was 49 MB and took 25 s, and every page of it
is now read from the database by itself."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from . import kinds
from .content_version import cached_count, kept
from .paging import list_order, offset_rows


class LanguagePairs:
    """(record, language) for every record and language, as Django's i18n sitemap
    pages them, but counted and sliced in the database rather than built whole."""

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    def __len__(self):
        count = cached_count(self.items) if isinstance(self.items, QuerySet) else len(self.items)
        return count * len(self.languages)

    def __getitem__(self, window):
        per_item = len(self.languages)
        first = window.start // per_item
        last = -(-window.stop // per_item)
        if isinstance(self.items, QuerySet):
            # An offset over whole rows read every row before the page.
            records = offset_rows(self.items.only("slug", "updated_at"), first, last)
        else:
            records = self.items[first:last]
        pairs = [(record, language) for record in records for language in self.languages]
        skip = window.start - first * per_item
        return pairs[skip : skip + window.stop - window.start]


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 500  # addresses per page: 303 KB with their alternates (2,000 made 1.26 MB)

    def _items(self):
        # Django's own builds every (item, language) pair before it takes one page.
        return LanguagePairs(self.items(), self._languages())


class PageSitemap(MultilingualSitemap):
    changefreq = "monthly"

    def items(self):
        lists = [kind.url_name("list") for kind in kinds.KINDS]
        return ["history:home", "history:timeline", *lists, "history:disagreements", "history:about"]

    def location(self, name):
        return reverse(name)


class RecordSitemap(MultilingualSitemap):
    """The published records of one kind."""

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        # The list's order, whose index holds the key (history.models.base.list_indexes).
        return self.kind.model.objects.published().order_by(*list_order(self.kind.model))

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every record read to take the latest,
        # kept until the content changes (it reads every published record's row).
        return kept(f"sitemap:lastmod:{self.kind.name}", self._latest_lastmod)

    def _latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"pages": PageSitemap, **{kind.name: RecordSitemap(kind) for kind in kinds.KINDS}}
