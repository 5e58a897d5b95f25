"""Keeping the site up for readers when parts of it are down, overloaded or sent
junk: a 503 page instead of a 500 when the database is unreachable, a 400 for a
query string with a NUL byte, a bound on how many expensive requests one app server
works on at once, and the client's address as the login throttle should see it
behind a trusted proxy."""

import logging
import threading
import weakref

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

# Seconds a reader (or a crawler) is asked to wait before trying again.
RETRY_AFTER = 30


def unavailable(request, reason):
    """The 503 page in the reader's language, with Retry-After. It names no record
    and reads nothing from the database."""
    response = render(request, "503.html", {"reason": reason}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # Neither a proxy nor a browser may keep this answer as the page.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """An unreachable database (stopped, restarting, refusing connections) is a
    passing outage: readers get a 503 that says so and when to come back, not a 500.
    Once the database answers again the next request simply works (connections are
    health-checked before use, pooled or not: config/settings.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        return unavailable(request, "database")


class NulRefusalMiddleware:
    """No link or form of the site sends a NUL byte, and PostgreSQL text cannot hold
    one (a filter or search passing it on failed with a 500; SQLite cut the value
    short at it): a query string that holds one is answered 400, in the reader's
    language, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in name or any("\x00" in value for value in values) for name, values in request.GET.lists()):
            return render(request, "400.html", status=400)
        return self.get_response(request)


class ExpensiveRequestLimitMiddleware:
    """At most EXPENSIVE_REQUESTS_PER_PROCESS anonymous requests that read a whole
    table (sitemaps, data downloads, the feed) run at once in one app server
    process; more are answered at once with a 503 and Retry-After. Without it a few
    such requests take the server's time and the pages readers ask for wait behind
    them. Placed after AuthenticationMiddleware: editors are not limited."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.slots = threading.BoundedSemaphore(settings.EXPENSIVE_REQUESTS_PER_PROCESS)

    def __call__(self, request):
        if not is_expensive(request):
            return self.get_response(request)
        if not self.slots.acquire(blocking=False):
            return unavailable(request, "busy")
        release = _once(self.slots.release)
        try:
            response = self.get_response(request)
        except BaseException:
            # Under ASGI a client that goes away cancels the request mid-way.
            release()
            raise
        if response.streaming:
            # The work happens while the body is sent: free the slot when it is
            # done, or when the response is dropped unsent (the ASGI handler does
            # not close a response whose client went away).
            response._resource_closers.append(release)
            weakref.finalize(response, release)
        else:
            release()
        return response


def _once(release):
    """release(), at most once however many ways the end of a request is seen."""
    lock, done = threading.Lock(), []

    def release_once():
        with lock:
            if not done:
                done.append(True)
                release()

    return release_once


EXPENSIVE_URL_NAMES = {"django.contrib.sitemaps.views.sitemap", "sitemap-section", "event-feed"}


def is_expensive(request):
    """The user is looked at last: it may need the session from the database."""
    if "format" not in request.GET:
        try:
            if resolve(request.path_info).url_name not in EXPENSIVE_URL_NAMES:
                return False
        except Resolver404:
            return False
    return not request.user.is_authenticated


def client_address(request):
    """The client's address for the login throttle: REMOTE_ADDR, or behind one of
    settings.TRUSTED_PROXIES the right-most X-Forwarded-For entry that is not one of
    them (the left-most ones are whatever the client chose to send)."""
    address = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.TRUSTED_PROXIES)
    if address not in trusted:
        return address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if hop not in trusted:
            return hop
    return address


def login_refused(request, original_response=None, credentials=None):
    """django-axes' answer to a login while locked out: 429, in the editor's
    language, saying for how long (and Retry-After for scripts)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cooloff.total_seconds() // 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response
