"""The content version: one number that changes whenever anything readers may see
changes, once the change is committed. The page cache keys pages by it and the
conditional GET derives validators from it (history.page_cache), so a cached page
is never older than the content.

It is bumped after commit (transaction.on_commit, once per transaction), never
inside save(): on every save, delete and many-to-many change of this app's models
(the admin, reverts, loaddata), by the importer, whose bulk writes send no signal
(history.fixtures_io.importer calls content_changed), and after every migrate.

The version is the time of the last change in nanoseconds. It lives where every
server process reads it: in the cache when the cache is shared (Redis, memcached,
files), and in a file's modification time under the runtime folder when the
cache belongs to one process (local memory), so that two workers on one machine
still agree."""

import hashlib
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from . import kinds

CACHE_KEY = "history:content-version"
PROCESS_LOCAL = ("LocMemCache", "DummyCache")


def _version_file():
    folder = Path(getattr(settings, "RUNTIME_DIR", settings.BASE_DIR / "var"))
    return folder / "content-version"


def _in_file():
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in PROCESS_LOCAL


def current():
    """The version now; a version is made if there is none yet."""
    if _in_file():
        try:
            return os.stat(_version_file()).st_mtime_ns
        except FileNotFoundError:
            return bump()
    version = cache.get(CACHE_KEY)
    return version if version is not None else bump()


def read(*keys):
    """(the version now, {key: value} of the given cache keys that are there), in
    one round trip to a shared cache: a page from the cache then costs one."""
    if _in_file():
        return current(), cache.get_many(keys) if keys else {}
    values = cache.get_many([CACHE_KEY, *keys])
    version = values.pop(CACHE_KEY, None)
    return (version if version is not None else bump()), values


def bump():
    """A new version, later than the one before."""
    version = time.time_ns()
    if _in_file():
        path = _version_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            version = max(version, os.stat(path).st_mtime_ns + 1)
        except FileNotFoundError:
            pass
        path.touch()
        os.utime(path, ns=(version, version))
    else:
        old = cache.get(CACHE_KEY) or 0
        version = max(version, old + 1)
        cache.set(CACHE_KEY, version, timeout=None)
    return version


def content_changed(using="default"):
    """Bump the version once the current transaction commits (at once outside one).
    Called many times in one transaction, it bumps once."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        # Already waiting for this commit? (A rollback drops the wait with it.)
        if not any(entry[1] is bump for entry in connection.run_on_commit):
            transaction.on_commit(bump, using=using)
        return
    bump()


def _on_write(sender, using="default", **kwargs):
    if sender._meta.app_label == kinds.APP_LABEL:
        content_changed(using)


def _on_migrate(sender, using="default", **kwargs):
    content_changed(using)


def connect():
    post_save.connect(_on_write, dispatch_uid="history-content-version-save")
    post_delete.connect(_on_write, dispatch_uid="history-content-version-delete")
    m2m_changed.connect(_on_write, dispatch_uid="history-content-version-m2m")
    post_migrate.connect(_on_migrate, dispatch_uid="history-content-version-migrate")


def kept(name, work):
    """work(), kept in the cache under `name` until the content changes: for sums
    over every record that many pages show (a list's count, the timeline drawing's
    counts a year), whether or not whole pages are kept. Worked out afresh when
    SUMS_CACHE_SECONDS is 0 (the test settings: most tests roll back, and the
    version moves only on commit)."""
    if settings.SUMS_CACHE_SECONDS <= 0:
        return work()
    key = f"history:kept:{current()}:{name}"
    value = cache.get(key)
    if value is None:
        value = work()
        cache.set(key, value, timeout=settings.SUMS_CACHE_SECONDS)
    return value


def selection_key(queryset, *more):
    """A short key for what a queryset selects (its database, SQL and parameters)
    and anything else the kept value depends on."""
    sql, params = queryset.query.sql_with_params()
    return hashlib.md5(repr((queryset.db, sql, params, *more)).encode(), usedforsecurity=False).hexdigest()


def cached_count(queryset):
    """queryset.count(), kept until the content changes: a list's count reads every
    matching row's index entry, and is asked for on every page of the list."""
    # Keyed by the rows' keys alone: the count does not depend on the columns read,
    # the related rows joined or the order, and compiling a list's whole SELECT for
    # the key (every translated column, three joined records on the disagreements
    # page) took up to 0.8 ms of the page.
    rows = queryset if queryset.query.is_sliced else queryset.order_by().values("pk")
    return kept(f"count:{selection_key(rows)}", queryset.count)
