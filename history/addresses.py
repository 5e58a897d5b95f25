"""A record page's address, without Django's URL resolver for every link.

reverse() walks the URL patterns and quotes every argument: about 50 µs a call,
and a timeline page links a hundred records, a list page twenty-five, a record
page its related records and the language links. A record's address differs from
its kind's pattern only by the slug, so the pattern is reversed once (for each
kind, language, script prefix and URL configuration) with a marker where the slug
goes, and each address is the pattern with the slug put in."""

import functools
import re

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A slug is already safe in a path (SlugField allows nothing else); anything else
# goes through reverse(), which quotes it, or refuses it as before.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "__slug__"


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
    before, after = _pattern(url_name, get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"


def _forget(setting, **kwargs):
    # Tests that swap the URL patterns or the languages must not read old ones.
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _pattern.cache_clear()


setting_changed.connect(_forget, dispatch_uid="history-addresses-forget")
