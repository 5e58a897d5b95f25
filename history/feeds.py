"""Atom feed of published events, newest first, in the language of its URL."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import format_date_range
from .models import Event

FEED_LENGTH = 50


class EventFeed(Feed):
    feed_type = Atom1Feed
    subtitle = _("Dated events in the relations between Afghanistan and Japan, each with its sources.")

    def title(self):
        return f"{settings.SITE_NAME}: {_('events')}"

    def link(self):
        return reverse("history:event-list")

    def feed_url(self):
        return reverse("history:event-feed")

    def items(self):
        return Event.objects.published().order_by("-start_date", "slug")[:FEED_LENGTH]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        when = format_date_range(event.start_date, event.start_precision, event.end_date, event.end_precision)
        return f"{when}. {event.summary}"

    def item_updateddate(self, event):
        return event.updated_at

    def item_pubdate(self, event):
        return event.created_at

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = get_language()
        return response
