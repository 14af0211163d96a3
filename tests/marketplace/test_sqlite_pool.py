"""The SQLite engine's connection pool (marketplace/sqlite_pooled): under ASGI each request has a thread
of its own, and the pool is what lets the next request use an already open connection."""

import threading

import pytest
from django.db import connection
from django.db.utils import load_backend

from marketplace.sqlite_pooled import base as pooled


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A fresh pooled database file, and a way to open wrappers on it as Django does per thread."""
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "pool.sqlite3"), "CONN_MAX_AGE": 0, "OPTIONS": {}}
    settings["ENGINE"] = "marketplace.sqlite_pooled"
    wrapper_class = load_backend(settings["ENGINE"]).DatabaseWrapper
    opened = []

    def open_wrapper():
        wrapper = wrapper_class(settings, alias="pool_test")
        wrapper.ensure_connection()
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():  # these wrappers open their own file, never the test database
        first = open_wrapper()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        first.close()
        yield open_wrapper
        for wrapper in opened:
            if wrapper.connection is not None and wrapper._thread_ident == threading.get_ident():
                wrapper.close()
        pooled.close_idle_connections()


def in_new_thread(function):
    result = []
    thread = threading.Thread(target=lambda: result.append(function()))
    thread.start()
    thread.join()
    return result[0]


def test_the_next_thread_gets_the_connection_the_last_request_closed(database):
    first = database()
    raw = first.connection
    first.close()

    def next_request():
        second = database()
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO note (body) VALUES ('kept')")
            cursor.execute("SELECT body FROM note")
            rows = cursor.fetchall()
        reused = second.connection is raw
        second.close()
        return reused, rows

    assert in_new_thread(next_request) == (True, [("kept",)])


def test_two_open_at_once_never_share_a_connection(database):
    first, second = database(), database()
    assert first.connection is not second.connection


def test_a_connection_closed_inside_a_transaction_is_not_reused_and_its_writes_are_dropped(database):
    writer = database()
    writer.set_autocommit(False)
    with writer.cursor() as cursor:
        cursor.execute("INSERT INTO note (body) VALUES ('never committed')")
    raw = writer.connection
    writer.close()
    reader = database()
    assert reader.connection is not raw
    with reader.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM note")
        assert cursor.fetchone() == (0,)


def test_connections_to_another_file_are_never_handed_out(database, tmp_path):
    mine = database()
    raw = mine.connection
    mine.close()
    settings = {**mine.settings_dict, "NAME": str(tmp_path / "other.sqlite3")}
    other = load_backend("marketplace.sqlite_pooled").DatabaseWrapper(settings, alias="pool_other")
    other.ensure_connection()
    assert other.connection is not raw
    other.close()


def test_only_a_bounded_number_stay_open_when_idle(database):
    wrappers = [database() for _ in range(pooled.MAX_IDLE + 3)]
    raws = [w.connection for w in wrappers]
    for wrapper in wrappers:
        wrapper.close()
    idle = [c for pool in pooled._idle.values() for c in pool]
    assert len([c for c in raws if any(c is i for i in idle)]) == pooled.MAX_IDLE
    closed = [c for c in raws if not any(c is i for i in idle)]
    for raw in closed:
        with pytest.raises(Exception, match="closed"):
            raw.execute("SELECT 1")
