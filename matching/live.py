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

import contextlib
import functools
import gc
import itertools
import json
import logging
import operator
import threading

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q

from profiles import changelog
from profiles.models import Profile, RegisterChange
from profiles.vocabulary import PAID_ROLES

from .index import HOT, NO_TRAVEL, MatchIndex, term_counts, term_counts_flat
from .quality import NEUTRAL, quality_for, quality_known
from .scoring.features import mask_words, slot_mask, words
from .scoring.model import reset_cache
from .scoring.records import ROLE_CODES, TAG_FIELDS, TOKENS, VISIBILITY_CODES, pence

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
FEW = 64  # up to this many changed listings are re-read by id; more through the change log
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


def indexable():
    """What the index holds: listed supporters (the one definition of "in search")."""
    return Profile.objects.listed().supporters()


AT = {name: i for i, name in enumerate(FIELDS)}


def _selected() -> list:
    """``FIELDS`` as the index reads them: for consent only whether it stands (a boolean the database
    works out), so no timestamp is parsed per row."""
    consent = ExpressionWrapper(Q(sensitive_consent_at__isnull=False), output_field=BooleanField())
    return [consent if name == "sensitive_consent_at" else name for name in FIELDS]


def _distinct(values) -> tuple[list, np.ndarray]:
    """The distinct values in the order first seen, and each row's position among them (C loops only)."""
    positions = dict.fromkeys(values)
    keys = list(positions)
    for i, key in enumerate(keys):
        positions[key] = i
    return keys, np.fromiter(map(positions.__getitem__, values), np.int64, len(values))


def _json_column(raws) -> list:
    """A column of JSON texts decoded in one parse of the whole column (one C call, not one per row). A
    driver that decodes JSON itself has done the work already."""
    try:
        joined = ",".join(raws)
    except TypeError:
        return [json.loads(raw) if isinstance(raw, str) else raw for raw in raws]
    values = json.loads(f"[{joined}]")
    if len(values) != len(raws):  # cannot happen for one JSON value per row; never guess
        return [json.loads(raw) for raw in raws]
    return values


def _iterated(value) -> list:
    """What ``TagBits.keep`` iterates over for a stored value (the value itself, as a rule a list)."""
    return value if value.__class__ is list else list(value or ())


def _tag_masks(name: str, lists: list[list]) -> np.ndarray:
    """Each row's tags as its mask words, as ``make_candidate`` makes them (``TagBits.keep`` then
    ``mask``: string tags only, vocabulary tags by their bit, free tags hashed). The bit of each distinct
    tag is found once, in the order first seen; the rows' bits are combined in NumPy."""
    table, words = TAG_FIELDS[name], HOT[name][1]
    n = len(lists)
    lengths = np.fromiter(map(len, lists), np.int64, n)
    flat = list(itertools.chain.from_iterable(lists))
    try:
        bit_of = dict.fromkeys(flat)
    except TypeError:  # a tag that is itself a list or an object (never counted): row by row
        return _words_of([table.mask(table.keep(tags)) for tags in lists], words)
    for tag in bit_of:
        bit_of[tag] = table.assign(tag) if isinstance(tag, str) else -1
    bit = np.fromiter(map(bit_of.__getitem__, flat), np.int64, len(flat))
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    keep = bit >= 0
    out = np.zeros((n, words), np.uint64)
    np.bitwise_or.at(
        out, (owner[keep], bit[keep] // 64), np.left_shift(np.uint64(1), (bit[keep] % 64).astype(np.uint64))
    )
    return out if words > 1 else out[:, 0]


def _availability(values: list) -> np.ndarray:
    """Each row's weekly hours as mask words (``slot_mask``), each distinct slot parsed once."""
    words = HOT["avail"][1]
    n = len(values)
    if any(value.__class__ is not list for value in values):  # as make_candidate: only a list is slots
        return _words_of([slot_mask(v) if isinstance(v, (list, tuple)) else v for v in values], words)
    flat = list(itertools.chain.from_iterable(values))
    try:
        keys, at = _distinct(flat)
    except TypeError:  # a slot that is a list or an object (never counted): row by row
        return _words_of([slot_mask(v) for v in values], words)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.fromiter(map(len, values), np.int64, n))
    out = np.zeros((n, words), np.uint64)
    np.bitwise_or.at(out, owner, _words_of([slot_mask([key]) for key in keys], words)[at])
    return out


