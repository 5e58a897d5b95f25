"""Sitemaps for crawlers: the fixed pages and every published record, in each
language, with hreflang alternates and an x-default (English)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import AidProgram, Conference, Event, Source


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(MultilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return [
            "history:home",
            "history:timeline",
            "history:event-list",
            "history:conference-list",
            "history:aidprogram-list",
            "history:source-list",
            "history:about",
        ]

    def location(self, name):
        return reverse(name)


class PublishedSitemap(MultilingualSitemap):
    model = None

    def items(self):
        return self.model.objects.published().order_by("slug")

    def lastmod(self, record):
        return record.updated_at


class EventSitemap(PublishedSitemap):
    model = Event


class ConferenceSitemap(PublishedSitemap):
    model = Conference


class AidProgramSitemap(PublishedSitemap):
    model = AidProgram


class SourceSitemap(PublishedSitemap):
    model = Source


SITEMAPS = {
    "pages": PageSitemap,
    "events": EventSitemap,
    "conferences": ConferenceSitemap,
    "aid": AidProgramSitemap,
    "sources": SourceSitemap,
}
