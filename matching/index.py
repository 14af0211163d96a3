"""The in-memory match index: listed supporters as column arrays, rows sorted by a ~10 km grid.

A query reads only the grid cells within reach (contiguous slices of the sorted rows), applies
the hard filters on those, scores the survivors with vector arithmetic, and computes the
free-text similarity only for survivors that could still reach the top results. It must give
the same top results as ``matching.reference`` (tests check this on randomised registers).

Changes arrive one profile at a time (``upsert``/``remove``): the old row is switched off and
the new one appended to a small unsorted tail that every query also scans. Word rarity for the
free text is fixed at build time; the next rebuild refreshes it.
"""

from __future__ import annotations

import itertools
import math
import threading
from functools import partial
from operator import attrgetter, itemgetter

import numpy as np
from scipy import sparse

from .scoring import features as F
from .scoring.pairwise import Scored, sort_key
from .scoring.records import (
    ROLE_CODES,
    SUPPORTER_ROLES,
    TAG_FIELDS,
    TOKENS,
    VISIBILITY_CODES,
    Candidate,
    MatchQuery,
)

CELL_LAT, CELL_LON = 0.09, 0.15  # about 10 km each way across the UK
NO_TRAVEL = 255
M64 = (1 << 64) - 1
VISIBILITY_NAMES = {code: name for name, code in VISIBILITY_CODES.items()}
HOT = {  # column -> (dtype, words); the arrays every query touches
    "key": (np.int32, 1), "lat": (np.float32, 1), "lon": (np.float32, 1), "travel": (np.uint8, 1),
    "rate": (np.int32, 1), "role": (np.uint8, 1), "active": (np.bool_, 1), "vis": (np.uint8, 1),
    "lived": (np.uint64, 1), "skills": (np.uint64, 1), "languages": (np.uint64, 1), "interests": (np.uint64, 2),
    "avail": (np.uint64, 3), "qscore": (np.float32, 1), "qcount": (np.uint16, 1),
    "user": (np.int32, 1), "org": (np.int32, 1),
}
MASK_FIELDS = ("lived", "skills", "interests", "languages")


def cell_keys(lat, lon):
    cy = np.floor((np.asarray(lat, np.float64) + 90.0) / CELL_LAT).astype(np.int64)
    cx = np.floor((np.asarray(lon, np.float64) + 180.0) / CELL_LON).astype(np.int64)
    return (cy * 10000 + cx).astype(np.int32)


def _words(values, words: int) -> np.ndarray:
    """Python integers of up to 64 * words bits as rows of uint64 words (little-endian)."""
    raw = b"".join(v.to_bytes(8 * words, "little") for v in values)
    out = np.frombuffer(raw, dtype="<u8").astype(np.uint64).reshape(len(values), words)
    return out if words > 1 else out[:, 0]