SENTINEL = "\u01c6\u01c6"  # "ǆǆ": a word of two letters, put between rows' texts to mark where each ends
# Plain ASCII text splits into the tokenizer's words (maximal runs of [a-z0-9_]) by mapping every other
# character to a space and splitting: C passes instead of the regular expression. NUL marks a text's end.
_ASCII_WORDS = str.maketrans({chr(c): " " for c in range(1, 128) if not (chr(c).isalnum() or chr(c) == "_")})


def _split_words(texts: list[str]) -> tuple[list[str], str]:
    """Every word of these texts as ``features.words`` finds them (before stop words are taken out, or
    after), each text's words followed by a marker: ``([*words(t0), marker, *words(t1), marker, ...],
    marker)``. One call for the whole column; plain ASCII without the regular expression."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        raise ValueError("a text holds a NUL")
    lowered = joined.lower() + "\x00"
    if lowered.isascii():
        return lowered.translate(_ASCII_WORDS).replace("\x00", " \x00 ").split(), "\x00"
    if SENTINEL in lowered:
        raise ValueError("a text holds the marker word")
    return words(lowered.replace("\x00", f" {SENTINEL} ")), SENTINEL


def _terms(abouts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's words as ``term_counts`` of ``TOKENS.encode(about)``, for the whole column at once: its
    words found in one pass (``_split_words``), each distinct word looked up once (``features.words`` says
    whether it counts: stop words and single letters do not), new words given ids in the order first seen
    as encoding row by row does."""
    n = len(abouts)
    if not n:
        return term_counts([])
    try:
        found, marker = _split_words([about or "" for about in abouts])
    except ValueError:  # never guess: row by row
        return term_counts([TOKENS.encode(about or "") for about in abouts])
    kept = {word: None for word in dict.fromkeys(found) if word != marker and words(word) == [word]}
    new = [word for word in kept if word not in TOKENS.ids]
    if new:
        TOKENS.encode(" ".join(new))
    for word in kept:
        kept[word] = TOKENS.ids[word]
    kept[marker] = -1
    ids = np.fromiter(map(kept.get, found, itertools.repeat(-2)), np.int64, len(found))
    ends = ids == -1
    owner = np.cumsum(ends) - ends  # a text's words, then its end marker, belong to that text
    counted = ids >= 0
    return term_counts_flat(owner[counted], ids[counted], n)


def _rate(key) -> int:
    role, amount = key
    return pence(amount) if role in PAID_ROLES and amount is not None else -1


