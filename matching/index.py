"""The in-memory match index: listed supporters as column arrays, rows sorted by a ~10 km grid.

A query reads only the grid cells within reach (contiguous slices of the sorted rows). A compiled
loop (``kernels.score_rows``) applies the hard filters to those rows and scores the survivors in
one pass; a second pass over the few that can still make the top computes each factor for the
explanations, and the free-text similarity only for them. It must give the same top results as
``tests.matching.reference`` (tests check this on randomised registers).

Changes arrive one profile at a time (``upsert``/``remove``): the old row is switched off and
the new one appended to a small unsorted tail that every query also scans. Word rarity for the
free text is fixed at build time; the next rebuild refreshes it.
"""

from __future__ import annotations

import itertools
import math
import threading
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import attrgetter, itemgetter

import numpy as np

from . import kernels
from .scoring import features as F
from .scoring.pairwise import Scored
from .scoring.records import (
    ROLE_CODES,
    SUPPORTER_ROLES,
    TAG_FIELDS,
    TOKENS,
    VISIBILITY_CODES,
    Candidate,
    MatchQuery,
)

CELL_LAT, CELL_LON = 0.045, 0.075  # about 5 km each way across the UK
GRID_Y, GRID_X = 4001, 4801  # cells per column and per row of the whole globe
# Rows are also grouped by how far the supporter travels (upper bound of each group, km), so a
# query reaches far only for the few who travel far. The last group is "no distance set".
TRAVEL_GROUPS = np.array([5, 10, 15, 20, 25, 30, 40, 60, 100, 254], np.float64)
NO_TRAVEL = 255
M64 = (1 << 64) - 1
VISIBILITY_NAMES = {code: name for name, code in VISIBILITY_CODES.items()}
HOT = {  # column -> (dtype, words); the arrays every query touches
    "x": (np.float64, 1),
    "y": (np.float64, 1),
    "z": (np.float64, 1),
    "travel": (np.uint8, 1),
    "rate": (np.int32, 1),
    "role": (np.uint8, 1),
    "active": (np.bool_, 1),
    "vis": (np.uint8, 1),
    "lived": (np.uint64, 1),
    "skills": (np.uint64, 1),
    "languages": (np.uint64, 1),
    "interests": (np.uint64, 2),
    "avail": (np.uint64, 3),
    "qscore": (np.float32, 1),
    "qcount": (np.uint16, 1),
    "user": (np.int32, 1),
    "org": (np.int32, 1),
}
COLD = ("lat", "lon", "pid")  # read only to build, or for the few rows a query returns
# The kernel's output columns (``kernels.N_COLUMNS``), by name.
KERNEL_COLUMNS = (*F.FACTORS, "interests_tags")
MASK_FIELDS = ("lived", "skills", "interests", "languages")
TEXT_FIELDS = ("ref", "name", "outcode")


def grid_keys(lat, lon, travel) -> np.ndarray:
    """Each row's (travel group, grid cell) as one sortable integer."""
    cy = np.floor((np.asarray(lat, np.float64) + 90.0) / CELL_LAT).astype(np.int64)
    cx = np.floor((np.asarray(lon, np.float64) + 180.0) / CELL_LON).astype(np.int64)
    group = np.searchsorted(TRAVEL_GROUPS, np.asarray(travel, np.float64), "left")
    return (group * GRID_Y + cy) * GRID_X + cx


def _words(values, words: int) -> np.ndarray:
    """Python integers of up to 64 * words bits as rows of uint64 words (little-endian)."""
    raw = b"".join(v.to_bytes(8 * words, "little") for v in values)
    out = np.frombuffer(raw, dtype="<u8").astype(np.uint64).reshape(len(values), words)
    return out if words > 1 else out[:, 0]


