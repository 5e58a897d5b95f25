"""Aid at a glance: Japan's aid by sector and by year, and each conference's pledge
against the programmes the sources say deliver on it, as figures the templates
draw as SVG (templates/includes/charts/) beside a table of the same numbers.

Currencies are never added together: the sources give amounts in US dollars or
yen, and the site has no cited exchange rate, so every figure is a sum in one
currency and a chart is drawn for each currency that has amounts. Every sum is
a few aggregate queries over the published programmes the reader's filters
select, never a row per programme."""

from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_compact_currency
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi

from .content_version import kept, selection_key
from .locales import babel_locale, format_money, localize_digits
from .models import AidProgram, Conference, Currency

# The pledge charts draw the most recent conferences only: at 100,000 events (2,000
# conferences) drawing every one made the aid list a 2 MB page.
PLEDGES_DRAWN = 12
# Geometry, in viewBox units.
BAR_WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW_HEIGHT = 640, 230, 90, 26
COLUMN_CHART_WIDTH, COLUMN_AREA_HEIGHT, COLUMN_TOP = 640, 150, 20


def short_money(amount, currency):
    """'US$1.6bn', '$16億', in the reader's language and digits: chart labels."""
    text = format_compact_currency(amount, currency, locale=babel_locale(), fraction_digits=1)
    return localize_digits(text)


@dataclass
class Figure:
    """One row of a chart and its table: a label, an amount in `currency`, how
    many programmes it sums, and where the label links to."""

    label: str
    amount: object
    currency: str
    count: int = 0
    url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def money(self):
        return format_money(self.amount, self.currency)

    @property
    def short(self):
        return short_money(self.amount, self.currency)


def currency_name(code):
    return Currency(code).label


def bar_rows(figures, largest):
    """Horizontal bars, one a row: label at the start side, bar, then its value.
    Mirrored on right-to-left pages."""
    rtl = get_language_bidi()
    area = BAR_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for number, figure in enumerate(figures):
        length = max(area * float(figure.amount) / float(largest), 2) if largest else 2
        start = LABEL_WIDTH
        x = BAR_WIDTH - start - length if rtl else start
        value_x = x - 6 if rtl else x + length + 6
        rows.append(
            {
                "figure": figure,
                "y": number * ROW_HEIGHT,
                "x": round(x, 1),
                "length": round(length, 1),
                "label_x": BAR_WIDTH - 4 if rtl else 4,
                "value_x": round(value_x, 1),
            }
        )
    return rows


def bar_chart(figures):
    largest = max((figure.amount for figure in figures), default=0)
    return {"rows": bar_rows(figures, largest), "width": BAR_WIDTH, "height": ROW_HEIGHT * len(figures) + 4}


def summed(code, figures):
    """The chart's total and its largest figure, for its one-sentence summary."""
    return {
        "total": Figure("", sum(figure.amount for figure in figures), code, sum(figure.count for figure in figures)),
        "top": max(figures, key=lambda figure: figure.amount),
    }


def column_chart(figures, first_year, last_year):
    """Vertical columns, one a year from first_year to last_year (years without an
    amount are gaps), time running the reader's way."""
    rtl = get_language_bidi()
    years = last_year - first_year + 1
    step = (COLUMN_CHART_WIDTH - 20) / years
    largest = max((figure.amount for figure in figures), default=0)
    columns = []
    for figure in figures:
        index = figure.extra["year"] - first_year
        height = max(COLUMN_AREA_HEIGHT * float(figure.amount) / float(largest), 2)
        x = 10 + (years - 1 - index if rtl else index) * step
        columns.append(
            {
                "figure": figure,
                "x": round(x + 1, 1),
                "width": round(max(step - 2, 1), 1),
                "y": round(COLUMN_TOP + COLUMN_AREA_HEIGHT - height, 1),
                "height": round(height, 1),
                "value_y": round(COLUMN_TOP + COLUMN_AREA_HEIGHT - height - 4, 1),
            }
        )
    ticks = []
    for year in range(first_year, last_year + 1):
        if year % 5 == 0 or year in (first_year, last_year):
            index = year - first_year
            x = 10 + (years - 1 - index if rtl else index) * step + step / 2
            ticks.append({"x": round(x, 1), "label": localize_digits(year)})
    return {
        "columns": columns,
        "ticks": ticks,
        "width": COLUMN_CHART_WIDTH,
        "height": COLUMN_TOP + COLUMN_AREA_HEIGHT + 24,
        "baseline": COLUMN_TOP + COLUMN_AREA_HEIGHT,
        "values_shown": step >= 48,  # room for "US$7.2m" above each column
    }


def by_currency(rows, make_figure):
    """Group aggregate rows into {currency: [Figure]}, currencies in the order
    the Currency choices list them."""
    groups = {}
    for row in rows:
        groups.setdefault(row["currency"], []).append(make_figure(row))
    return [(code, groups[code]) for code in Currency.values if code in groups]