def columns_from_rows(rows: list[tuple], qualities) -> dict:
    """Rows of ``FIELDS`` as the database sends them, as the index's column data: the same values
    ``columns_from_candidates([candidate_from_profile(...)])`` gives (a test checks it), worked out
    with C loops over columns and once per distinct value instead of one record per row."""
    n = len(rows)
    cols = list(zip(*rows, strict=True)) if n else [()] * len(FIELDS)
    get = {name: cols[i] for name, i in AT.items()}
    pids = np.fromiter(get["id"], np.int64, n)
    out: dict = {"pid": pids}
    out["lat"] = np.fromiter(get["latitude"], np.float64, n).astype(np.float32)
    out["lon"] = np.fromiter(get["longitude"], np.float64, n).astype(np.float32)
    travel = np.fromiter((NO_TRAVEL if t is None else t for t in get["travel_km"]), np.int64, n)
    out["travel"] = np.where(travel == NO_TRAVEL, NO_TRAVEL, np.minimum(travel, 254)).astype(np.uint8)
    keys, at = _distinct(list(zip(get["role"], get["hourly_rate"], strict=True)))
    out["rate"] = np.fromiter(map(_rate, keys), np.int32, len(keys))[at]
    out["role"] = np.fromiter(map(ROLE_CODES.get, get["role"], itertools.repeat(255)), np.uint8, n)
    out["vis"] = np.fromiter(
        map(VISIBILITY_CODES.get, get["lived_experience_visibility"], itertools.repeat(2)), np.uint8, n
    )
    scores = list(map(qualities.get, get["id"], itertools.repeat(NEUTRAL)))  # unrated: neutral
    out["qscore"] = np.fromiter((s for s, _ in scores), np.float64, n).astype(np.float32)
    out["qcount"] = np.minimum(np.fromiter((c for _, c in scores), np.int64, n), 65535).astype(np.uint16)
    out["user"] = np.fromiter((u or 0 for u in get["user_id"]), np.int32, n)
    out["org"] = np.fromiter((o or 0 for o in get["organisation_id"]), np.int32, n)
    # Lived experience only while consent stands (as ``candidate_from_profile``).
    lived = [
        raw if consent is not None else "[]"
        for raw, consent in zip(get["lived_experience"], get["sensitive_consent_at"], strict=True)
    ]
    out["lived"] = _tag_masks("lived", list(map(_iterated, _json_column(lived))))
    skills = map(_iterated, _json_column(get["skills"]))
    brokerage = map(_iterated, _json_column(get["brokerage_functions"]))
    out["skills"] = _tag_masks("skills", list(map(operator.add, skills, brokerage)))
    for name in ("interests", "languages"):
        out[name] = _tag_masks(name, list(map(_iterated, _json_column(get[name]))))
    out["avail"] = _availability(_json_column(get["availability"]))
    for name, field in (("ref", "ref"), ("name", "display_name"), ("outcode", "outcode")):
        out[name] = list(get[field])
    out["terms"] = _terms(list(get["about"]))
    return out


def _words_of(values: list[int], words: int) -> np.ndarray:
    out = np.array([mask_words(value, words) for value in values], np.uint64)
    return out.reshape(len(values), words)


def _read(sql: str, params) -> list[tuple]:
    """Rows as the database sends them, on a plain cursor (no per-value ORM converters)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def _listed_rows_sql(count: int) -> tuple[str, tuple]:
    """The statement re-reading ``count`` listings by id, built once per count from the ORM's own
    query (so it cannot drift from ``indexable()``); catching up after one change then costs no
    query building. ``count`` is at most ``FEW``, so at most that many statements are kept."""
    sql, params = indexable().filter(pk__in=range(count)).values_list(*_selected()).query.sql_with_params()
    return sql, params[:-count] if count else params


@functools.cache
def _changed_rows_sql() -> tuple[str, tuple]:
    """The statement reading every listing with a ``profile`` row in a range of the change log (two
    parameters at the end: after, up to), however many changed: one statement, no list of ids."""
    changed = RegisterChange.objects.filter(id__gt=-1, id__lte=-2, kind=Kind.PROFILE).values("object_id")
    sql, params = indexable().filter(pk__in=changed).values_list(*_selected()).query.sql_with_params()
    assert params[-3:] == (-1, -2, Kind.PROFILE), params  # the range's two bounds, then the kind
    return sql, params[:-3]


def _changed_rows(profile_ids: list[int], after: int, upto: int) -> list[tuple]:
    """The listed rows among these profiles (those with ``profile`` rows in the log after ``after`` up to
    ``upto``): by their ids when they are few, else through the log itself."""
    if len(profile_ids) <= FEW:
        sql, fixed = _listed_rows_sql(len(profile_ids))
        return _read(sql, (*fixed, *profile_ids))
    sql, fixed = _changed_rows_sql()
    return _read(sql, (*fixed, after, upto, Kind.PROFILE.value))


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while a build or a big catch-up makes millions of short-lived,
    acyclic objects (rows, words): it would walk them again and again (a third of a build's time)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load_columns() -> dict:
    """Every listed supporter as the index's column data, read straight from the database."""
    sql, params = indexable().values_list(*_selected()).query.sql_with_params()
    with _collector_paused():
        rows = _read(sql, params)
        known = quality_known()
        if known is None:
            known = quality_for(row[0] for row in rows)
        return columns_from_rows(rows, known)


