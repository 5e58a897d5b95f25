"""The drawn overview above the timeline: the whole history as one picture, drawn
on the server as SVG (templates/includes/timeline_overview.html), no script.

Eras are bands; every year has a bar counting the records that start in it; some
records are marked one by one: milestones, conferences, and aid programmes as
spans. The picture stays the same size however many records there are: at most
MAX_MARKS of each row are marked one by one (spread evenly over the years when
there are more), and the bars are one per year. Everything is read with a few
aggregate queries, never a row per record beyond the marked ones.

Coordinates are in a 1000-unit-wide viewBox; on right-to-left pages time runs
from right to left, so x is mirrored here rather than by a transform, which
would mirror the text too."""

import datetime

from django.db.models import Count, Max
from django.db.models.functions import Coalesce, ExtractYear
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi

from . import kinds
from .content_version import kept
from .dates import format_date_range
from .locales import localize_digits
from .models import AidProgram, Conference, Event
from .timeline import ERAS

WIDTH, MARGIN = 1000, 12
MAX_MARKS = 40  # per row: milestones, conferences, programmes
LANES = 4  # rows of programme spans
BARS_TOP, BARS_HEIGHT = 24, 56
MILESTONE_Y, CONFERENCE_Y, LANES_TOP, LANE_HEIGHT = 98, 118, 134, 10
AXIS_Y = LANES_TOP + LANES * LANE_HEIGHT + 8
HEIGHT = AXIS_Y + 22
LABEL_CHAR_WIDTH = 6.5  # an era label's width per character at its font size, roughly


class Scale:
    """Dates to x, over whole years from the first year to the last."""

    def __init__(self, first_year, last_year, rtl):
        self.start = datetime.date(first_year, 1, 1)
        self.days = (datetime.date(last_year + 1, 1, 1) - self.start).days
        self.rtl = rtl

    def x(self, date):
        fraction = min(max((date - self.start).days / self.days, 0), 1)
        x = MARGIN + fraction * (WIDTH - 2 * MARGIN)
        return round(WIDTH - x if self.rtl else x, 1)

    def span(self, first, last):
        """(x, width) of the stretch between two dates, whichever way time runs."""
        a, b = self.x(first), self.x(last)
        return min(a, b), max(abs(b - a), 1.5)