def columns_from_candidates(cands: list[Candidate]) -> dict:
    """Records as the column data the index is built from (the slow, per-record part of a build)."""
    n = len(cands)

    def col(get, dtype):
        return np.fromiter(map(get, cands), dtype, n)

    masks = [c.masks for c in cands]
    cols = {
        "lat": col(attrgetter("lat"), np.float32),
        "lon": col(attrgetter("lon"), np.float32),
        "travel": col(lambda c: NO_TRAVEL if c.travel_km is None else min(c.travel_km, 254), np.uint8),
        "rate": col(lambda c: -1 if c.rate_pence is None else c.rate_pence, np.int32),
        "role": col(lambda c: ROLE_CODES.get(c.role, 255), np.uint8),
        "vis": col(lambda c: VISIBILITY_CODES.get(c.lived_visibility, 2), np.uint8),
        "qscore": col(attrgetter("quality_score"), np.float32),
        "qcount": col(lambda c: min(c.quality_count, 65535), np.uint16),
        "user": col(attrgetter("user_id"), np.int32),
        "org": col(attrgetter("organisation_id"), np.int32),
        "pid": col(attrgetter("profile_id"), np.int64),
        "avail": _words([c.availability for c in cands], 3),
        "ref": list(map(attrgetter("ref"), cands)),
        "name": list(map(attrgetter("display_name"), cands)),
        "outcode": list(map(attrgetter("outcode"), cands)),
    }
    for i, name in enumerate(MASK_FIELDS):
        words = HOT[name][1]
        cols[name] = (
            np.fromiter(map(itemgetter(i), masks), np.uint64, n) if words == 1 else _words([m[i] for m in masks], words)
        )
    cols["terms"] = term_counts([c.tokens for c in cands])
    return cols


def term_counts(token_lists) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row, each distinct word id and how often it occurs: (indptr, ids, counts), rows in order."""
    lengths = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
    flat = np.fromiter(itertools.chain.from_iterable(token_lists), np.int64, int(lengths.sum()))
    owner = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    return term_counts_flat(owner, flat, len(token_lists))


def term_counts_flat(owner: np.ndarray, flat: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``term_counts`` from every word id in the rows and the row each belongs to (``owner``, rising)."""
    width = int(flat.max(initial=0)) + 1
    keys, counts = np.unique(owner * width + flat, return_counts=True)
    rows, ids = np.divmod(keys, width)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, ids.astype(np.int32), counts.astype(np.float64)


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of arange(start, end) for each pair, without a Python loop."""
    lengths = ends - starts
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    if not len(lengths):
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(int(lengths.sum()), dtype=np.int64) + offsets


@lru_cache(maxsize=4096)
def _cell_spans(lat: float, lon: float, reach_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell rows, first and last cells of every grid row that comes within ``reach_km``.

    Conservative on a sphere: a row counts from its latitude nearest the point, and its span of
    longitudes is widened for its latitude farthest from the equator. A 1% margin over-covers.
    """
    ang = reach_km * 1.01 / F.EARTH_RADIUS_KM + 1e-9
    room_all = math.sin(ang / 2) ** 2
    cos_q = math.cos(math.radians(lat))
    dlat = math.degrees(ang)
    spans = []
    for cy in range(
        max(0, math.floor((lat - dlat + 90.0) / CELL_LAT)),
        min(GRID_Y - 1, math.floor((lat + dlat + 90.0) / CELL_LAT)) + 1,
    ):
        lat0 = max(-90.0, cy * CELL_LAT - 90.0)
        lat1 = min(90.0, lat0 + CELL_LAT)
        gap = math.radians(max(0.0, lat0 - lat, lat - lat1))
        room = room_all - math.sin(gap / 2) ** 2
        if room < 0:
            continue
        widest = cos_q * min(math.cos(math.radians(lat0)), math.cos(math.radians(lat1)))
        ratio = room / widest if widest > 1e-12 else 2.0
        dlon = math.degrees(2 * math.asin(math.sqrt(ratio))) if ratio < 1 else 360.0
        if ratio >= 1 or lon - dlon < -180.0 or lon + dlon > 180.0:
            spans.append((cy, 0, GRID_X - 1))
        else:
            spans.append((cy, math.floor((lon - dlon + 180.0) / CELL_LON), math.floor((lon + dlon + 180.0) / CELL_LON)))
    if spans:
        ys, x0s, x1s = (np.array(part, np.int64) for part in zip(*spans, strict=True))
    else:
        ys = x0s = x1s = np.zeros(0, np.int64)
    for array in (ys, x0s, x1s):
        array.flags.writeable = False  # cached: shared by every query from this point
    return ys, x0s, x1s


@lru_cache(maxsize=64)
def _limit_table(max_km) -> np.ndarray:
    """Each travel code's distance limit (km) for a query: the nearer of the two people's limits.

    The same numbers the reference scorer's ``limit_km`` gives; 255 means the supporter set none.
    """
    fallback = float(max_km) if max_km is not None else F.DEFAULT_RADIUS_KM
    table = np.arange(256, dtype=np.float64)
    table[NO_TRAVEL] = fallback
    if max_km is not None:
        table = np.minimum(table, fallback)
    table.flags.writeable = False
    return table


