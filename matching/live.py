"""The process's match index: a cache of the register that catches up from the change log.

The database is the truth. Every service that changes what search may show, or how it ranks,
writes a ``profiles.RegisterChange`` row in its own transaction (``profiles.changelog``).
Before answering, ``get_index`` applies every row newer than the last one this process
applied: a listing changed is re-read (or dropped: paused, draft, removed, consent withdrawn),
a quality change re-reads the quality scores, new matching weights are reloaded, and a bulk
change (an import) or a trimmed log rebuilds the index. With nothing new, that costs one
indexed range query, so a search in any worker never reads a register older than the last
change committed before it started.
"""

from __future__ import annotations

import functools
import json
import logging
import threading

from django.conf import settings
from django.db import connection
from django.db.models import JSONField

from profiles import changelog
from profiles.models import Profile, RegisterChange

from .index import MatchIndex
from .quality import quality_for
from .scoring.model import reset_cache
from .scoring.records import candidate_from_profile

logger = logging.getLogger(__name__)
Kind = RegisterChange.Kind
_lock = threading.RLock()
_index: MatchIndex | None = None
_applied = 0  # the id of the last change-log row this process's index reflects
# More changes than this at once are cheaper to take by a rebuild than row by row.
REBUILD_AFTER = 20_000
# Changed rows sit in an unsorted tail that every query scans: past SOFT_TAIL a fresh index is built in
# the background; at TAIL_LIMIT (a backlog the background build has not cleared) the next search rebuilds.
SOFT_TAIL = 2048
CHUNK = 900  # listings re-read in one statement (under SQLite's limit on parameters)
TAIL_LIMIT = 50_000

FIELDS = (
    "id",
    "ref",
    "role",
    "status",
    "user_id",
    "organisation_id",
    "display_name",
    "outcode",
    "latitude",
    "longitude",
    "travel_km",
    "hourly_rate",
    "lived_experience",
    "lived_experience_visibility",
    "sensitive_consent_at",
    "skills",
    "brokerage_functions",
    "interests",
    "languages",
    "availability",
    "about",
)


class _Row:
    """One profile's indexed fields from ``values_list``: what ``candidate_from_profile`` reads, without
    building a model instance per row."""

    __slots__ = FIELDS

    def __init__(self, values):
        for name, value in zip(FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def has_sensitive_consent(self) -> bool:
        return self.sensitive_consent_at is not None  # as Profile.has_sensitive_consent


def indexable():
    """What the index holds: listed supporters (the one definition of "in search")."""
    return Profile.objects.listed().supporters()


JSON_FIELDS = frozenset(
    i for i, name in enumerate(FIELDS) if isinstance(Profile._meta.get_field(name.removesuffix("_id")), JSONField)
)


def _rows(sql: str, params) -> list[_Row]:
    """Rows as the database sends them, on a plain cursor (no per-value ORM converters); JSON text is
    decoded here, each distinct text once (tag lists repeat a lot)."""
    decoded: dict[str, object] = {}

    def value(i, raw):
        if i in JSON_FIELDS and isinstance(raw, str):  # PostgreSQL's driver has decoded JSON already
            found = decoded.get(raw)
            if found is None:
                found = decoded[raw] = json.loads(raw)
            return found
        return raw

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_Row([value(i, raw) for i, raw in enumerate(values)]) for values in cursor.fetchall()]


def _candidates(rows: list[_Row], qualities) -> list:
    return [candidate_from_profile(row, qualities[row.id]) for row in rows]


@functools.cache
def _listed_rows_sql(count: int) -> tuple[str, tuple]:
    """The statement re-reading ``count`` listings by id, built once per count from the ORM's own
    query (so it cannot drift from ``indexable()``); catching up after one change then costs no
    query building. ``count`` is at most the chunk size, so at most that many statements are kept."""
    sql, params = indexable().filter(pk__in=range(count)).values_list(*FIELDS).query.sql_with_params()
    return sql, params[:-count] if count else params


def _listed_rows(profile_ids: list[int]) -> list[_Row]:
    sql, fixed = _listed_rows_sql(len(profile_ids))
    return _rows(sql, (*fixed, *profile_ids))


def load_candidates() -> list:
    sql, params = indexable().values_list(*FIELDS).query.sql_with_params()
    rows = _rows(sql, params)
    return _candidates(rows, quality_for(row.id for row in rows))


def _build() -> tuple[MatchIndex, int]:
    """A new index from the database, and the log id it reflects. The log head is read first: a change
    that commits while the build reads is applied again on the next catch-up (that is harmless)."""
    head = changelog.latest_id()
    reset_cache()  # the rows a rebuild covers may hold a ``model`` change: reload the weights too
    index = MatchIndex(load_candidates(), tail_limit=TAIL_LIMIT)
    logger.info("matching: index built with %s listed supporters (change log at %s)", len(index), head)
    return index, head


