"""Template tags for the public pages: dates at their precision, money, safe
Markdown, English fallback marked as such, and the language links."""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from ..addresses import in_language, page_address, resolver_state
from ..calendars import local_calendar_range
from ..choices import choice_label
from ..dates import format_date_range, format_precise_date, iso_at_precision, today
from ..jinja import drawn
from ..locales import format_money, localize_digits
from ..markup import render_markdown
from ..models import Precision, ReviewState
from ..models.base import review_field_name
from ..related import shown as shown_related

register = template.Library()


@register.simple_tag
def precise_date(date, precision=Precision.DAY):
    return format_precise_date(date, precision)


@register.simple_tag
def dates(record):
    """A dated record's dates at their precision ('21–22 January 2002', 'November
    1934', '1931'), a single date as a <time>, then the reader's own calendar
    (Japanese era, Afghan Solar Hijri) where the language has one. Built here
    rather than in an include: it sits inside sentences and parentheses, where a
    template's line breaks would show as spaces."""
    return _dates_html(record.start_date, record.start_precision, record.end_date, record.end_precision, get_language())


# Kept per process: the markup depends on nothing but its arguments, Babel's
# formatting costs about 50 µs a record, and a timeline page shows a hundred.
@functools.lru_cache(maxsize=8192)
def _dates_html(start, start_precision, end, end_precision, language):
    text = format_date_range(start, start_precision, end, end_precision, language)
    if end:
        html = format_html('<span class="date">{}</span>', text)
    else:
        iso = iso_at_precision(start, start_precision)
        html = format_html('<span class="date"><time datetime="{}">{}</time></span>', iso, text)
    calendar = local_calendar_range(start, start_precision, end, end_precision, language)
    if calendar:
        html += format_html('<span class="local-calendar" lang="{}">({})</span>', language, calendar)
    return html


@register.filter
def choice(record, name):
    """{{ aidprogram|choice:"sector" }}: what get_sector_display gives, from a table
    of labels made once a language (history.choices)."""
    return choice_label(record, name)


@register.filter
def iso_date(date, precision=Precision.DAY):
    return iso_at_precision(date, precision)


@register.simple_tag
def today_date():
    return format_precise_date(today(), Precision.DAY)


@register.simple_tag
def money(amount, currency):
    """An amount with its currency, written the way the reader's language writes it."""
    return format_money(amount, currency)


@register.simple_tag
def site_name():
    return settings.SITE_NAME


@register.filter
def shown(records):
    """Records tied to a record, as its page lists them: the first RELATED_SHOWN, and
    whether there are more (history.related)."""
    return shown_related(records)


@register.filter
def local_digits(text):
    """Eastern Arabic-Indic digits on Dari and Pashto pages. Only for plain text
    runs (counts, page numbers): never around markup, whose attributes hold digits."""
    return localize_digits(text, get_language())


def _untranslated(record, field):
    """True when the reader's language has no text of its own for this field, so
    modeltranslation shows the English text instead."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return False
    own = getattr(record, build_localized_fieldname(field, language), None)
    return not own and bool(getattr(record, field, ""))


@register.simple_tag
def translated(record, field, markdown=False, note=True):
    """A translated field in the reader's language or, failing that, in English
    marked lang="en" with a visible note: {% translated event "title" %}."""
    value = getattr(record, field, "") or ""
    html = render_markdown(value) if markdown else conditional_escape(value)
    if not _untranslated(record, field):
        return mark_safe(html)  # noqa: S308 - escaped or sanitised just above
    element = "div" if markdown else "span"
    note_html = (
        format_html(' <small class="untranslated">{}</small>', _("Not yet translated; shown in English."))
        if note
        else ""
    )
    return format_html('<{0} lang="en" dir="ltr" class="fallback">{1}</{0}>{2}', element, html, note_html)


@register.simple_tag
def fixed(template_name):
    """{% fixed "includes/chrome_footer.html" %}: a part of every page that depends
    on nothing but the language (the menu, the footer, the files the head links to),
    drawn once for each language and kept: drawing them took about 0.4 ms of every
    page. Drawn afresh each time with DEBUG on, where templates change."""
    if settings.DEBUG:
        return mark_safe(render_to_string(template_name))  # noqa: S308 - a template of the site
    return _fixed(template_name, *resolver_state())


@functools.lru_cache(maxsize=64)
def _fixed(template_name, _language, _script_prefix, _urlconf):
    return mark_safe(render_to_string(template_name))  # noqa: S308 - a template of the site


def _forget_fixed(**kwargs):
    # A test that swaps the languages, the URLs or the static files' storage must
    # not read parts drawn under the old ones.
    _fixed.cache_clear()


setting_changed.connect(_forget_fixed, dispatch_uid="history-fixed-forget")


@register.simple_tag(name="drawn")
def drawn_tag(template_name, **context):
    """{% drawn "history/disagreements.html" disagreements=shown %}: a template of
    templates/jinja2/ drawn with the values named, for a piece of a page drawn
    many times over (history.jinja)."""
    return drawn(template_name, context)


@register.simple_tag
def address(url_name):
    """{% address "history:timeline" %}: {% url %} for a page without arguments,
    reversed once a language (history.addresses); the menus on every page."""
    return page_address(url_name)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language, query string kept, for the switcher
    and the hreflang alternates."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = in_language(path, code)
        links.append(
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request else url,
                "dir": "rtl" if code in settings.LANGUAGES_BIDI else "ltr",
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def x_default_url(context):
    """The address without a language prefix: LocaleMiddleware redirects it to the
    reader's language, which is what x-default means (and what the sitemap uses)."""
    request = context.get("request")
    if request is None:
        return ""
    english = in_language(request.get_full_path(), settings.LANGUAGE_CODE)
    return request.build_absolute_uri(english.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1))


@register.simple_tag(takes_context=True)
def page_url(context):
    """This page's absolute address without its query string, for "cite this page"."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request else ""


@register.filter
def is_draft_translation(record):
    """Whether the record's text in the reader's language is a translation no native
    speaker has checked yet. Never for the language the site is written in."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return False
    return getattr(record, review_field_name(language), None) == ReviewState.DRAFT
