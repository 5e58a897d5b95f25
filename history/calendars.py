"""The local calendar line shown under a date: the Japanese era (gengō) on Japanese
pages, the Afghan Solar Hijri date on Dari and Pashto pages.

A stored date is the first day of a known period (day, month or year). A period can
straddle two eras or two Solar Hijri years or months, so every label is computed
from the first and the last day of the period, never from the stored day alone:
"1931" is 1309–1310 in Solar Hijri, and 1989 is both 昭和64年 and 平成元年.
"""

import calendar
import datetime

import jdatetime
from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

from .locales import language_code, localize_digits
from .models.base import Precision

# Japanese eras since the Gregorian calendar was adopted (Meiji 6 = 1873): name and
# first day. Hard-coded because the table is short, closed, and exact to the day.
JAPANESE_ERAS = (
    ("令和", datetime.date(2019, 5, 1)),
    ("平成", datetime.date(1989, 1, 8)),
    ("昭和", datetime.date(1926, 12, 25)),
    ("大正", datetime.date(1912, 7, 30)),
    ("明治", datetime.date(1868, 10, 23)),
)
GREGORIAN_IN_JAPAN = datetime.date(1873, 1, 1)

# The Afghan names of the Solar Hijri months (calendars.md). jdatetime only knows the
# Iranian ones; each language's catalogue gives its own (Dari حمل, Pashto وری).
SOLAR_HIJRI_MONTHS = (
    pgettext_lazy("Afghan Solar Hijri month", "Hamal"),
    pgettext_lazy("Afghan Solar Hijri month", "Sawr"),
    pgettext_lazy("Afghan Solar Hijri month", "Jawza"),
    pgettext_lazy("Afghan Solar Hijri month", "Saratan"),
    pgettext_lazy("Afghan Solar Hijri month", "Asad"),
    pgettext_lazy("Afghan Solar Hijri month", "Sonbola"),
    pgettext_lazy("Afghan Solar Hijri month", "Mizan"),
    pgettext_lazy("Afghan Solar Hijri month", "Aqrab"),
    pgettext_lazy("Afghan Solar Hijri month", "Qaws"),
    pgettext_lazy("Afghan Solar Hijri month", "Jadi"),
    pgettext_lazy("Afghan Solar Hijri month", "Dalw"),
    pgettext_lazy("Afghan Solar Hijri month", "Hut"),
)
JAPANESE_ERA, SOLAR_HIJRI = "japanese-era", "solar-hijri"

def calendar_of(lang):
    """The calendar a language's readers see beside Gregorian dates, or None."""
    return settings.LOCAL_CALENDARS.get(language_code(lang))


def period_bounds(date, precision):
    """First and last day of the period a stored date stands for."""
    if precision == Precision.YEAR:
        return date.replace(month=1, day=1), date.replace(month=12, day=31)
    if precision == Precision.MONTH:
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    return date, date


# Japanese eras


def _era(day):
    """(era name, era year) of a day, or None before the Gregorian calendar."""
    if day < GREGORIAN_IN_JAPAN:
        return None
    for name, first_day in JAPANESE_ERAS:
        if day >= first_day:
            return name, day.year - first_day.year + 1
    return None


def japanese_label(day, precision):
    """昭和6年7月26日 (day), 昭和9年11月 (month), 昭和6年 (year); the first year is 元年."""
    era = _era(day)
    if era is None:
        return ""
    name, year = era
    label = f"{name}{'元' if year == 1 else year}年"
    if precision in (Precision.MONTH, Precision.DAY):
        label += f"{day.month}月"
    if precision == Precision.DAY:
        label += f"{day.day}日"
    return label


def _japanese(first, first_precision, last, last_precision, separator):
    start, end = japanese_label(first, first_precision), japanese_label(last, last_precision)
    if not start or not end:
        return ""
    return start if start == end else f"{start}{separator}{end}"


# Afghan Solar Hijri


def solar_hijri_label(day, precision, lang):
    """1 Hamal 1400 as ۱ حمل ۱۴۰۰ (Dari) or ۱ وری ۱۴۰۰ (Pashto), at a precision."""
    sh = jdatetime.date.fromgregorian(date=day)
    with translation.override(lang):
        month = str(SOLAR_HIJRI_MONTHS[sh.month - 1])
    labels = {Precision.YEAR: f"{sh.year}", Precision.MONTH: f"{month} {sh.year}"}
    return localize_digits(labels.get(precision, f"{sh.day} {month} {sh.year}"), lang)


def _solar_hijri(first, first_precision, last, last_precision, lang):
    start = solar_hijri_label(first, first_precision, lang)
    end = solar_hijri_label(last, last_precision, lang)
    if start == end:
        return start
    if first_precision == last_precision == Precision.YEAR:
        return f"{start}–{end}"
    if first_precision == last_precision == Precision.MONTH and start.split()[-1] == end.split()[-1]:
        # Same Solar Hijri year: "عقرب–قوس ۱۳۱۳" rather than repeating the year.
        return f"{start.split()[0]}–{end}"
    return f"{start} – {end}"


# Entry points for templates


def local_calendar_range(start, start_precision, end, end_precision, lang):
    """The local calendar text for a period from the start of one stored date to the
    end of another; "" where the language has no calendar line (English) or the date
    is out of range (Japanese eras before 1873)."""
    if not start:
        return ""
    if not end:
        end, end_precision = start, start_precision
    start, end = _as_date(start), _as_date(end)
    first, _ = period_bounds(start, start_precision)
    _, last = period_bounds(end, end_precision)
    single = start == end and start_precision == end_precision
    kind = calendar_of(lang)
    if kind == JAPANESE_ERA:
        # One period straddling an era change is "both" (／); a range runs "to" (～).
        return _japanese(first, start_precision, last, end_precision, "／" if single else "～")
    if kind == SOLAR_HIJRI:
        return _solar_hijri(first, start_precision, last, end_precision, language_code(lang))
    return ""


def local_calendar(date, precision, lang):
    """The local calendar text for one stored date at its precision."""
    return local_calendar_range(date, precision, None, None, lang)


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value
