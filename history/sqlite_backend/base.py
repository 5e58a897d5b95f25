"""Django's SQLite backend, with the connections a server process has closed kept
open for its next requests (DATABASES["default"]["KEPT_CONNECTIONS"] of them).

Under the ASGI server every request runs in a thread of its own, so Django gives
each request a new connection (config/settings.py), and SQLite reads the whole
schema again on a new connection's first statement: about 1.1 ms of a record
page's 9 ms on the benchmark's machine, every request. PostgreSQL has its pool in
Django (psycopg_pool); SQLite has none, and this is the smallest one that keeps
what Django's own backend does: each connection is set up by Django as before, and
is taken by one request at a time.

A kept connection is handed out again only as it was when new: outside a
transaction (one left open is rolled back when the request closes it), with
foreign keys checked, and on the same database file. It keeps the statements it
has compiled (Python's sqlite3 keeps them for each connection). A file replaced
under the server (a restored backup) is read through a new connection, not through
one still open on the old file. An in-memory database is never closed by Django,
so nothing of it is kept."""

import os
import queue
import threading

from django.db.backends.sqlite3 import base

_kept = {}  # (process, database file) -> queue of (connection, file identity)
_kept_lock = threading.Lock()


def file_identity(path):
    """What tells one database file from another put in its place."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


class DatabaseWrapper(base.DatabaseWrapper):
    def _kept_connections(self):
        # By process too: a connection must not cross a fork (SQLite's rule).
        key = (os.getpid(), self.settings_dict["NAME"])
        with _kept_lock:
            if key not in _kept:
                _kept[key] = queue.LifoQueue(maxsize=self.settings_dict.get("KEPT_CONNECTIONS", 0))
            return _kept[key]

    def _keeps(self):
        return self.settings_dict.get("KEPT_CONNECTIONS", 0) > 0 and not self.is_in_memory_db()

    def get_new_connection(self, conn_params):
        if self._keeps():
            identity = file_identity(self.settings_dict["NAME"])
            kept = self._kept_connections()
            while True:
                try:
                    connection, opened_on = kept.get_nowait()
                except queue.Empty:
                    break
                if opened_on == identity:
                    # A request may have turned them off (disable_constraint_checking)
                    # and not lived to turn them on. Set only then: setting the pragma,
                    # even to the value it has, expires every statement the connection
                    # has compiled (SQLite's OP_Expire), and each was compiled again on
                    # its next use: about 2.5 ms of a conference page's 10.5.
                    if not connection.execute("PRAGMA foreign_keys").fetchone()[0]:
                        connection.execute("PRAGMA foreign_keys = ON")
                    self._kept_identity = identity
                    return connection
                connection.close()
            self._kept_identity = identity
        return super().get_new_connection(conn_params)

    def _close(self):
        if self.connection is None or not self._keeps():
            return super()._close()
        with self.wrap_database_errors:
            if self.connection.in_transaction:
                self.connection.rollback()
            try:
                self._kept_connections().put_nowait((self.connection, self._kept_identity))
            except queue.Full:
                self.connection.close()
