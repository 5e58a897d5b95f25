"""The timeline as TimelineJS3 JSON, dates at their precision."""

import json

from django.utils.html import escape
from django.utils.translation import gettext as _

from ..dates import date_parts


def timeline_date(date, precision):
    return dict(zip(("year", "month", "day"), date_parts(date, precision), strict=False))


def timeline_event(request, record):
    url = request.build_absolute_uri(record.get_absolute_url())
    summary = getattr(record, "summary", "") or ""
    event = {
        "unique_id": f"{record._meta.model_name}-{record.slug}",
        "start_date": timeline_date(record.start_date, record.start_precision),
        "text": {
            "headline": escape(record.title),
            "text": f'<p>{escape(summary)}</p><p><a href="{escape(url)}">{escape(_("Read more"))}</a></p>',
        },
        "group": str(record._meta.verbose_name),
    }
    if getattr(record, "end_date", None):
        event["end_date"] = timeline_date(record.end_date, record.end_precision)
    return event


def write_timelinejs(request, kind, records):
    data = {
        "title": {"text": {"headline": escape(_("Afghanistan–Japan Relations")), "text": ""}},
        "events": [timeline_event(request, record) for record in records],
    }
    return json.dumps(data, ensure_ascii=False, indent=2), "application/json; charset=utf-8", "json"
