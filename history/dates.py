"""Dates at the precision they are known, in the reader's language.

A stored date is the first day of its known period, so 1931-01-01 with precision
"year" must read "1931", never "1 January 1931". Babel (CLDR) gives the month
names, the order of the parts and the way a range collapses in each language;
Japanese-era and Solar Hijri lines are added elsewhere (templates/includes/date.html).
"""

import datetime

from babel import Locale
from babel.dates import format_date
from django.utils.translation import get_language

from .calendars import localize_digits

# Django language code -> Babel locale. British English writes "21 January 2002".
BABEL_LOCALES = {"en": "en_GB", "ja": "ja", "fa-af": "fa_AF", "ps": "ps"}

# CLDR skeletons: the interval formats are looked up by these keys. Day precision
# uses the yMMMd interval patterns with the month spelled out in full.
SKELETONS = {"day": "yMMMd", "month": "yMMMM", "year": "y"}
FULL_MONTH = {"day": True, "month": False, "year": False}


def babel_locale(lang=None):
    return BABEL_LOCALES.get(lang or get_language() or "en", "en_GB")


def _full_month(pattern):
    """Spell the month out: CLDR's day intervals abbreviate it (MMM, LLL)."""
    if "MMMM" in pattern or "LLLL" in pattern:
        return pattern
    return pattern.replace("MMM", "MMMM").replace("LLL", "LLLL")


def _single_pattern(locale, precision):
    if precision == "year":
        return locale.datetime_skeletons["y"].pattern
    if precision == "month":
        return locale.datetime_skeletons["yMMMM"].pattern
    return locale.date_formats["long"].pattern


def format_precise_date(date, precision="day", lang=None):
    """'21 January 2002', 'November 1934' or '1931', in the given (or active) language."""
    if date is None:
        return ""
    locale = Locale.parse(babel_locale(lang))
    text = format_date(date, _single_pattern(locale, precision or "day"), locale=locale)
    return localize_digits(text, lang or get_language())


def _greatest_difference(start, end, precision):
    if start.year != end.year:
        return "y"
    if precision != "year" and start.month != end.month:
        return "M"
    return "d" if precision == "day" else None


def format_date_range(start, start_precision="day", end=None, end_precision=None, lang=None):
    """A start and end date, collapsed the way the language does it:
    '21–22 January 2002', 'March 2008 – June 2010', '1978–1979'. Dari and Pashto
    get Eastern Arabic-Indic digits, which Babel's Afghan locales do not use."""
    return localize_digits(_date_range(start, start_precision, end, end_precision, lang), lang or get_language())


def _date_range(start, start_precision="day", end=None, end_precision=None, lang=None):
    if start is None:
        return ""
    end_precision = end_precision or start_precision
    if end is None:
        return format_precise_date(start, start_precision, lang)
    locale = Locale.parse(babel_locale(lang))
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
        format_date(date, _full_month(pattern) if FULL_MONTH[start_precision] else pattern, locale=locale)
        for pattern, date in zip(halves, (start, end), strict=True)
    )
    if difference == "d" or start_precision == "year":
        # Between two bare numbers the dash is not spaced: 21–22, 1978–1979.
        return text.replace("\u2009–\u2009", "–").replace(" – ", "–")
    return text.replace("\u2009–\u2009", " – ")


def iso_at_precision(date, precision="day"):
    """The machine-readable value for <time datetime>: 1931, 1934-11 or 2002-01-21."""
    if date is None:
        return ""
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def today():
    return datetime.date.today()
