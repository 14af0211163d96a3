"""SQLite with a per-process pool of open connections (ENGINE "marketplace.sqlite_pooled").

Under ASGI, Django runs each request's synchronous code in a thread of its own, so CONN_MAX_AGE never
reuses a connection: every request opened the file, registered Django's SQL functions and re-read the
schema. py-spy put that at 17% of a search request (bench/bench_search_api.py). Django's answer for
PostgreSQL is OPTIONS["pool"]; nothing like it ships for SQLite, hence these few lines.

A connection goes back to the pool when Django closes it (the end of each request, with CONN_MAX_AGE 0)
unless it is inside a transaction; the next thread that needs one takes it. sqlite3 connections are
opened with check_same_thread=False by Django, and the pool hands each to one thread at a time.
"""

import os
import sqlite3

from django.db.backends.sqlite3 import base

# Idle connections kept per database file and process; more than this are really closed.
MAX_IDLE = 16

# Keyed by (process id, database name): a connection must never cross a fork or serve another file.
_idle: dict[tuple[int, str], list[sqlite3.Connection]] = {}


class DatabaseWrapper(base.DatabaseWrapper):
    def _pool_key(self) -> tuple[int, str]:
        return os.getpid(), str(self.settings_dict["NAME"])

    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            try:
                return _idle[self._pool_key()].pop()  # list.pop is atomic, so two threads never share one
            except (KeyError, IndexError):
                pass
        return super().get_new_connection(conn_params)

    def _close(self):
        connection = self.connection
        if connection is None or self.is_in_memory_db() or connection.in_transaction or self.in_atomic_block:
            return super()._close()
        idle = _idle.setdefault(self._pool_key(), [])
        if len(idle) >= MAX_IDLE:
            return super()._close()
        idle.append(connection)


def close_idle_connections() -> None:
    """Really close every pooled connection of this process (for tests that remove database files)."""
    for idle in _idle.values():
        while idle:
            idle.pop().close()