def _columns(cands: list[Candidate]) -> dict[str, np.ndarray]:
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
        "active": np.ones(n, np.bool_),
        "vis": col(lambda c: VISIBILITY_CODES.get(c.lived_visibility, 2), np.uint8),
        "qscore": col(attrgetter("quality_score"), np.float32),
        "qcount": col(lambda c: min(c.quality_count, 65535), np.uint16),
        "user": col(attrgetter("user_id"), np.int32),
        "org": col(attrgetter("organisation_id"), np.int32),
        "pid": col(attrgetter("profile_id"), np.int64),
        "avail": _words([c.availability for c in cands], 3),
    }
    for i, name in enumerate(MASK_FIELDS):
        words = HOT[name][1]
        cols[name] = np.fromiter(map(itemgetter(i), masks), np.uint64, n) if words == 1 else _words([m[i] for m in masks], words)
    cols["key"] = cell_keys(cols["lat"], cols["lon"])
    return cols


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of arange(start, end) for each pair, without a Python loop."""
    lengths = ends - starts
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    if not len(lengths):
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(int(lengths.sum()), dtype=np.int64) + offsets


def _term_counts(token_lists, n_rows: int, n_terms: int) -> sparse.csr_matrix:
    lengths = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.fromiter(itertools.chain.from_iterable(token_lists), np.int64, int(indptr[-1]))
    counts = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n_rows, n_terms))
    counts.sum_duplicates()
    return counts


class MatchIndex:
    def __init__(self, candidates, *, tail_limit: int = 2048):
        self.tail_limit = tail_limit
        self.lock = threading.RLock()
        self._build(list(candidates))

    # Building ---------------------------------------------------------------------------

    def _build(self, cands: list[Candidate]) -> None:
        cols = _columns(cands)
        order = np.argsort(cols["key"], kind="stable")
        self.n = self.n_sorted = len(cands)
        cap = self.n + self.tail_limit
        self.col = {}
        for name, array in cols.items():
            grown = np.zeros((cap, *array.shape[1:]), array.dtype)
            grown[: self.n] = array[order]
            self.col[name] = grown
        cands = [cands[i] for i in order.tolist()]
        self.refs = list(map(attrgetter("ref"), cands))
        self.names = list(map(attrgetter("display_name"), cands))
        self.outcodes = list(map(attrgetter("outcode"), cands))
        self.row_of = dict(zip(self.col["pid"][: self.n].tolist(), range(self.n)))
        travel = self.col["travel"][: self.n]
        self.max_travel = float(travel[travel != NO_TRAVEL].max(initial=0))
        lived = self.col["lived"][: self.n]
        self.lived_df = np.array([int(np.count_nonzero((lived >> np.uint64(b)) & np.uint64(1))) for b in range(64)], np.int64)
        self.n_active = self.n
        self._build_text(list(map(attrgetter("tokens"), cands)))

    def _build_text(self, token_lists) -> None:
        n_terms = len(TOKENS.ids)
        counts = _term_counts(token_lists, len(token_lists), n_terms)
        df = np.bincount(counts.indices, minlength=n_terms)
        self.token_idf = F.idf(df, self.n)
        self.unseen_idf = float(F.idf(0, self.n))
        counts.data = counts.data * self.token_idf[counts.indices]
        self.text = counts
        self.text_norm = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
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

    def remove(self, profile_id: int) -> None:
        with self.lock:
            row = self.row_of.pop(profile_id, None)
            if row is None:
                return
            self.col["active"][row] = False
            self.n_active -= 1
            lived = int(self.col["lived"][row])
            for bit in range(64):
                if lived >> bit & 1:
                    self.lived_df[bit] -= 1

    def upsert(self, cand: Candidate) -> None:
        with self.lock:
            self.remove(cand.profile_id)
            if self.n >= len(self.col["active"]):
                self._grow()
            row, cols = self.n, _columns([cand])
            for name, array in cols.items():
                self.col[name][row] = array[0]
            self.refs.append(cand.ref)
            self.names.append(cand.display_name)
            self.outcodes.append(cand.outcode)
            self.row_of[cand.profile_id] = row
            if cand.travel_km is not None:
                self.max_travel = max(self.max_travel, float(min(cand.travel_km, 254)))
            self.n += 1
            self.n_active += 1
            for tag in cand.lived:
                self.lived_df[TAG_FIELDS["lived"].bits[tag]] += 1
            self._add_text(row, cand.tokens)

    def _add_text(self, row: int, tokens) -> None:
        if not tokens:
            return
        ids, counts = np.unique(np.asarray(tokens, np.int64), return_counts=True)
        weights = counts * self._idf_of(ids)
        self.text_extra[row] = (ids, weights, float(np.sqrt(np.sum(weights**2))))

    def _grow(self) -> None:
        for name, array in self.col.items():
            extra = np.zeros((max(len(array), 1024), *array.shape[1:]), array.dtype)
            self.col[name] = np.concatenate([array, extra])

    def update_quality(self, qualities: dict[int, tuple[float, int]]) -> None:
        with self.lock:
            for pid, (score, count) in qualities.items():
                row = self.row_of.get(pid)
                if row is not None:
                    self.col["qscore"][row], self.col["qcount"][row] = score, min(count, 65535)

    # Measuring ----------------------------------------------------------------------------

    def hot_bytes_per_profile(self) -> float:
        return sum(self.col[name][: self.n].nbytes for name in HOT) / max(self.n, 1)

    def __len__(self) -> int:
        return self.n_active

    # Querying -----------------------------------------------------------------------------

    def _reach_km(self, q: MatchQuery) -> float:
        if q.max_km is not None:
            return float(q.max_km)
        return max(self.max_travel, F.DEFAULT_RADIUS_KM)

    def _rows_in_reach(self, q: MatchQuery) -> np.ndarray:
        reach = self._reach_km(q) * 1.01  # a margin: the grid only has to over-cover
        dlat = reach / 110.5
        far_lat = min(89.0, abs(q.lat) + dlat)
        dlon = min(180.0, reach / (111.32 * math.cos(math.radians(far_lat))))
        cy0, cy1 = (math.floor((q.lat + s * dlat + 90.0) / CELL_LAT) for s in (-1, 1))
        cx0, cx1 = (math.floor((q.lon + s * dlon + 180.0) / CELL_LON) for s in (-1, 1))
        cys = np.arange(cy0, cy1 + 1, dtype=np.int64) * 10000
        keys = self.col["key"][: self.n_sorted]
        lo = np.searchsorted(keys, cys + cx0, "left")
        hi = np.searchsorted(keys, cys + cx1, "right")
        return _ranges(np.append(lo, self.n_sorted).astype(np.int64), np.append(hi, self.n).astype(np.int64))

    def _query_mask(self, name: str, tags) -> tuple[np.ndarray | int, bool]:
        """The query's tags as mask words, and whether any tag is one nobody has."""
        bits = TAG_FIELDS[name]
        value = bits.mask(tags)
        unknown = any(t not in bits.bits for t in tags)
        words = HOT[name][1]
        return (np.array(F.mask_words(value, words), np.uint64) if words > 1 else np.uint64(value)), unknown

    def _shared(self, name: str, rows, qmask) -> np.ndarray:
        both = self.col[name][rows] & qmask
        counts = np.bitwise_count(both)
        return counts.sum(axis=1) if counts.ndim > 1 else counts

    def _of_users(self, rows: np.ndarray, user_ids) -> np.ndarray:
        return np.isin(self.col["user"][rows], np.fromiter(user_ids, np.int64, len(user_ids)))

    def _lived_visible(self, q: MatchQuery, rows) -> np.ndarray:
        if not q.viewer_id:
            return np.zeros(len(rows), np.bool_)
        vis = self.col["vis"][rows]
        seen = (vis == VISIBILITY_CODES["signed_in"]) | self._of_users(rows, (q.viewer_id,))
        for org_id in q.viewer_coordinator_org_ids:
            seen |= self.col["org"][rows] == org_id
        if q.viewer_connection_ids:
            seen |= (vis == VISIBILITY_CODES["connections"]) & self._of_users(rows, q.viewer_connection_ids)
        return seen

    def _cheap_filter(self, q: MatchQuery, rows: np.ndarray) -> np.ndarray:
        """Filters that need no distance: switched-off rows, role, rate, blocked people."""
        c = self.col
        keep = c["active"][rows]
        if set(q.roles) != set(SUPPORTER_ROLES):
            role_bits = sum(1 << ROLE_CODES[r] for r in q.roles if r in ROLE_CODES)
            keep &= ((role_bits >> c["role"][rows]) & 1).astype(np.bool_)
        if q.max_rate_pence is not None:
            rate = c["rate"][rows]
            keep &= (rate < 0) | (rate <= q.max_rate_pence)
        return keep

    def _distance_filter(self, q: MatchQuery, rows: np.ndarray, d: np.ndarray) -> np.ndarray:
        travel = self.col["travel"][rows]
        keep = (travel == NO_TRAVEL) | (d <= travel)
        if q.max_km is not None:
            return keep & (d <= q.max_km)
        return keep & ((travel != NO_TRAVEL) | (d <= F.DEFAULT_RADIUS_KM))

    def _must(self, q: MatchQuery, rows: np.ndarray) -> np.ndarray:
        keep = np.ones(len(rows), np.bool_)
        if "lived_experience" in q.must and q.lived:
            keep &= self._lived_visible(q, rows) & (self._shared("lived", rows, self._query_mask("lived", q.lived)[0]) > 0)
        if "skills" in q.must and q.skills:
            qmask, unknown = self._query_mask("skills", q.skills)
            keep &= (not unknown) & (self._shared("skills", rows, qmask) == len(q.skills))
        for factor, name in (("interests", "interests"), ("languages", "languages")):
            if factor in q.must and getattr(q, name):
                keep &= self._shared(name, rows, self._query_mask(name, getattr(q, name))[0]) > 0
        if "availability" in q.must and q.availability:
            keep &= self._shared("avail", rows, np.array(F.mask_words(q.availability, 3), np.uint64)) > 0
        return keep

    def _features(self, q: MatchQuery, rows: np.ndarray, d: np.ndarray) -> dict[str, np.ndarray]:
        c, zeros = self.col, np.zeros(len(rows))
        shared_idf, total_idf = zeros, 0.0
        visible = self._lived_visible(q, rows) if q.lived else None
        for tag in q.lived:
            bit = TAG_FIELDS["lived"].bits.get(tag)
            tag_idf = float(F.idf(self.lived_df[bit] if bit is not None else 0, self.n_active))
            total_idf = total_idf + tag_idf
            if bit is not None:
                has = ((c["lived"][rows] >> np.uint64(bit)) & np.uint64(1)).astype(np.bool_) & visible
                shared_idf = shared_idf + np.where(has, tag_idf, 0.0)
        limit = np.where(c["travel"][rows] == NO_TRAVEL, np.inf, c["travel"][rows].astype(np.float64))
        if q.max_km is not None:
            limit = np.minimum(limit, float(q.max_km))
        limit = np.where(np.isinf(limit), F.DEFAULT_RADIUS_KM, limit)
        # A field the query leaves empty shares nothing with anyone: skip the array work.
        tag_counts = {
            name: self._shared(name, rows, self._query_mask(name, getattr(q, name))[0]) if getattr(q, name) else zeros
            for name in ("skills", "interests", "languages")
        }
        avail = self._shared("avail", rows, np.array(F.mask_words(q.availability, 3), np.uint64)) if q.availability else zeros
        return {
            "lived_experience": F.lived_experience(shared_idf, total_idf) * np.ones(len(rows)),
            "locality": F.locality(d, limit),
            "skills": F.overlap(tag_counts["skills"], len(q.skills)),
            "interests_tags": F.overlap(tag_counts["interests"], len(q.interests)),
            "languages": F.overlap(tag_counts["languages"], len(q.languages)),
            "availability": F.overlap(avail, F.popcount(q.availability)),
            "price": F.price(c["rate"][rows], q.max_rate_pence or F.DEFAULT_RATE_REF_PENCE),
            "quality": F.quality(c["qscore"][rows].astype(np.float64), c["qcount"][rows]),
        }

    def _text(self, q: MatchQuery, rows: np.ndarray) -> np.ndarray:
        sims = np.zeros(len(rows))
        if not q.token_counts:
            return sims
        ids = np.fromiter(q.token_counts, np.int64)
        q_weights = np.fromiter(q.token_counts.values(), np.float64) * self._idf_of(ids)
        q_norm = np.sqrt(np.sum(q_weights**2))
        built = rows < self.n_sorted
        known = ids < self.text.shape[1]
        if built.any() and known.any():
            vector = np.zeros(self.text.shape[1])
            vector[ids[known]] = q_weights[known]
            chosen = rows[built]
            starts, ends = self.text.indptr[chosen], self.text.indptr[chosen + 1]
            flat = _ranges(starts, ends)
            owner = np.repeat(np.arange(len(chosen)), ends - starts)
            dots = np.bincount(owner, vector[self.text.indices[flat]] * self.text.data[flat], minlength=len(chosen))
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
    def _total(feats: dict[str, np.ndarray], weights: dict[str, float], sel=slice(None)) -> np.ndarray:
        score = 0.0
        for factor in F.FACTORS:
            score = score + weights[factor] * feats[factor][sel]
        return score

    def search(self, q: MatchQuery, *, weights: dict[str, float], top: int = 20) -> list[Scored]:
        with self.lock:
            rows = self._rows_in_reach(q)
            rows = rows[self._cheap_filter(q, rows)]
            d = F.haversine_km(q.lat, q.lon, self.col["lat"][rows].astype(np.float64), self.col["lon"][rows].astype(np.float64))
            keep = self._distance_filter(q, rows, d)
            rows, d = rows[keep], d[keep]
            keep = self._must(q, rows)
            if q.excluded_user_ids:
                keep &= ~self._of_users(rows, q.excluded_user_ids)
            rows, d = rows[keep], d[keep]
            if not len(rows):
                return []
            feats = self._features(q, rows, d)
            feats["interests"] = F.interests(feats["interests_tags"], 0.0)
            if q.token_counts and weights["interests"]:
                best = self._shortlist(feats, weights, top)
                rows, d = rows[best], d[best]
                feats = {name: value[best] for name, value in feats.items()}
                feats["interests"] = F.interests(feats["interests_tags"], self._text(q, rows))
            return self._top(rows, d, feats, weights, top)

    def _shortlist(self, feats, weights, top: int) -> np.ndarray:
        """Survivors that could still reach the top once free-text similarity is added."""
        without_text = F.round_score(self._total(feats, weights))
        if len(without_text) <= top:
            return np.arange(len(without_text))
        kth = np.partition(without_text, -top)[-top]
        return np.flatnonzero(without_text + weights["interests"] * F.TEXT_SHARE >= kth - 1e-9)

    def _top(self, rows, d, feats, weights, top: int) -> list[Scored]:
        score = self._total(feats, weights)
        rounded = F.round_score(score)
        if len(rounded) > top:
            kth = np.partition(rounded, -top)[-top]
            chosen = np.flatnonzero(rounded >= kth)
        else:
            chosen = np.arange(len(rounded))
        refs = self.refs
        order = sorted(zip((-rounded[chosen]).tolist(), [refs[r] for r in rows[chosen].tolist()], chosen.tolist()))[:top]
        picked = np.array([i for _, _, i in order], np.int64)
        columns = [feats[f][picked].tolist() for f in F.FACTORS]
        return [
            Scored(
                None, dist, dict(zip(F.FACTORS, values)), total,
                load=partial(self.candidate_at, row), ref=ref,
            )
            for (_, ref, _), row, dist, total, values in zip(
                order, rows[picked].tolist(), d[picked].tolist(), score[picked].tolist(), zip(*columns)
            )
        ]

    def candidate_at(self, row: int) -> Candidate:
        """A row as a record again (without its words), for explanations."""
        c = self.col
        masks = [int(c[name][row]) if HOT[name][1] == 1 else sum(int(w) << (64 * i) for i, w in enumerate(c[name][row])) for name in MASK_FIELDS]
        travel, rate = int(c["travel"][row]), int(c["rate"][row])
        return Candidate(
            profile_id=int(c["pid"][row]), ref=self.refs[row], role=SUPPORTER_ROLES[c["role"][row]],
            lat=float(c["lat"][row]), lon=float(c["lon"][row]),
            travel_km=None if travel == NO_TRAVEL else travel, rate_pence=None if rate < 0 else rate,
            lived=TAG_FIELDS["lived"].decode(masks[0]), lived_visibility=VISIBILITY_NAMES[int(c["vis"][row])],
            skills=TAG_FIELDS["skills"].decode(masks[1]), interests=TAG_FIELDS["interests"].decode(masks[2]),
            languages=TAG_FIELDS["languages"].decode(masks[3]),
            availability=sum(int(w) << (64 * i) for i, w in enumerate(c["avail"][row])),
            quality_score=float(c["qscore"][row]), quality_count=int(c["qcount"][row]),
            user_id=int(c["user"][row]), organisation_id=int(c["org"][row]),
            display_name=self.names[row], outcode=self.outcodes[row], masks=tuple(masks),
        )


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