def sector_figures(programmes, list_url):
    rows = (
        programmes.filter(amount__isnull=False)
        .values("sector", "currency")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    labels = dict(AidProgram.Sector.choices)
    charts = []
    for code, figures in by_currency(
        rows,
        lambda row: Figure(
            str(labels.get(row["sector"], row["sector"])),
            row["total"],
            row["currency"],
            row["n"],
            f"{list_url}?sector={row['sector']}",
        ),
    ):
        figures.sort(key=lambda figure: (-figure.amount, figure.label))
        charts.append(
            {
                "currency": code,
                "currency_name": currency_name(code),
                "figures": figures,
                **summed(code, figures),
                **bar_chart(figures),
            }
        )
    return charts


def year_figures(programmes, list_url):
    rows = (
        programmes.filter(amount__isnull=False)
        .annotate(year=ExtractYear("start_date"))
        .values("year", "currency")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    charts = []
    grouped = by_currency(
        rows,
        lambda row: Figure(
            localize_digits(row["year"]),
            row["total"],
            row["currency"],
            row["n"],
            f"{list_url}?year_from={row['year']}&year_to={row['year']}",
            {"year": row["year"]},
        ),
    )
    for code, figures in grouped:
        figures.sort(key=lambda figure: figure.extra["year"])
        first, last = figures[0].extra["year"], figures[-1].extra["year"]
        charts.append(
            {
                "currency": code,
                "currency_name": currency_name(code),
                "figures": figures,
                **summed(code, figures),
                **column_chart(figures, first, last),
            }
        )
    return charts


def pledge_conferences(programmes):
    """The published conferences with a Japanese pledge or a programme the sources
    tie to it: (the PLEDGES_DRAWN most recent, in date order; how many there are)."""
    conferences = Conference.objects.published().filter(
        Q(japan_pledge__isnull=False) | Q(aidprograms__in=programmes)
    ).distinct()
    drawn = list(conferences.order_by("-start_date", "-slug")[:PLEDGES_DRAWN])[::-1]
    return drawn, conferences.count()


def pledge_figures(programmes, conferences):
    """For each of the conferences: the pledge, and the programmes' amounts in the
    pledge's currency (amounts in another currency are counted, not added)."""
    delivered = {}
    for row in (
        programmes.filter(pledge__in=conferences)
        .values("pledge", "currency")
        .annotate(total=Sum("amount"), n=Count("pk"), with_amount=Count("amount"))
        .order_by()
    ):
        delivered.setdefault(row["pledge"], []).append(row)
    rows = []
    for conference in conferences:
        currency = conference.japan_pledge_currency
        same = [row for row in delivered.get(conference.pk, []) if row["currency"] == currency]
        other = [row for row in delivered.get(conference.pk, []) if row["currency"] != currency]
        rows.append(
            {
                "conference": conference,
                "pledge": Figure(str(conference.title), conference.japan_pledge, currency)
                if conference.japan_pledge is not None
                else None,
                "delivered": Figure(
                    str(conference.title), sum((row["total"] or 0 for row in same), Decimal(0)), currency
                ),
                "programmes": sum(row["n"] for row in delivered.get(conference.pk, [])),
                "without_amount": sum(row["n"] - row["with_amount"] for row in delivered.get(conference.pk, [])),
                "other_currencies": [
                    Figure("", row["total"], row["currency"], row["n"]) for row in other if row["total"] is not None
                ],
            }
        )
    return rows


def pledge_chart(rows):
    """Two bars a conference, the pledge and what linked programmes add up to, on
    one scale per pledge currency (seed pledges are all in US dollars)."""
    charts = []
    for code in Currency.values:
        chosen = [row for row in rows if row["delivered"].currency == code]
        if not chosen:
            continue
        figures = []
        for row in chosen:
            figures.append(row["pledge"] or Figure(row["delivered"].label, 0, code, extra={"missing": True}))
            if not row["programmes"]:
                row["delivered"].extra["missing"] = True
            figures.append(row["delivered"])
        chart = bar_chart(figures)
        for number, bar in enumerate(chart["rows"]):
            bar["kind"] = "pledge" if number % 2 == 0 else "delivered"
        charts.append(
            {
                "currency": code,
                "currency_name": currency_name(code),
                "pledges": chosen,
                "pledged_at": sum(1 for row in chosen if row["pledge"]),
                "traced": sum(1 for row in chosen if row["programmes"]),
                **chart,
            }
        )
    return charts


def aid_at_a_glance(programmes, list_url):
    """Everything the aid list draws above its records, for the programmes the
    reader's filters select (a queryset of published programmes)."""
    conferences, pledged_conferences = pledge_conferences(programmes)
    pledges = pledge_figures(programmes, conferences)
    counts = programmes.aggregate(total=Count("pk"), without_amount=Count("pk", filter=Q(amount__isnull=True)))
    return {
        "sectors": sector_figures(programmes, list_url),
        "years": year_figures(programmes, list_url),
        "pledges": pledges,
        "pledged_conferences": pledged_conferences,
        "pledge_charts": pledge_chart(pledges),
        **counts,
    }


def drawn_glance(programmes, list_url, is_filtered):
    """The glance's markup, kept until the content changes (as the list's count
    is) for each selection of programmes, language and list address: its sums and
    its charts' template were about half of the aid list's time (30 ms at seed
    size). The key holds the selection's SQL, so each filter has its own."""
    digest = selection_key(programmes, list_url, is_filtered, get_language())

    def draw():
        glance = aid_at_a_glance(programmes, list_url)
        return render_to_string("includes/aid_glance.html", {"glance": glance, "is_filtered": is_filtered})

    return mark_safe(kept(f"aid:glance:{digest}", draw))  # noqa: S308 - rendered by our template, escaped there
