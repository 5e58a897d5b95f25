"""Dates at their precision, in each language (history/dates.py)."""

import datetime

import pytest

from history.dates import format_date_range, format_precise_date, iso_at_precision

D = datetime.date


@pytest.mark.parametrize(
    ("date", "precision", "lang", "expected"),
    [
        (D(2002, 1, 21), "day", "en", "21 January 2002"),
        (D(1934, 11, 1), "month", "en", "November 1934"),
        (D(1931, 1, 1), "year", "en", "1931"),
        (D(2002, 1, 21), "day", "ja", "2002年1月21日"),
        (D(1934, 11, 1), "month", "ja", "1934年11月"),
        (D(1931, 1, 1), "year", "ja", "1931年"),
        (D(2002, 1, 21), "day", "fa-af", "۲۱ جنوری ۲۰۰۲"),
    ],
)
def test_single_dates(date, precision, lang, expected):
    assert format_precise_date(date, precision, lang) == expected


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "lang", "expected"),
    [
        (D(2002, 1, 21), "day", D(2002, 1, 22), "day", "en", "21–22 January 2002"),
        (D(2002, 1, 21), "day", D(2002, 3, 2), "day", "en", "21 January – 2 March 2002"),
        (D(2008, 3, 1), "month", D(2010, 6, 1), "month", "en", "March 2008 – June 2010"),
        (D(1978, 1, 1), "year", D(1979, 1, 1), "year", "en", "1978–1979"),
        (D(2002, 1, 21), "day", D(2003, 3, 1), "month", "en", "21 January 2002 – March 2003"),
        (D(1931, 1, 1), "year", D(1931, 1, 1), "year", "en", "1931"),
        (D(2002, 1, 21), "day", None, None, "en", "21 January 2002"),
        (D(2002, 1, 21), "day", D(2002, 1, 22), "day", "ja", "2002年1月21日～22日"),
    ],
)
def test_ranges_collapse(start, start_precision, end, end_precision, lang, expected):
    assert format_date_range(start, start_precision, end, end_precision, lang) == expected


def test_machine_readable_value_keeps_the_precision():
    assert iso_at_precision(D(1931, 1, 1), "year") == "1931"
    assert iso_at_precision(D(1934, 11, 1), "month") == "1934-11"
    assert iso_at_precision(D(2002, 1, 21), "day") == "2002-01-21"