def _build() -> tuple[MatchIndex, int]:
    """A new index from the database, and the log id it reflects. The log head is read first: a change
    that commits while the build reads is applied again on the next catch-up (that is harmless)."""
    head = changelog.latest_id()
    reset_cache()  # the rows a rebuild covers may hold a ``model`` change: reload the weights too
    index = MatchIndex.from_columns(load_columns(), tail_limit=TAIL_LIMIT)
    logger.info("matching: index built with %s listed supporters (change log at %s)", len(index), head)
    return index, head


def _apply(index: MatchIndex, changes: list[tuple[int, str, int | None]], after: int) -> int:
    """Apply change-log rows (those after id ``after``) to ``index``; returns the last id applied."""
    profiles: dict[int, None] = {}
    qualities: dict[int, None] = {}
    for _, kind, object_id in changes:
        if kind == Kind.PROFILE and object_id is not None:
            profiles[object_id] = None
        elif kind == Kind.QUALITY and object_id is not None:
            qualities[object_id] = None
        elif kind == Kind.MODEL:
            reset_cache()
    last = changes[-1][0]
    if profiles:
        with _collector_paused():
            rows = _changed_rows(list(profiles), after, last)
            _refresh_profiles(index, list(profiles), rows, set(qualities))
    if qualities:
        index.update_quality(quality_for([pid for pid in qualities if pid not in profiles]))
    return last


def _refresh_profiles(index: MatchIndex, profile_ids: list[int], rows: list[tuple], fresh_quality: set[int]) -> None:
    """Replace these listings by their rows re-read from the database (``rows``: those still in search);
    the rest are dropped. A listing the index holds keeps its quality score (quality changes arrive as
    rows of their own, ``fresh_quality``); only listings new to the index, or with such a row, ask the
    ratings for theirs."""
    found = [row[0] for row in rows]
    qualities = index.qualities([pid for pid in found if pid not in fresh_quality])
    missing = [pid for pid in found if pid not in qualities]
    if missing:
        qualities.update(quality_for(missing))
    index.remove_many(profile_ids)
    index.upsert_columns(columns_from_rows(rows, qualities))


def _needs_rebuild(changes, applied: int) -> bool:
    return any(
        kind == Kind.REBUILD or (kind == Kind.TRIMMED and (object_id or 0) > applied) for _, kind, object_id in changes
    )


def _catch_up_locked(changes: list | None = None) -> None:
    """``changes``: the rows after ``_applied`` already read (None: read them here)."""
    global _index, _applied
    if changes is None:
        changes = changelog.changes_after(_applied, REBUILD_AFTER + 1) if _index is not None else []
    if _index is None or _index.needs_rebuild or len(changes) > REBUILD_AFTER or _needs_rebuild(changes, _applied):
        _index, _applied = _build()
    elif changes:
        _applied = _apply(_index, changes, _applied)
    if _index.n - _index.n_sorted > SOFT_TAIL:
        _start_background_rebuild()


def catch_up() -> None:
    """Apply every committed change newer than the last one applied (one indexed query if none)."""
    index, applied = _index, _applied
    changes = None
    if index is not None and not index.needs_rebuild:
        changes = changelog.changes_after(applied, REBUILD_AFTER + 1)
        if not changes:
            return
    with _lock:
        # Another thread may have caught up meanwhile: then read again from where it stopped.
        _catch_up_locked(changes if _index is index and _applied == applied else None)


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
                applied = _apply(index, changes, applied)
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
