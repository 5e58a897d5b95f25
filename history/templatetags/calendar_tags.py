"""{% local_calendar %}: the Japanese era or Afghan Solar Hijri text for a date, in
the page's language (or lang=...). Empty on English pages."""

from django import template
from django.utils.translation import get_language

from history.calendars import local_calendar_range

register = template.Library()


@register.simple_tag
def local_calendar(date, precision="day", end=None, end_precision=None, lang=None):
    """{% local_calendar event.start_date event.start_precision end=event.end_date end_precision=event.end_precision %}

    Missing template variables arrive as "", which counts as no end date."""
    return local_calendar_range(date, precision, end or None, end_precision or precision, lang or get_language())