def spread(name, queryset, limit=MAX_MARKS):
    """At most `limit` records of a date-ordered queryset, spread evenly over it
    when it holds more, and how many it holds. Which ones is worked out once a
    change (it reads every key), the records themselves on every drawing."""
    queryset = queryset.for_lines()
    first = list(queryset[: limit + 1])
    if len(first) <= limit:
        return first, len(first)

    def evenly_spread():
        keys = list(queryset.values_list("pk", flat=True))
        return [keys[i * len(keys) // limit] for i in range(limit)], len(keys)

    chosen, total = kept(f"overview:marks:{name}", evenly_spread)
    return list(queryset.filter(pk__in=chosen)), total


def year_counts():
    """{year: number of published timeline records starting in it}, one query a kind."""
    counts = {}
    for kind in kinds.ON_TIMELINE:
        rows = kind.model.objects.published().annotate(year=ExtractYear("start_date")).values("year")
        for row in rows.annotate(n=Count("pk")).order_by():
            counts[row["year"]] = counts.get(row["year"], 0) + row["n"]
    return counts


def span_of_years(counts):
    """The first and last year the picture covers: from the decade of the first
    record to this year or the last record's end, whichever is later."""
    ends = [
        kind.model.objects.published().aggregate(last=Max(Coalesce("end_date", "start_date")))["last"]
        for kind in kinds.ON_TIMELINE
    ]
    last = max([datetime.date.today(), *(end for end in ends if end)]).year
    return min(counts) // 10 * 10, last


def lanes(programmes, scale):
    """Programme spans packed into LANES rows, each in the first row where it does
    not overlap the one before it (the last row takes what does not fit)."""
    ends, spans = [None] * LANES, []
    for programme in programmes:
        first = programme.start_date
        last = programme.end_date or first.replace(year=first.year + 1)
        x, width = scale.span(first, last)
        lane = next((i for i, end in enumerate(ends) if end is None or not overlaps(end, x, width)), LANES - 1)
        ends[lane] = (x, width)
        spans.append(
            {
                "record": programme,
                "when": when(programme),
                "x": x,
                "y": LANES_TOP + lane * LANE_HEIGHT,
                "width": round(width, 1),
                "open": programme.end_date is None,
            }
        )
    return spans


def overlaps(previous, x, width, gap=3):
    px, pwidth = previous
    return x < px + pwidth + gap and px < x + width + gap


def when(record):
    """A record's dates as plain text, for an SVG <title>, which holds no markup."""
    return format_date_range(record.start_date, record.start_precision, record.end_date, record.end_precision)


def marks(records, scale, y):
    """One mark a record at its start; corner_x and corner_y place a square of 8
    units centred on it (turned into a diamond by the template)."""
    found = []
    for record in records:
        x = scale.x(record.start_date)
        found.append({"record": record, "when": when(record), "x": x, "y": y, "corner_x": x - 4, "corner_y": y - 4})
    return found


def timeline_overview(current_era=None, language=None):
    """What the overview template draws, or None when nothing is published."""
    # Sums over every record: worked out once a change, not for every reader.
    counts = kept("overview:years", year_counts)
    if not counts:
        return None
    first_year, last_year = kept("overview:span", lambda: span_of_years(counts))
    scale = Scale(first_year, last_year, get_language_bidi())
    milestones, milestone_total = spread(
        "milestones", Event.objects.published().filter(milestone=True).order_by("start_date", "pk")
    )
    conferences, conference_total = spread("conferences", Conference.objects.published().order_by("start_date", "pk"))
    programmes, programme_total = spread("programmes", AidProgram.objects.published().order_by("start_date", "pk"))
    timeline_url = reverse("history:timeline")
    tallest = max(counts.values())
    bar_width = max((WIDTH - 2 * MARGIN) / (last_year - first_year + 1) - 1, 1)
    bars = []
    for year, count in sorted(counts.items()):
        height = max(BARS_HEIGHT * count / tallest, 2)
        date = datetime.date(year, 1, 1)
        x = scale.x(date) - (bar_width if scale.rtl else 0)
        bars.append(
            {
                "year": localize_digits(year),
                "count": count,
                "x": round(x, 1),
                "y": round(BARS_TOP + BARS_HEIGHT - height, 1),
                "width": round(bar_width, 1),
                "height": round(height, 1),
                "url": f"{timeline_url}?from={year}#decade-{year // 10 * 10}",
            }
        )
    bands = []
    for number, era in enumerate(ERAS):
        first = max(era.first or scale.start, scale.start)
        last = min(era.last or datetime.date(last_year, 12, 31), datetime.date(last_year, 12, 31))
        if first > last:
            continue
        x, width = scale.span(first, last)
        bands.append(
            {
                "era": era,
                "x": x,
                "width": round(width, 1),
                "shade": number % 2,
                "current": era == current_era,
                "labelled": width > len(str(era.label)) * LABEL_CHAR_WIDTH + 8,
                "label_x": round(x + width - 5 if scale.rtl else x + 5, 1),
                "url": f"{timeline_url}?era={era.slug}",
            }
        )
    step = 10 if last_year - first_year <= 120 else 20
    ticks = [
        {"label": localize_digits(year), "x": scale.x(datetime.date(year, 1, 1))}
        for year in range(first_year, last_year + 1, step)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": AXIS_Y,
        "bands": bands,
        "bars": bars,
        "ticks": ticks,
        "milestones": marks(milestones, scale, MILESTONE_Y),
        "conferences": marks(conferences, scale, CONFERENCE_Y),
        "programmes": lanes(programmes, scale),
        "totals": {
            "records": sum(counts.values()),
            "milestones": milestone_total,
            "conferences": conference_total,
            "programmes": programme_total,
            "marked": len(milestones) + len(conferences) + len(programmes),
            "all_marks": milestone_total + conference_total + programme_total,
        },
        "years": format_date_range(
            datetime.date(min(counts), 1, 1), "year", datetime.date(last_year, 1, 1), "year", language
        ),
    }


def drawn_overview(current_era=None):
    """The overview's markup, kept until the content changes. It is the same on
    every timeline page of a language and period (nothing in it depends on the
    reader or the page's window), and drawing it took about a third of a page's
    time: its marks are records, read and rendered one by one."""
    era = current_era.slug if current_era else ""
    name = f"overview:drawing:{get_language()}:{get_script_prefix()}:{era}"
    drawing = kept(
        name, lambda: render_to_string("includes/timeline_overview.html", {"overview": timeline_overview(current_era)})
    )
    return mark_safe(drawing)  # noqa: S308 - rendered by our template, escaped there
