"""The register's change log: how every worker, command and machine sees the same register at once.

A service function that changes anything search may show, or how it ranks, calls ``record`` (or
``record_rebuild``) inside the transaction that makes the change, after its own writes. The row
commits with the change or not at all. Readers (the match index in ``matching.live``) keep the
last id they applied and, before answering, apply every newer row: nothing newer costs one
indexed range query.

Ids must become visible in order, or a reader could pass over a row that commits late. SQLite
has one writer at a time, so they do. On PostgreSQL each writer takes one transaction-scoped
advisory lock before its insert, so change-log writers commit one after another.

Old rows are trimmed (``trim``); a ``trimmed`` row carries the highest id removed, so a reader
that was behind it knows it missed rows and rebuilds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from marketplace.sql import column, table

from .models import RegisterChange

Kind = RegisterChange.Kind
KEEP = timedelta(days=7)
TRIM_EVERY = 5000  # rows: how often a writer also trims rows older than KEEP
_LOCK_KEY = 0x0C1C1E  # the advisory lock's key on PostgreSQL (any constant the project owns)


def _serialise_writers() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def record(kind: str, object_ids: Iterable[int | None] = (None,)) -> None:
    """Append one row per object (a profile id, or None), in the caller's transaction."""
    rows = [RegisterChange(kind=kind, object_id=object_id) for object_id in dict.fromkeys(object_ids)]
    if not rows:
        return
    with transaction.atomic():
        _serialise_writers()
        created = RegisterChange.objects.bulk_create(rows)
    last = created[-1].id
    if last is not None and last % TRIM_EVERY < len(rows):
        trim()


def record_profiles(profile_ids: Iterable[int]) -> None:
    record(Kind.PROFILE, profile_ids)


def record_profiles_of_users(user_ids: Iterable[int]) -> None:
    """Every listing of these people changed (for example their organisation membership)."""
    from .models import Profile

    record(Kind.PROFILE, Profile.objects.filter(user_id__in=list(user_ids)).values_list("id", flat=True))


def record_relation() -> None:
    """A block, connection or organisation membership changed: read fresh by every search already,
    recorded so that any per-process cache of them catches up too."""
    record(Kind.RELATION)


def record_rebuild() -> None:
    """A bulk change (an import): readers rebuild rather than re-read row by row."""
    record(Kind.REBUILD)


def trim(keep: timedelta = KEEP) -> int:
    """Delete rows older than ``keep`` (always keeping the newest); returns how many went."""
    with transaction.atomic():
        _serialise_writers()
        newest = RegisterChange.objects.aggregate(top=Max("id"))["top"]
        cutoff = timezone.now() - keep
        horizon = (
            RegisterChange.objects.filter(created_at__lt=cutoff).exclude(id=newest).aggregate(top=Max("id"))["top"]
        )
        if horizon is None:
            return 0
        deleted, _ = RegisterChange.objects.filter(id__lte=horizon).delete()
        RegisterChange.objects.create(kind=Kind.TRIMMED, object_id=horizon)
    return deleted


def latest_id() -> int:
    return RegisterChange.objects.aggregate(top=Max("id"))["top"] or 0


def changes_after(last_id: int, limit: int) -> list[tuple[int, str, int | None]]:
    """Rows newer than ``last_id``, oldest first, at most ``limit``: (id, kind, object_id).

    Every search asks this first, so it is one fixed statement (the ORM took longer to build the
    query than the database took to answer it); a test compares it with the ORM's reading."""
    with connection.cursor() as cursor:
        cursor.execute(_changes_after_sql(), [last_id, limit])
        return cursor.fetchall()


@functools.cache
def _changes_after_sql() -> str:
    fields = ", ".join(column(RegisterChange, name) for name in ("id", "kind", "object_id"))
    return f"SELECT {fields} FROM {table(RegisterChange)} WHERE {column(RegisterChange, 'id')} > %s ORDER BY 1 LIMIT %s"
