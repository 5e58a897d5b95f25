"""Addresses, without Django's URL resolver for every link.

reverse() walks the URL patterns and quotes every argument: about 20-50 µs a
call, and a timeline page links a hundred records, a list page twenty-five, and
every page its menus and the same page in each language. What an address depends
on besides its arguments (the language, the script prefix, the URL configuration)
is part of each key below, so a kept address is the one reverse() would give.

- A record's address differs from its kind's pattern only by the slug: the
  pattern is reversed once with a marker where the slug goes.
- A page without arguments (the menus) is reversed once.
- A page in another language (the language switcher, hreflang) is translated
  once a path."""

import functools
import re

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.translation import get_language

# A slug is already safe in a path (SlugField allows nothing else); anything else
# goes through reverse(), which quotes it, or refuses it as before.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "__slug__"


def resolver_state():
    """What reverse() and translate_url() read besides their arguments: part of
    every key below."""
    return get_language(), get_script_prefix(), get_urlconf()


@functools.lru_cache(maxsize=256)
def _pattern(url_name, language, script_prefix, urlconf):
    """(before, after) the slug in url_name's address. The arguments besides
    url_name are what reverse() reads from the request's state, as the key: it
    runs under them."""
    address = reverse(url_name, kwargs={"slug": _MARK}, urlconf=urlconf)
    before, _mark, after = address.partition(_MARK)
    return before, after


def detail_address(url_name, slug):
    """reverse(url_name, kwargs={"slug": slug}), from the kept pattern."""
    if not _PLAIN_SLUG.fullmatch(slug or ""):
        return reverse(url_name, kwargs={"slug": slug})
    before, after = _pattern(url_name, *resolver_state())
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=256)
def _page(url_name, language, script_prefix, urlconf):
    return reverse(url_name, urlconf=urlconf)


def page_address(url_name):
    """reverse(url_name) of a page that takes no arguments."""
    return _page(url_name, *resolver_state())


# Paths come from requests: the table is bounded in entries, and a longer path
# (a long query string) is translated afresh rather than kept, so a flood of odd
# paths costs at most a few megabytes and only pushes the common ones out.
KEPT_PATH_LENGTH = 200


@functools.lru_cache(maxsize=4096)
def _translated(path, language, current, script_prefix, urlconf):
    return translate_url(path, language)


def in_language(path, language):
    """translate_url(path, language): the path (query string kept) in another
    language, or the path itself when it is not one of the site's pages. The path
    is resolved in the active language, which is part of the key."""
    if len(path) > KEPT_PATH_LENGTH:
        return translate_url(path, language)
    return _translated(path, language, *resolver_state())


def _forget(setting, **kwargs):
    # Tests that swap the URL patterns or the languages must not read old ones.
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        for kept in (_pattern, _page, _translated):
            kept.cache_clear()


setting_changed.connect(_forget, dispatch_uid="history-addresses-forget")
