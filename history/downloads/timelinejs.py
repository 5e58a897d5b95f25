"""The timeline as TimelineJS3 JSON, in the reader's language.

Dates carry only the parts that are known ({"year": 1931}), and each slide a
display_date written the way the site writes it in the reader's language
(history.dates): TimelineJS's own date words exist in few languages and in no
Pashto, and would give Dari readers Iranian month names. So in every language,
Pashto included, a slide shows the site's date (CLDR's Pashto month names,
Eastern Arabic-Indic digits); only the axis below the slides is TimelineJS's.

Headline and text are HTML to TimelineJS: every value is escaped, and the one link
is the record's own page on this site."""

import json

from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import kinds
from ..dates import date_parts, format_date_range, format_precise_date
from .tabular import json_array


def timeline_date(date, precision):
    parts = dict(zip(("year", "month", "day"), date_parts(date, precision), strict=False))
    parts["display_date"] = format_precise_date(date, precision)
    return parts


def timeline_event(request, record):
    url = request.build_absolute_uri(record.get_absolute_url())
    summary = getattr(record, "summary", "") or ""
    end_date = getattr(record, "end_date", None)
    event = {
        "unique_id": f"{record._meta.model_name}-{record.slug}",
        "start_date": timeline_date(record.start_date, record.start_precision),
        "display_date": format_date_range(record.start_date, record.start_precision, end_date, record.end_precision),
        "text": {
            "headline": escape(record.title),
            "text": f'<p>{escape(summary)}</p><p><a href="{escape(url)}">{escape(_("Read more"))}</a></p>',
        },
        "group": str(kinds.of(record).label),
    }
    if end_date:
        event["end_date"] = timeline_date(end_date, record.end_precision)
    return event


def timeline_document(request, records):
    """{"title": ..., "events": [...]}, the events written one at a time."""
    title = {
        "text": {
            "headline": escape(_("Afghanistan–Japan Relations")),
            "text": escape(_("Events, conferences and aid programmes, each with its sources.")),
        }
    }
    yield '{"title": ' + json.dumps(title, ensure_ascii=False) + ', "events": '
    yield from json_array(timeline_event(request, record) for record in records)
    yield "}\n"


def write_timelinejs(request, kind, records):
    return timeline_document(request, records), "application/json; charset=utf-8", "json"
