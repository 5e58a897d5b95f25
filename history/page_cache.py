"""Whole pages from the cache for anonymous readers, and conditional GET.

PageCacheMiddleware comes first in MIDDLEWARE, so a page from the cache (or a 304)
costs one cache read and no database, template or other middleware. It
answers only anonymous GET and HEAD requests for public addresses (under a
language prefix, the sitemap, robots.txt); a request that carries a session
cookie (an editor, logged in or not long ago) always goes through and gets
`Cache-Control: private, no-cache`, so neither this cache nor a proxy keeps what
a logged-in editor sees (a draft's preview, for one).

A page is kept by the day (a record page's "accessed on" line shows it) and its
address with the query string, together with the content version it was made
under (history.content_version); it is given out only while that is still the
version, so a change readers may see reaches them at once, the next request after
the commit. The version and the page are read in one round trip to the cache.
Kept: 200 and 301 answers without cookies and without `private` or `no-store`.
Downloads stream and are not kept, but get validators.

Validators: a weak ETag made of the release, the content version and the day, and
Last-Modified from the version's time. A reader who has the page revalidates with
If-None-Match (or If-Modified-Since) and gets a 304 before anything else is done.
Readers' browsers and proxies may keep a page for CACHE_MAX_AGE seconds.
PAGE_CACHE_SECONDS = 0 keeps no page (the test settings, where most tests never
commit and so never move the content version)."""

import hashlib
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import content_version

KEPT_STATUSES = (200, 301)
# Validators of a page: what a 304 repeats of the full answer (RFC 9110, 15.4.5).
REPEATED_HEADERS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary", "Last-Modified")


def _public_path(path):
    """Addresses whose answer is the same for every anonymous reader."""
    if path in ("/sitemap.xml", "/robots.txt") or path.startswith("/sitemap-"):
        return True
    prefixes = getattr(_public_path, "prefixes", None)
    if prefixes is None:
        prefixes = _public_path.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return path.startswith(prefixes)


def _release():
    """What changes with a deployment: the static files' manifest (hashed names in
    every page), read once per process."""
    release = getattr(_release, "value", None)
    if release is None:
        # Django takes STATIC_ROOT as a text or a path.
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        try:
            release = hashlib.md5(manifest.read_bytes(), usedforsecurity=False).hexdigest()[:8]
        except OSError:
            release = "dev"
        _release.value = release
    return release


class Validators:
    """The version-derived ETag and Last-Modified of every public answer today."""

    def __init__(self, version):
        self.version = version
        self.day = timezone.localdate().isoformat()
        self.etag = f'W/"{_release()}-{self.version}-{self.day}"'
        # The last change, or the start of the day if later (the page shows the day).
        changed = self.version / 1e9
        start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        self.last_modified = int(max(changed, start_of_day))


    def fresh(self, request):
        """Whether the reader's copy is the current one (If-None-Match first, as RFC 9110 says)."""
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = [tag.strip() for tag in if_none_match.split(",")]
            return "*" in tags or self.etag in tags or self.etag.removeprefix("W/") in tags
        if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since:
            try:
                return parsedate_to_datetime(if_modified_since).timestamp() >= self.last_modified
            except (TypeError, ValueError):
                return False
        return False

    def apply(self, response):
        response["ETag"] = self.etag
        response["Last-Modified"] = formatdate(self.last_modified, usegmt=True)
        patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
        return response

    def not_modified(self):
        return self.apply(HttpResponseNotModified())


def _anonymous(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _keepable(response):
    if response.status_code not in KEPT_STATUSES or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def page_key(request):
    """Where a page is kept: by the day (a record page shows it), the scheme, host,
    path and query string (pages name their own absolute address); the content
    version it was made under is kept with it."""
    address = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    return f"history:page:{_release()}:{timezone.localdate().isoformat()}:{address}"


def _stored(version, response):
    return (version, response.status_code, list(response.items()), response.content)


def _restored(stored, head):
    _version, status, headers, content = stored
    response = HttpResponse(b"" if head else content, status=status)
    for name, value in headers:
        response[name] = value
    if head:
        response["Content-Length"] = str(len(content))
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _public_path(request.path_info):
            return self.get_response(request)
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return self.get_response(request)  # SecurityMiddleware redirects it
        if not _anonymous(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        keeping = settings.PAGE_CACHE_SECONDS > 0
        key = page_key(request)
        version, found = content_version.read(key) if keeping else (content_version.current(), {})
        validators = Validators(version)
        if validators.fresh(request):
            return validators.not_modified()
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            return _restored(stored, head=request.method == "HEAD")
        response = self.get_response(request)
        if response.status_code not in KEPT_STATUSES or response.cookies:
            return response
        validators.apply(response)
        if keeping and _keepable(response) and request.method == "GET":
            cache.set(key, _stored(version, response), timeout=settings.PAGE_CACHE_SECONDS)
        return response
