"""A language's locale data: its Django code from any spelling, its Babel locale
and its digits. The languages themselves are listed only in settings."""

import functools

from babel import Locale
from babel.core import get_global, parse_locale
from babel.numbers import format_currency
from django.conf import settings
from django.utils import translation

# Digits of the CLDR numbering systems the site's languages use by default.
DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}


def language_code(lang=None):
    """The site's code for a language (fa-af) from any spelling of it (fa_AF, fa),
    the active language when none is given, the default one when it is unknown."""
    return _site_code(lang or translation.get_language() or settings.LANGUAGE_CODE)


# Looked up for every date on a page (a timeline page has hundreds): worked out
# once per spelling and per language, not parsed again each time.
@functools.cache
def _site_code(spelling):
    code = spelling.lower().replace("_", "-")
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


@functools.cache
def _locale(code):
    return Locale.parse(settings.BABEL_LOCALES.get(code, translation.to_locale(code)))


@functools.cache
def _digit_table(code):
    digits = DIGITS.get(_locale(code).default_numbering_system)
    return str.maketrans("0123456789", digits) if digits else None


def babel_locale(lang=None):
    """The Babel locale of a language: Django's to_locale, unless settings name a
    regional variant (BABEL_LOCALES: British English)."""
    return _locale(language_code(lang))


@functools.cache
def likely_subtags(lang=None):
    """(language, script, territory) of a language: its Babel locale, with what
    settings leave out filled in from CLDR's likely subtags (ps: Arab, AF; ja:
    Jpan, JP), so that no module keeps a table of the site's languages."""
    known = babel_locale(lang)
    _language, territory, script, _variant = parse_locale(get_global("likely_subtags").get(known.language, "und"))
    return known.language, known.script or script, known.territory or territory


def localize_digits(text, lang=None):
    """Write digits the way the language's readers expect: ۱۴۰۰ in Dari and Pashto,
    whose CLDR default numbering system is arabext. Babel writes Latin digits in
    numbers and dates whatever the locale, hence this step."""
    table = _digit_table(language_code(lang))
    return str(text).translate(table) if table else str(text)


def format_money(amount, currency, lang=None):
    """An amount with its currency, written the way the language writes it; whole
    amounts (nearly all pledges) without ".00"."""
    if amount is None:
        return ""
    locale = babel_locale(lang)
    pattern = None
    if amount == amount.to_integral_value():
        pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    text = format_currency(amount, currency, locale=locale, format=pattern, currency_digits=pattern is None)
    return localize_digits(text, lang)