def _apply(index: MatchIndex, changes: list[tuple[int, str, int | None]]) -> int:
    """Apply change-log rows to ``index``; returns the last id applied."""
    profiles: dict[int, None] = {}
    qualities: dict[int, None] = {}
    for _, kind, object_id in changes:
        if kind == Kind.PROFILE and object_id is not None:
            profiles[object_id] = None
        elif kind == Kind.QUALITY and object_id is not None:
            qualities[object_id] = None
        elif kind == Kind.MODEL:
            reset_cache()
    _refresh_profiles(index, list(profiles), fresh_quality=set(qualities))
    if qualities:
        index.update_quality(quality_for([pid for pid in qualities if pid not in profiles]))
    return changes[-1][0]


def _refresh_profiles(
    index: MatchIndex, profile_ids: list[int], fresh_quality: frozenset[int] | set[int] = frozenset()
) -> None:
    """Re-read these listings: the ones still in search are replaced, the rest dropped. A listing the
    index holds keeps its quality score (quality changes arrive as rows of their own, ``fresh_quality``);
    only listings new to the index, or with such a row, ask the ratings for theirs."""
    for start in range(0, len(profile_ids), CHUNK):
        chunk = profile_ids[start : start + CHUNK]
        rows = _listed_rows(chunk)
        qualities = index.qualities([row.id for row in rows if row.id not in fresh_quality])
        missing = [row.id for row in rows if row.id not in qualities]
        if missing:
            qualities.update(quality_for(missing))
        found = _candidates(rows, qualities)
        index.remove_many(set(chunk) - {c.profile_id for c in found})
        index.upsert_many(found)


def _needs_rebuild(changes, applied: int) -> bool:
    return any(
        kind == Kind.REBUILD or (kind == Kind.TRIMMED and (object_id or 0) > applied) for _, kind, object_id in changes
    )


def _catch_up_locked() -> None:
    global _index, _applied
    changes = changelog.changes_after(_applied, REBUILD_AFTER + 1) if _index is not None else []
    if _index is None or _index.needs_rebuild or len(changes) > REBUILD_AFTER or _needs_rebuild(changes, _applied):
        _index, _applied = _build()
    elif changes:
        _applied = _apply(_index, changes)
    if _index.n - _index.n_sorted > SOFT_TAIL:
        _start_background_rebuild()


def catch_up() -> None:
    """Apply every committed change newer than the last one applied (one indexed query if none)."""
    if _index is not None and not _index.needs_rebuild and not changelog.changes_after(_applied, 1):
        return
    with _lock:
        _catch_up_locked()


_rebuilding = threading.Event()


def _start_background_rebuild() -> None:
    """Many changes sit in the index's unsorted tail (every query scans it): build a fresh index in a
    thread while this one keeps answering, then catch it up and swap it in."""
    if not getattr(settings, "MATCHING_BACKGROUND_REBUILD", True) or _rebuilding.is_set():
        return
    _rebuilding.set()
    threading.Thread(target=_rebuild_in_background, name="match-index-rebuild", daemon=True).start()


def _rebuild_in_background() -> None:
    global _index, _applied
    try:
        index, applied = _build()
        with _lock:
            changes = changelog.changes_after(applied, REBUILD_AFTER + 1)
            if len(changes) > REBUILD_AFTER or _needs_rebuild(changes, applied):
                return  # too far behind: the current index goes on catching up, and a later search builds again
            if changes:
                applied = _apply(index, changes)
            _index, _applied = index, applied
    except Exception:
        logger.exception("matching: background rebuild failed; the current index goes on answering")
    finally:
        connection.close()
        _rebuilding.clear()


def get_index() -> MatchIndex:
    """The index, caught up with every change committed before this call."""
    catch_up()
    return _index


def applied_id() -> int:
    """The id of the last change-log row this process's index reflects."""
    return _applied


def reset_index() -> None:
    """Forget the index; the next query rebuilds it (tests start each from their own database)."""
    global _index, _applied
    with _lock:
        _index, _applied = None, 0


def compile_kernels() -> None:
    """Compile the scoring kernels (or load them from Numba's cache) on a small made-up register.

    ``./dev setup`` runs this once, so the compiled code is cached before any server starts."""
    from .scoring import features as F
    from .scoring import synthetic

    sample = MatchIndex(synthetic.candidates(50, seed=3, about=True))
    weights = dict.fromkeys(F.FACTORS, 1.0)
    for query in synthetic.queries(2, register_size=50):
        sample.search(query, weights=weights, top=5)


def warm_up() -> MatchIndex:
    """Make a worker ready before it takes traffic: kernels compiled and the index built from the
    database. Server start-up calls it (the ASGI lifespan start, ``marketplace.asgi``)."""
    compile_kernels()
    return get_index()
