"""Sitemaps for crawlers: the fixed pages and every published record, one section
per kind (history.kinds), in each language, with hreflang alternates and an
x-default (English).

/sitemap.xml is a sitemap index (the protocol's way past 50,000 addresses); each
section is /sitemap-<section>.xml, in files of at most URLS_PER_FILE addresses
(?p=2 and on), so that one file stays under 1 MB however many records there are.
A file reads only its own records: the (record, language) pairs are counted and
sliced in the database, never listed whole."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from . import kinds
from .content_version import cached_count

# Each address carries five alternates: about 700 bytes in all.
URLS_PER_FILE = 1000


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_FILE


class PageSitemap(MultilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return ["history:home", "history:timeline", *(kind.url_name("list") for kind in kinds.KINDS), "history:about"]

    def location(self, name):
        return reverse(name)


class RecordsInEveryLanguage:
    """(record, language) for every published record of a queryset and every
    language, as a sequence the paginator can count and slice lazily."""

    def __init__(self, queryset, languages):
        self.queryset, self.languages = queryset, languages

    def __len__(self):
        return cached_count(self.queryset) * len(self.languages)

    count = __len__

    def __getitem__(self, window):
        each = len(self.languages)
        first, last = window.start or 0, window.stop
        records = self.queryset[first // each : -(-last // each)]
        pairs = [(record, language) for record in records for language in self.languages]
        offset = first // each * each
        return pairs[first - offset : last - offset]


class RecordSitemap(MultilingualSitemap):
    """The published records of one kind."""

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        return self.kind.model.objects.published().order_by("slug")

    def _items(self):
        return RecordsInEveryLanguage(self.items(), self._languages())

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        """One aggregate, not a pass over every record (Django's default)."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"pages": PageSitemap, **{kind.name: RecordSitemap(kind) for kind in kinds.KINDS}}