@lru_cache(maxsize=64)
def _half_chord_squared_table(max_km) -> np.ndarray:
    """``_limit_table`` as squared half-chords, a hair wide so rounding never drops a row at the edge."""
    table = np.sin(_limit_table(max_km) / (2 * F.EARTH_RADIUS_KM)) ** 2 * (1 + 1e-9) + 1e-18
    table.flags.writeable = False
    return table


def _lived_df(lived: np.ndarray) -> np.ndarray:
    bits = np.unpackbits(lived.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    return bits.sum(axis=0, dtype=np.int64)


class MatchIndex:
    def __init__(self, candidates=(), *, tail_limit: int = 2048, columns: dict | None = None):
        self.tail_limit = tail_limit
        self.lock = threading.RLock()
        self._build(columns if columns is not None else columns_from_candidates(list(candidates)))

    @classmethod
    def from_columns(cls, columns: dict, *, tail_limit: int = 2048) -> MatchIndex:
        """Build from column data (``columns_from_candidates`` or read straight from the database)."""
        return cls(tail_limit=tail_limit, columns=columns)

    # Building ---------------------------------------------------------------------------

    def _build(self, cols: dict) -> None:
        keys = grid_keys(cols["lat"], cols["lon"], cols["travel"])
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        self.n = self.n_sorted = n = len(order)
        cap = n + self.tail_limit
        self.col = {"active": np.zeros(cap, np.bool_)}
        self.col["active"][:n] = True
        for name in (*HOT, *COLD):
            if name in cols:
                array = np.asarray(cols[name])
                self.col[name] = np.zeros((cap, *array.shape[1:]), array.dtype)
                np.take(array, order, axis=0, out=self.col[name][:n])
        for name, values in zip("xyz", F.unit_vectors(self.col["lat"][:n], self.col["lon"][:n]), strict=True):
            self.col[name] = np.zeros(cap, np.float64)
            self.col[name][:n] = values
        firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if n else np.zeros(0, np.int64)
        self.cell_keys = keys[firsts]
        self.cell_starts = np.append(firsts, n).astype(np.int64)
        self.groups = sorted(set((self.cell_keys // (GRID_Y * GRID_X)).tolist()))
        # Text and profile ids stay in the order they came, reached through ``order``: putting
        # half a million strings in row order, or in a dict, took half of a build.
        self.order = order
        self.text = {name: list(cols[name]) for name in TEXT_FIELDS}
        self.tail_text: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
        self.pid_order = np.argsort(self.col["pid"][:n], kind="stable")
        self.pids_sorted = self.col["pid"][:n][self.pid_order]
        self.tail_row_of: dict[int, int] = {}
        self._spans: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        travel = self.col["travel"][:n]
        self.max_travel = float(travel[travel != NO_TRAVEL].max(initial=0))
        self.lived_df = _lived_df(self.col["lived"][:n])
        self.n_active = n
        indptr, ids, counts = cols["terms"]
        self._build_text(indptr, ids, counts, order)

    def _build_text(self, indptr, ids, counts, order) -> None:
        n_terms = max(len(TOKENS.ids), int(ids.max(initial=-1)) + 1)
        df = np.bincount(ids, minlength=n_terms)
        self.token_idf = F.idf(df, self.n)
        self.unseen_idf = float(F.idf(0, self.n))
        starts, ends = indptr[order], indptr[order + 1]
        flat = ranges(starts, ends)
        self.text_ids = ids[flat]
        self.text_weights = counts[flat] * self.token_idf[self.text_ids]
        self.text_indptr = np.zeros(self.n + 1, np.int64)
        np.cumsum(ends - starts, out=self.text_indptr[1:])
        owner = np.repeat(np.arange(self.n), ends - starts)
        self.text_norm = np.sqrt(np.bincount(owner, self.text_weights**2, minlength=self.n))
        self.text_extra: dict[int, tuple[np.ndarray, np.ndarray, float]] = {}

    def _idf_of(self, tokens) -> np.ndarray:
        """Word rarity as of the last build; words first seen since then count as unseen (rarest)."""
        ids = np.asarray(tokens, np.int64)
        known = ids < len(self.token_idf)
        out = np.full(len(ids), self.unseen_idf)
        out[known] = self.token_idf[ids[known]]
        return out

    # Changes ------------------------------------------------------------------------------

    @property
    def needs_rebuild(self) -> bool:
        return self.n - self.n_sorted >= self.tail_limit

    def row_for(self, profile_id: int) -> int | None:
        """The listed row of a profile, or None."""
        row = self.tail_row_of.get(profile_id)
        if row is None:
            at = int(np.searchsorted(self.pids_sorted, profile_id))
            if at < len(self.pids_sorted) and self.pids_sorted[at] == profile_id:
                row = int(self.pid_order[at])
        return row if row is not None and self.col["active"][row] else None

    def text_at(self, name: str, row: int) -> str:
        """A row's ``ref``, ``name`` or ``outcode``."""
        if row < self.n_sorted:
            return self.text[name][self.order[row]]
        return self.tail_text[name][row - self.n_sorted]

    def remove(self, profile_id: int) -> None:
        self.remove_many([profile_id])

    def remove_many(self, profile_ids) -> None:
        """``remove`` for many profiles at once."""
        with self.lock:
            ids = np.asarray(list(profile_ids), np.int64)
            at = np.searchsorted(self.pids_sorted, ids)
            found = at < len(self.pids_sorted)
            found[found] = self.pids_sorted[at[found]] == ids[found]
            row_list = [int(r) for r in self.pid_order[at[found]]]
            row_list += [self.tail_row_of.pop(int(pid)) for pid in ids.tolist() if int(pid) in self.tail_row_of]
            rows = np.asarray(row_list, np.int64)
            rows = rows[self.col["active"][rows]] if len(rows) else rows
            if not len(rows):
                return
            self.col["active"][rows] = False
            self.n_active -= len(rows)
            self.lived_df -= _lived_df(self.col["lived"][rows])

    def upsert(self, cand: Candidate) -> None:
        self.upsert_many([cand])

    def upsert_many(self, cands: list[Candidate]) -> None:
        """``upsert`` for many records at once."""
        if cands:
            self.upsert_columns(columns_from_candidates(cands))

    def upsert_columns(self, cols: dict) -> None:
        """Add or replace rows given as column data (``columns_from_candidates``, or read straight from
        the database): the old rows are switched off and the new ones appended to the tail together."""
        count = len(cols["pid"])
        if not count:
            return
        with self.lock:
            pids = cols["pid"].tolist()
            self.remove_many(pids)
            while self.n + count > len(self.col["active"]):
                self._grow()
            rows = np.arange(self.n, self.n + count)
            for name in (*HOT, *COLD):
                if name in cols:
                    self.col[name][rows] = cols[name]
            for name, values in zip("xyz", F.unit_vectors(cols["lat"], cols["lon"]), strict=True):
                self.col[name][rows] = values
            self.col["active"][rows] = True
            for name in TEXT_FIELDS:
                self.tail_text[name].extend(cols[name])
            self.tail_row_of.update(zip(pids, rows.tolist(), strict=True))
            travel = cols["travel"][cols["travel"] != NO_TRAVEL]
            self.max_travel = max(self.max_travel, float(travel.max(initial=0)))
            self.n += count
            self.n_active += count
            self.lived_df += _lived_df(cols["lived"])
            self._add_texts(rows, *cols["terms"])

    def _add_texts(self, rows: np.ndarray, indptr: np.ndarray, ids: np.ndarray, counts: np.ndarray) -> None:
        """Tail rows' words (each row's distinct word ids and counts, ``term_counts``), weighted by the
        rarity as of the last build."""
        lengths = np.diff(indptr)
        weights = counts * self._idf_of(ids)
        norms = np.sqrt(np.bincount(np.repeat(np.arange(len(rows)), lengths), weights**2, minlength=len(rows)))
        for row, start, end, norm in zip(
            rows.tolist(), indptr[:-1].tolist(), indptr[1:].tolist(), norms.tolist(), strict=True
        ):
            if end > start:
                self.text_extra[row] = (ids[start:end].astype(np.int64), weights[start:end], norm)

    def _grow(self) -> None:
        for name, array in self.col.items():
            extra = np.zeros((max(len(array), 1024), *array.shape[1:]), array.dtype)
            self.col[name] = np.concatenate([array, extra])

    def rows_for(self, profile_ids: list[int]) -> np.ndarray:
        """``row_for`` for many profiles at once: each one's listed row, or -1."""
        ids = np.asarray(profile_ids, np.int64)
        rows = np.full(len(ids), -1, np.int64)
        if len(self.pids_sorted):
            at = np.minimum(np.searchsorted(self.pids_sorted, ids), len(self.pids_sorted) - 1)
            found = self.pids_sorted[at] == ids
            rows[found] = self.pid_order[at[found]]
        if self.tail_row_of:
            for i, pid in enumerate(profile_ids):
                tail = self.tail_row_of.get(pid)
                if tail is not None:
                    rows[i] = tail
        listed = rows >= 0
        listed[listed] = self.col["active"][rows[listed]]
        return np.where(listed, rows, -1)

    def qualities(self, profile_ids) -> dict[int, tuple[float, int]]:
        """The quality (score, count) the index holds for those of ``profile_ids`` it lists."""
        ids = list(profile_ids)
        rows = self.rows_for(ids)
        listed = rows >= 0
        scores = self.col["qscore"][rows[listed]].tolist()
        counts = self.col["qcount"][rows[listed]].tolist()
        chosen = [pid for pid, keep in zip(ids, listed.tolist(), strict=True) if keep]
        return dict(zip(chosen, zip(scores, counts, strict=True), strict=True))

    def update_quality(self, qualities: dict[int, tuple[float, int]]) -> None:
        with self.lock:
            for pid, (score, count) in qualities.items():
                row = self.row_for(pid)
                if row is not None:
                    self.col["qscore"][row], self.col["qcount"][row] = score, min(count, 65535)

    # Measuring ----------------------------------------------------------------------------

    def hot_bytes_per_profile(self) -> float:
        """The arrays a query reads, per row: the columns and the cell table."""
        arrays = [self.col[name][: self.n] for name in HOT] + [self.cell_keys, self.cell_starts]
        return sum(a.nbytes for a in arrays) / max(self.n, 1)

    def text_bytes_per_profile(self) -> float:
        """The free-text arrays, read only for the shortlist that could still reach the top."""
        arrays = (self.text_ids, self.text_weights, self.text_indptr, self.text_norm, self.token_idf)
        return sum(a.nbytes for a in arrays) / max(self.n, 1)

    def __len__(self) -> int:
        return self.n_active

    # Querying -----------------------------------------------------------------------------

    def _group_reach(self, q: MatchQuery) -> dict[float, list[int]]:
        """Travel groups present, by the farthest anyone in them could be and still pass (km)."""
        by_reach: dict[float, list[int]] = {}
        for group in self.groups:
            reach = float(TRAVEL_GROUPS[group]) if group < len(TRAVEL_GROUPS) else F.DEFAULT_RADIUS_KM
            if q.max_km is not None:
                reach = float(q.max_km) if group == len(TRAVEL_GROUPS) else min(reach, float(q.max_km))
            by_reach.setdefault(reach, []).append(group)
        return by_reach

    def _spans_in_reach(self, q: MatchQuery) -> tuple[np.ndarray, np.ndarray]:
        """Row ranges [low, high) of the grid cells any part of which is within reach, per travel
        group, in row order; the unsorted tail of recent changes is the last range.

        The sorted part's ranges are kept per query point and distance: seekers' points are
        postcode-district centres, so the same few thousand come back; a rebuild starts afresh.
        """
        key = (q.lat, q.lon, q.max_km)
        spans = self._spans.get(key)
        if spans is None:
            spans = self._sorted_spans(q)
            if len(self._spans) >= 4096:
                self._spans.clear()
            self._spans[key] = spans
        lo, hi = spans
        return np.append(lo, self.n_sorted), np.append(hi, self.n)

    def _sorted_spans(self, q: MatchQuery) -> tuple[np.ndarray, np.ndarray]:
        low_parts, high_parts = [], []
        for reach, groups in self._group_reach(q).items():
            cy, cx0, cx1 = _cell_spans(q.lat, q.lon, reach)
            base = (np.array(groups, np.int64)[:, None] * GRID_Y + cy) * GRID_X
            low_parts.append(base + cx0)
            high_parts.append(base + cx1)
        if not low_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        lows, highs = np.concatenate(low_parts, axis=None), np.concatenate(high_parts, axis=None)
        order = np.argsort(lows)
        lo = self.cell_starts[np.searchsorted(self.cell_keys, lows[order], "left")]
        hi = self.cell_starts[np.searchsorted(self.cell_keys, highs[order], "right")]
        return lo, hi

    def _rows_in_reach(self, q: MatchQuery) -> np.ndarray:
        return ranges(*self._spans_in_reach(q))

    def _query_mask(self, name: str, tags) -> tuple[np.ndarray | np.uint64, bool]:
        """The query's tags as mask words, and whether any tag is one nobody has."""
        bits = TAG_FIELDS[name]
        value = bits.mask(tags)
        unknown = any(t not in bits.bits for t in tags)
        words = HOT[name][1]
        return (np.array(F.mask_words(value, words), np.uint64) if words > 1 else np.uint64(value)), unknown

    def _kernel_query(self, q: MatchQuery, weights: dict[str, float]) -> tuple | None:
        """The query as the plain values ``kernels.score_rows`` takes (None: nobody can pass)."""
        skills, unknown_skill = self._query_mask("skills", q.skills)
        if "skills" in q.must and q.skills and unknown_skill:  # nobody offers a skill no one has
            return None
        lived_bits = [TAG_FIELDS["lived"].bits.get(tag) for tag in q.lived]
        lived_idf = [float(F.idf(self.lived_df[bit] if bit is not None else 0, self.n_active)) for bit in lived_bits]
        lived_total = 0.0
        for tag_idf in lived_idf:
            lived_total = lived_total + tag_idf
        known = [(1 << bit, tag_idf) for bit, tag_idf in zip(lived_bits, lived_idf, strict=True) if bit is not None]
        return (
            sum(1 << ROLE_CODES[r] for r in q.roles if r in ROLE_CODES),
            -1 if q.max_rate_pence is None else int(q.max_rate_pence),
            np.array(F.unit_vectors(q.lat, q.lon), np.float64),
            _half_chord_squared_table(q.max_km),
            _limit_table(q.max_km),
            _sorted_ids(u for u in q.excluded_user_ids if u),
            int(q.viewer_id or 0),
            _sorted_ids(q.viewer_connection_ids),
            _sorted_ids(q.viewer_coordinator_org_ids),
            VISIBILITY_CODES["signed_in"],
            VISIBILITY_CODES["connections"],
            np.array([mask for mask, _ in known], np.uint64),
            np.array([i for _, i in known], np.float64),
            lived_total,
            np.uint64(skills),
            len(q.skills),
            np.array(self._query_mask("interests", q.interests)[0], np.uint64).reshape(2),
            len(q.interests),
            np.uint64(self._query_mask("languages", q.languages)[0]),
            len(q.languages),
            np.array(F.mask_words(q.availability, 3), np.uint64),
            F.popcount(q.availability),
            "lived_experience" in q.must and bool(q.lived),
            "skills" in q.must and bool(q.skills),
            "interests" in q.must and bool(q.interests),
            "languages" in q.must and bool(q.languages),
            "availability" in q.must and bool(q.availability),
            int(q.max_rate_pence or F.DEFAULT_RATE_REF_PENCE),
            np.array([weights[f] for f in F.FACTORS], np.float64),
            1.0 - F.TEXT_SHARE,
            F.TEXT_SHARE,
        )

    def _score(self, query: tuple, lows: np.ndarray, highs: np.ndarray, *, with_factors: bool):
        """Rows in these ranges that pass every hard filter: rows, distances, the factor columns
        (if asked: else empty) and the score without free text."""
        c = self.col
        rows, d, feats, score = kernels.score_rows(
            lows,
            highs,
            c["active"],
            c["role"],
            c["rate"],
            c["x"],
            c["y"],
            c["z"],
            c["travel"],
            c["vis"],
            c["lived"],
            c["skills"],
            c["interests"],
            c["languages"],
            c["avail"],
            c["qscore"],
            c["user"],
            c["org"],
            *(*query, with_factors),  # one tuple: the query's fields then the flag
        )
        return rows, d, {name: feats[:, column] for column, name in enumerate(KERNEL_COLUMNS)}, score

    def _text(self, q: MatchQuery, rows: np.ndarray) -> np.ndarray:
        sims = np.zeros(len(rows))
        if not q.token_counts:
            return sims
        ids = np.fromiter(q.token_counts, np.int64)
        q_weights = np.fromiter(q.token_counts.values(), np.float64) * self._idf_of(ids)
        q_norm = np.sqrt(np.sum(q_weights**2))
        built = rows < self.n_sorted
        if built.any():
            chosen = rows[built]
            starts, ends = self.text_indptr[chosen], self.text_indptr[chosen + 1]
            flat = ranges(starts, ends)
            owner = np.repeat(np.arange(len(chosen)), ends - starts)
            products = _lookup_many(self.text_ids[flat], ids, q_weights) * self.text_weights[flat]
            dots = np.bincount(owner, products, minlength=len(chosen))
            norms = self.text_norm[chosen]
            sims[built] = np.where(dots > 0, dots / (q_norm * np.maximum(norms, 1e-300)), 0.0)
        for i in np.flatnonzero(~built):
            extra = self.text_extra.get(int(rows[i]))
            if extra:
                t_ids, t_weights, t_norm = extra
                dot = float(np.sum(t_weights * _lookup(t_ids, q_weights, ids)))
                sims[i] = dot / (q_norm * t_norm) if dot > 0 else 0.0
        return sims

    @staticmethod
    def _total(feats: dict, weights: dict[str, float]):
        # Terms that are exactly 0.0 change no sum, so skipping them keeps the reference's result.
        score = 0.0
        for factor in F.FACTORS:
            value = feats[factor]
            if weights[factor] and (not isinstance(value, float) or value):
                score = score + weights[factor] * value
        return score

    def search(self, q: MatchQuery, *, weights: dict[str, float], top: int = 20) -> list[Scored]:
        """The top results. A first pass scores every row in reach; a second computes the factors
        (and the free text) only for the rows that can still make the top."""
        with self.lock:
            query = self._kernel_query(q, weights)
            if query is None:
                return []
            rows, _, _, score = self._score(query, *self._spans_in_reach(q), with_factors=False)
            if not len(rows):
                return []
            # Free text can add up to this much to any row's score (the shortlist's margin).
            with_text = bool(q.token_counts and weights["interests"])
            rows = rows[_near_top(score, top, weights["interests"] * F.TEXT_SHARE if with_text else 0.0)]
            rows, d, feats, score = self._score(query, rows, rows + 1, with_factors=True)
            if with_text:
                feats["interests"] = F.interests(feats["interests_tags"], self._text(q, rows))
                score = self._total(feats, weights) + np.zeros(len(rows))
            return self._top(rows, d, feats, score, top)

    def _top(self, rows, d, feats, score, top: int) -> list[Scored]:
        rounded = F.round_score(score)
        chosen = _near_top(score, top)
        refs = [self.text_at("ref", row) for row in rows[chosen].tolist()]
        order = sorted(zip((-rounded[chosen]).tolist(), refs, chosen.tolist(), strict=True))[:top]
        picked = np.array([i for _, _, i in order], np.int64)
        columns = [feats[f][picked].tolist() for f in F.FACTORS]
        return [
            Scored(
                None,
                dist,
                dict(zip(F.FACTORS, values, strict=True)),
                total,
                load=partial(self.candidate_at, row),
                ref=ref,
            )
            for (_, ref, _), row, dist, total, values in zip(
                order,
                rows[picked].tolist(),
                d[picked].tolist(),
                score[picked].tolist(),
                zip(*columns, strict=True),
                strict=True,
            )
        ]

    def listing_rows(self, f: ListingFilter) -> tuple[np.ndarray, np.ndarray | None]:
        """Every listed row that passes the register's filters (no scoring), and each one's distance in
        km from ``f.near`` (None without a place). The register's browse page and API read through this."""
        with self.lock:
            n, c = self.n, self.col
            keep = c["active"][:n].copy()
            if f.roles is not None:
                keep &= np.isin(c["role"][:n], np.array([ROLE_CODES[r] for r in f.roles if r in ROLE_CODES], np.uint8))
            if f.max_rate_pence is not None:
                keep &= c["rate"][:n] <= f.max_rate_pence  # no rate (-1, volunteers) always passes
            for name, tags, every in (
                ("skills", f.skills, True),
                ("languages", f.languages, True),
                ("interests", f.interests, False),
            ):
                if tags:
                    keep &= _mask_test(c[name][:n], name, tags, every)
            if f.day is not None:
                words = np.array(F.mask_words(((1 << 24) - 1) << (24 * f.day), HOT["avail"][1]), np.uint64)
                keep &= (c["avail"][:n] & words).any(axis=1)
            if f.excluded_user_ids:
                keep &= ~np.isin(c["user"][:n], np.fromiter(f.excluded_user_ids, np.int64))
            rows = np.flatnonzero(keep)
            if f.near is None:
                return rows, None
            x, y, z = (float(v) for v in F.unit_vectors(f.near[0], f.near[1]))
            half_chord = np.sqrt((c["x"][rows] - x) ** 2 + (c["y"][rows] - y) ** 2 + (c["z"][rows] - z) ** 2) / 2
            distance = F.half_chord_km(half_chord)
            if f.within_km is not None:
                inside = distance <= f.within_km
                rows, distance = rows[inside], distance[inside]
            return rows, distance

    def profile_ids(self, rows: np.ndarray) -> np.ndarray:
        return self.col["pid"][rows]

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        return self.col[name][rows]

    def candidate_at(self, row: int) -> Candidate:
        """A row as a record again (without its words), for explanations."""
        c = self.col
        masks = [
            int(c[name][row]) if HOT[name][1] == 1 else sum(int(w) << (64 * i) for i, w in enumerate(c[name][row]))
            for name in MASK_FIELDS
        ]
        travel, rate = int(c["travel"][row]), int(c["rate"][row])
        return Candidate(
            profile_id=int(c["pid"][row]),
            ref=self.text_at("ref", row),
            role=SUPPORTER_ROLES[c["role"][row]],
            lat=float(c["lat"][row]),
            lon=float(c["lon"][row]),
            travel_km=None if travel == NO_TRAVEL else travel,
            rate_pence=None if rate < 0 else rate,
            lived=TAG_FIELDS["lived"].decode(masks[0]),
            lived_visibility=VISIBILITY_NAMES[int(c["vis"][row])],
            skills=TAG_FIELDS["skills"].decode(masks[1]),
            interests=TAG_FIELDS["interests"].decode(masks[2]),
            languages=TAG_FIELDS["languages"].decode(masks[3]),
            availability=sum(int(w) << (64 * i) for i, w in enumerate(c["avail"][row])),
            quality_score=float(c["qscore"][row]),
            quality_count=int(c["qcount"][row]),
            user_id=int(c["user"][row]),
            organisation_id=int(c["org"][row]),
            display_name=self.text_at("name", row),
            outcode=self.text_at("outcode", row),
            masks=tuple(masks),
        )


@dataclass(frozen=True)
class ListingFilter:
    """The register's filters: a listing passes all of them (no ranking)."""

    roles: tuple[str, ...] | None = None
    near: tuple[float, float] | None = None  # (latitude, longitude)
    within_km: float | None = None
    skills: tuple[str, ...] = ()  # offers every one
    languages: tuple[str, ...] = ()  # speaks every one
    interests: tuple[str, ...] = ()  # shares at least one
    day: int | None = None  # free at some hour of this day (0 is Monday)
    max_rate_pence: int | None = None
    excluded_user_ids: frozenset[int] = frozenset()


def _mask_test(column: np.ndarray, name: str, tags, every: bool) -> np.ndarray:
    """Rows whose tag bits hold every one (or any one) of ``tags``. A tag with no bit matches no row."""
    bits = TAG_FIELDS[name].bits
    if every and any(tag not in bits for tag in tags):
        return np.zeros(len(column), np.bool_)
    words = np.array(F.mask_words(TAG_FIELDS[name].mask(tags), HOT[name][1]), np.uint64)
    hit = column & (words if column.ndim > 1 else words[0])
    if every:
        return (hit == words).all(axis=1) if column.ndim > 1 else hit == words[0]
    return hit.any(axis=1) if column.ndim > 1 else hit != 0


def _near_top(score: np.ndarray, top: int, margin: float = 0.0) -> np.ndarray:
    """Positions of every row whose score, raised by up to ``margin``, could rank in the top ``top``
    once scores are rounded: a few more than needed, never fewer; the caller orders them exactly.
    Rounding only the survivors of a raw cut saves rounding every row of a large query."""
    if len(score) <= top:
        return np.arange(len(score))
    kth = np.partition(score, -top)[-top]
    return np.flatnonzero(score + margin >= kth - 1e-8)


def _sorted_ids(ids) -> np.ndarray:
    return np.array(sorted(ids), np.int64)


def _lookup_many(t_ids, q_ids, q_weights) -> np.ndarray:
    """The query's weight for each word id (0 for words the query does not use)."""
    order = np.argsort(q_ids)
    sorted_ids = q_ids[order]
    at = np.minimum(np.searchsorted(sorted_ids, t_ids), len(sorted_ids) - 1)
    return np.where(sorted_ids[at] == t_ids, q_weights[order][at], 0.0)


def _lookup(t_ids, q_weights, q_ids) -> np.ndarray:
    position = {int(t): i for i, t in enumerate(q_ids)}
    return np.array([q_weights[position[int(t)]] if int(t) in position else 0.0 for t in t_ids])


class IndexStats:
    """The index's rarity figures in the shape ``pairwise`` expects (for outcome features)."""

    def __init__(self, index: MatchIndex):
        self.index = index

    def lived_idf(self, tag: str) -> float:
        bit = TAG_FIELDS["lived"].bits.get(tag)
        return float(F.idf(self.index.lived_df[bit] if bit is not None else 0, self.index.n_active))

    def token_idf(self, token: int) -> float:
        return float(self.index._idf_of([token])[0])
