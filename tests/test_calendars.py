"""The local calendar line: Japanese eras on Japanese pages, the Afghan Solar Hijri
date with Afghan month names and Eastern digits on Dari and Pashto pages."""

import datetime
from types import SimpleNamespace

import jdatetime
import pytest
from django.template import Context, Template
from django.utils import translation

from history.calendars import local_calendar, local_calendar_range, localize_digits

D = datetime.date


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        (D(1931, 7, 26), "day", "昭和6年7月26日"),
        (D(1934, 11, 1), "month", "昭和9年11月"),
        (D(1931, 1, 1), "year", "昭和6年"),
        (D(2002, 1, 1), "year", "平成14年"),
        (D(2002, 1, 21), "day", "平成14年1月21日"),
        (D(2021, 8, 15), "day", "令和3年8月15日"),
        (D(1989, 1, 8), "day", "平成元年1月8日"),
        (D(1989, 1, 7), "day", "昭和64年1月7日"),
        (D(2019, 5, 1), "day", "令和元年5月1日"),
        (D(2019, 4, 30), "day", "平成31年4月30日"),
        (D(1926, 12, 25), "day", "昭和元年12月25日"),
        (D(1912, 7, 30), "day", "大正元年7月30日"),
        (D(1873, 1, 1), "year", "明治6年"),
    ],
)
def test_japanese_era(date, precision, expected):
    assert local_calendar(date, precision, "ja") == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1989, "昭和64年／平成元年"),
        (1926, "大正15年／昭和元年"),
        (2019, "平成31年／令和元年"),
        (1912, "明治45年／大正元年"),
    ],
)
def test_a_changeover_year_spans_two_eras(year, expected):
    assert local_calendar(D(year, 1, 1), "year", "ja") == expected


def test_a_changeover_month_spans_two_eras():
    assert local_calendar(D(1989, 1, 1), "month", "ja") == "昭和64年1月／平成元年1月"


def test_no_era_before_japan_took_the_gregorian_calendar():
    assert local_calendar(D(1872, 12, 31), "day", "ja") == ""
    assert local_calendar(D(1868, 1, 1), "year", "ja") == ""


def test_japanese_range_runs_from_start_of_first_period_to_end_of_last():
    assert local_calendar_range(D(1926, 1, 1), "year", D(1989, 1, 1), "year", "ja") == "大正15年～平成元年"
    assert (
        local_calendar_range(D(2002, 1, 21), "day", D(2002, 1, 22), "day", "ja") == "平成14年1月21日～平成14年1月22日"
    )


def test_english_has_no_extra_calendar():
    assert local_calendar(D(1931, 7, 26), "day", "en") == ""


@pytest.mark.parametrize(
    ("date", "lang", "expected"),
    [
        (D(2021, 3, 21), "fa-af", "۱ حمل ۱۴۰۰"),
        (D(2021, 3, 21), "ps", "۱ وری ۱۴۰۰"),
        (D(2021, 8, 15), "fa-af", "۲۴ اسد ۱۴۰۰"),
        (D(2021, 8, 15), "ps", "۲۴ زمری ۱۴۰۰"),
        # 1399 is a leap year: its last month has 30 days.
        (D(2021, 3, 20), "fa-af", "۳۰ حوت ۱۳۹۹"),
        (D(2021, 3, 20), "ps", "۳۰ کب ۱۳۹۹"),
        # 1400 is not: 29 Hut is its last day.
        (D(2022, 3, 20), "fa-af", "۲۹ حوت ۱۴۰۰"),
    ],
)
def test_afghan_solar_hijri_day(date, lang, expected):
    assert local_calendar(date, "day", lang) == expected


def test_leap_year_agrees_with_jdatetime():
    assert jdatetime.date(1399, 12, 30).togregorian() == D(2021, 3, 20)
    assert jdatetime.date.fromgregorian(date=D(2021, 3, 21)) == jdatetime.date(1400, 1, 1)


def test_a_gregorian_year_spans_two_solar_hijri_years():
    assert local_calendar(D(1931, 1, 1), "year", "fa-af") == "۱۳۰۹–۱۳۱۰"
    assert local_calendar(D(1931, 1, 1), "year", "ps") == "۱۳۰۹–۱۳۱۰"


def test_a_gregorian_month_spans_two_solar_hijri_months():
    # November 1934: 1 Nov = 10 Aqrab 1313, 30 Nov = 9 Qaws 1313.
    assert local_calendar(D(1934, 11, 1), "month", "fa-af") == "عقرب–قوس ۱۳۱۳"
    assert local_calendar(D(1934, 11, 1), "month", "ps") == "لړم–لیندۍ ۱۳۱۳"


def test_a_gregorian_month_across_the_solar_hijri_new_year():
    assert local_calendar(D(2021, 3, 1), "month", "fa-af") == "حوت ۱۳۹۹ – حمل ۱۴۰۰"


def test_solar_hijri_range():
    assert local_calendar_range(D(1931, 1, 1), "year", D(1935, 1, 1), "year", "fa-af") == "۱۳۰۹–۱۳۱۴"
    assert local_calendar_range(D(2002, 1, 21), "day", D(2002, 1, 22), "day", "ps") == "۱ سلواغه ۱۳۸۰ – ۲ سلواغه ۱۳۸۰"


def test_localize_digits():
    assert localize_digits("1400", "fa-af") == "۱۴۰۰"
    assert localize_digits("0123456789", "ps") == "۰۱۲۳۴۵۶۷۸۹"
    assert localize_digits("1400", "ja") == "1400"
    assert localize_digits("1400", "en") == "1400"


def test_datetime_is_taken_as_its_date():
    assert local_calendar(datetime.datetime(1931, 7, 26, 12, 0), "day", "ja") == "昭和6年7月26日"


def render_dates(lang, start, precision, end=None, end_precision="day"):
    """{% dates record %}, which pages use for every dated record: its dates, then the calendar line."""
    record = SimpleNamespace(start_date=start, start_precision=precision, end_date=end, end_precision=end_precision)
    with translation.override(lang):
        return Template("{% load history_tags %}{% dates record %}").render(Context({"record": record}))


def test_dates_end_with_the_calendar_line_in_the_page_language():
    html = render_dates("ja", D(1931, 7, 26), "year")
    assert html.endswith('</span><span class="local-calendar" lang="ja">(昭和6年)</span>')
    html = render_dates("fa-af", D(2021, 3, 21), "day")
    assert html.endswith('</span><span class="local-calendar" lang="fa-af">(۱ حمل ۱۴۰۰)</span>')


def test_dates_with_an_end_date():
    html = render_dates("ps", D(1931, 1, 1), "year", end=D(1935, 1, 1), end_precision="year")
    assert "(۱۳۰۹–۱۳۱۴)" in html


def test_no_calendar_line_in_english_and_before_1873_in_japanese():
    assert "local-calendar" not in render_dates("en", D(1931, 7, 26), "day")
    assert "local-calendar" not in render_dates("ja", D(1800, 1, 1), "year")
