"""SQLite connections kept between requests (history/sqlite_backend): a request
gets a connection as a new one would be, on the database file there is now.

Each test opens its own database file through its own connection handler, the
way the server's settings name it, whichever database the suite runs on."""

import shutil
import sqlite3
import threading

import pytest
from django.db import transaction
from django.db.utils import ConnectionHandler
from django.test import override_settings

ENGINE = "history.sqlite_backend"


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A database file of the test's own (not the suite's test database, which
    pytest-django guards)."""
    path = tmp_path / "site.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE line (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        raw.execute("INSERT INTO line (text) VALUES ('first')")
    with django_db_blocker.unblock():
        yield path


def handler(path, kept=8):
    return ConnectionHandler({"default": {"ENGINE": ENGINE, "NAME": str(path), "KEPT_CONNECTIONS": kept}})


def texts(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM line ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def raw_connection(connection):
    connection.ensure_connection()
    return connection.connection


def test_the_next_request_gets_the_connection_the_last_one_closed(database):
    connection = handler(database)["default"]
    first = raw_connection(connection)
    assert texts(connection) == ["first"]
    connection.close()
    assert raw_connection(connection) is first
    assert texts(connection) == ["first"]
    connection.close()


def test_a_request_in_another_thread_gets_it_too(database):
    """Under the ASGI server each request has a thread, and a connection handler
    of its own there (Django's connections are per thread)."""
    connections = handler(database)
    main = connections["default"]
    kept = raw_connection(main)
    main.close()
    seen = {}

    def request():
        other = connections["default"]
        seen["connection"] = raw_connection(other)
        seen["texts"] = texts(other)
        other.close()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert seen == {"connection": kept, "texts": ["first"]}


def test_a_transaction_left_open_is_rolled_back_not_handed_on(database):
    connection = handler(database)["default"]
    connection.set_autocommit(False)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO line (text) VALUES ('never committed')")
    connection.close()
    assert texts(connection) == ["first"]
    assert connection.get_autocommit()
    assert not connection.connection.in_transaction
    # And what an atomic block commits is there for the next request.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("INSERT INTO line (text) VALUES ('second')")
    connection.close()
    assert texts(connection) == ["first", "second"]
    connection.close()


def test_foreign_keys_are_on_again_for_the_next_request(database):
    connection = handler(database)["default"]
    connection.ensure_connection()
    connection.disable_constraint_checking()
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    connection.close()


def statements_run_on_checkout(connection, raw):
    """What SQL a kept connection runs as it is handed out again."""
    run = []
    raw.set_trace_callback(run.append)
    connection.ensure_connection()
    raw.set_trace_callback(None)
    return run


def test_a_kept_connection_keeps_its_compiled_statements(database):
    """Foreign keys already on are not set again as the connection is handed out:
    setting a pragma, even to its own value, makes SQLite expire every statement
    the connection has compiled, and the next request compiled them all again."""
    connection = handler(database)["default"]
    raw = raw_connection(connection)
    assert texts(connection) == ["first"]
    connection.close()
    assert statements_run_on_checkout(connection, raw) == ["PRAGMA foreign_keys"]
    assert connection.connection is raw
    # Turned off by the last request: set again, and only then.
    connection.disable_constraint_checking()
    connection.close()
    assert statements_run_on_checkout(connection, raw) == ["PRAGMA foreign_keys", "PRAGMA foreign_keys = ON"]
    connection.close()


def test_a_restored_file_is_read_through_a_new_connection(database, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(database, backup)
    connection = handler(database)["default"]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO line (text) VALUES ('after the backup')")
    old = raw_connection(connection)
    connection.close()
    shutil.move(backup, database)  # the operator puts the backup in its place
    assert texts(connection) == ["first"]
    assert connection.connection is not old
    connection.close()


def test_no_more_are_kept_than_the_setting_says(database):
    connections = handler(database, kept=1)
    first, second = connections["default"], connections.create_connection("default")
    a, b = raw_connection(first), raw_connection(second)
    first.close()
    second.close()  # nowhere to keep it: closed
    with pytest.raises(sqlite3.ProgrammingError):
        b.execute("SELECT 1")
    assert raw_connection(first) is a
    first.close()


def test_none_are_kept_when_the_setting_is_zero(database):
    connection = handler(database, kept=0)["default"]
    old = raw_connection(connection)
    connection.close()
    with pytest.raises(sqlite3.ProgrammingError):
        old.execute("SELECT 1")


@override_settings()
def test_the_server_settings_name_this_backend_for_sqlite(monkeypatch):
    """What config/settings.py makes of a SQLite DATABASE_URL, and of the pool size."""
    import importlib

    import config.settings

    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/some-site.sqlite3")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    try:
        database = importlib.reload(config.settings).DATABASES["default"]
        assert (database["ENGINE"], database["KEPT_CONNECTIONS"]) == (ENGINE, 3)
        monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")
        database = importlib.reload(config.settings).DATABASES["default"]
        assert database["ENGINE"] == "django.db.backends.sqlite3"
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)
