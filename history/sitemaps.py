"""Sitemaps for crawlers: the fixed pages and every published record, one section
per kind (history.kinds), in each language, with hreflang alternates and an
x-default (English)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import kinds


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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
        return self.kind.model.objects.published().order_by("slug")

    def lastmod(self, record):
        return record.updated_at


SITEMAPS = {"pages": PageSitemap, **{kind.name: RecordSitemap(kind) for kind in kinds.KINDS}}
