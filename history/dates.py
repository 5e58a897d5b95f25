"""Dates at the precision they are known, in the reader's language.

A stored date is the first day of its known period, so 1931-01-01 with precision
"year" must read "1931", never "1 January 1931". Babel (CLDR) gives the month
names, the order of the parts and the way a range collapses in each language;
Japanese-era and Solar Hijri lines are added elsewhere (the {% dates %} template tag).
"""

import datetime

from babel.dates import format_date

from .locales import babel_locale, localize_digits
from .models.base import Precision

# CLDR skeletons: the interval formats are looked up by these keys. Day precision
# uses the yMMMd interval patterns with the month spelled out in full.
SKELETONS = {Precision.DAY: "yMMMd", Precision.MONTH: "yMMMM", Precision.YEAR: "y"}


def _full_month(pattern):
    """Spell the month out: CLDR's day intervals abbreviate it (MMM, LLL)."""
    if "MMMM" in pattern or "LLLL" in pattern:
        return pattern
    return pattern.replace("MMM", "MMMM").replace("LLL", "LLLL")


def _single_pattern(locale, precision):
    if precision == Precision.DAY:
        return locale.date_formats["long"].pattern
    return locale.datetime_skeletons[SKELETONS[precision]].pattern


def format_precise_date(date, precision=Precision.DAY, lang=None):
    """'21 January 2002', 'November 1934' or '1931', in the given (or active) language."""
    if date is None:
        return ""
    locale = babel_locale(lang)
    text = format_date(date, _single_pattern(locale, precision or Precision.DAY), locale=locale)
    return localize_digits(text, lang)


def _greatest_difference(start, end, precision):
    if start.year != end.year:
        return "y"
    if precision != Precision.YEAR and start.month != end.month:
        return "M"
    return "d" if precision == Precision.DAY else None


def format_date_range(start, start_precision=Precision.DAY, end=None, end_precision=None, lang=None):
    """A start and end date, collapsed the way the language does it:
    '21–22 January 2002', 'March 2008 – June 2010', '1978–1979'. Dari and Pashto
    get Eastern Arabic-Indic digits, which Babel's Afghan locales do not use."""
    return localize_digits(_date_range(start, start_precision, end, end_precision, lang), lang)


def _date_range(start, start_precision=Precision.DAY, end=None, end_precision=None, lang=None):
    if start is None:
        return ""
    end_precision = end_precision or start_precision
    if end is None:
        return format_precise_date(start, start_precision, lang)
    locale = babel_locale(lang)
    if start_precision != end_precision:
        # Different precisions cannot share parts: write both out in full.
        joiner = locale.interval_formats.get(None, "{0} – {1}").replace("\u2009", " ")
        return joiner.format(
            format_precise_date(start, start_precision, lang), format_precise_date(end, end_precision, lang)
        )
    difference = _greatest_difference(start, end, start_precision)
    if difference is None:  # the same day, month or year twice
        return format_precise_date(start, start_precision, lang)
    halves = locale.interval_formats[SKELETONS[start_precision]][difference]
    text = "".join(
        format_date(date, _full_month(pattern) if start_precision == Precision.DAY else pattern, locale=locale)
        for pattern, date in zip(halves, (start, end), strict=True)
    )
    if difference == "d" or start_precision == Precision.YEAR:
        # Between two bare numbers the dash is not spaced: 21–22, 1978–1979.
        return text.replace("\u2009–\u2009", "–").replace(" – ", "–")
    return text.replace("\u2009–\u2009", " – ")


def date_parts(date, precision=Precision.DAY):
    """The parts of a date that are known: (1931,), (1934, 11) or (2002, 1, 21)."""
    parts = (date.year, date.month, date.day)
    return parts[: {Precision.YEAR: 1, Precision.MONTH: 2}.get(precision, 3)]


def iso_at_precision(date, precision=Precision.DAY):
    """The machine-readable value for <time datetime>: 1931, 1934-11 or 2002-01-21."""
    if date is None:
        return ""
    return "-".join(f"{part:02d}" if index else f"{part:04d}" for index, part in enumerate(date_parts(date, precision)))


def today():
    return datetime.date.today()
