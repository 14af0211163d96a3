"""The match index's per-row loop, compiled with Numba.

Why compiled: a large query reaches 50,000 rows. In NumPy every filter and every factor is its
own pass over the rows, plus copies to pick out survivors, and a typical query paid about a
hundred small NumPy calls of fixed cost. One loop reads each row once, drops it at the first
filter it fails and scores the survivors in the same pass.

Every factor and the total are ``scoring.features``' own functions (the score written once),
compiled by Numba and inlined here, so they are the same floats the readable scorer computes
(``tests/matching/test_index_matches_reference.py`` checks whole rankings against
``tests.matching.reference`` on randomised registers). This file keeps only the filters and the
bit counting. Free-text similarity is not here: it is computed afterwards, only for the rows that
could still reach the top.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

from .scoring import features as F
from .scoring.features import EARTH_RADIUS_KM


def _drop_stale_cache() -> None:
    """Numba re-compiles a cached function when its own file changes, not when a function it inlines
    from another file does: drop this file's cached code when the score's source has changed."""
    cache = Path(__file__).with_name("__pycache__")
    stamp = cache / "kernels.score-source.txt"
    digest = F.source_digest()
    try:
        if stamp.read_text() == digest:
            return
    except OSError:
        pass
    try:
        for old in cache.glob("kernels.*.nb[ic]"):
            old.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:  # a read-only install: Numba then compiles without its cache
        pass


_drop_stale_cache()
_S = F.compiled()
_locality, _overlap, _lived_experience, _interests = _S.locality, _S.overlap, _S.lived_experience, _S.interests
_price, _quality, _add_term = _S.price, _S.quality, _S.add_term

# Output columns: the score's factors in ``features.FACTORS`` order, then the interests factor's
# tag part on its own (the free text is added to it later).
LIVED, LOCALITY, SKILLS, INTERESTS, LANGUAGES, AVAILABILITY, PRICE, QUALITY, INTERESTS_TAGS = range(9)
N_COLUMNS = 9


@intrinsic
def _popcount(typingctx, word):
    """The CPU's population count of a 64-bit word (LLVM's ctpop): Numba has no popcount of its own."""

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return types.uint64(types.uint64), codegen


@njit(cache=True, nogil=True, inline="always")
def _contains(sorted_values, value):
    low, high = 0, len(sorted_values)
    while low < high:
        middle = (low + high) // 2
        if sorted_values[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low < len(sorted_values) and sorted_values[low] == value


@njit(cache=True, nogil=True, inline="always")
def _asin(value):
    """arcsin: for the small arguments of distances under 127 km (0.01) four terms of its series
    are exact to the last bit or two, at a quarter of the cost of the library call."""
    if value > 0.01:
        return math.asin(value)
    square = value * value
    return value * (1.0 + square * (1.0 / 6.0 + square * (3.0 / 40.0 + square * (15.0 / 336.0))))


@njit(cache=True, nogil=True)
def score_rows(
    lows,
    highs,  # row ranges to read
    active,
    role,
    rate,
    x,
    y,
    z,
    travel,
    vis,
    lived,
    skills,
    interests,
    languages,
    avail,
    qscore,
    user,
    org,
    role_bits,
    max_rate,
    point,
    reach_table,
    limit_table,
    excluded,  # hard filters
    viewer,
    connections,
    coordinator_orgs,
    vis_signed_in,
    vis_connections,  # who may see lived experience
    lived_masks,
    lived_idf,
    lived_total,  # per known lived-experience tag of the query
    q_skills,
    n_skills,
    q_interests,
    n_interests,
    q_languages,
    n_languages,
    q_avail,
    n_avail,
    must_lived,
    must_all_skills,
    must_interests,
    must_languages,
    must_avail,
    price_reference,
    weights,
    tag_share,  # unused: the shares are scoring.features.TEXT_SHARE, compiled in (kept for the callers)
    text_share,
    with_factors,
):
    """Rows that pass every hard filter, with distance (km), the score without free text and,
    ``with_factors``, each factor (else an empty table: a first pass over many rows needs only
    the score, and writing nine columns for all of them cost more than the scoring).
    ``excluded``, ``connections`` and ``coordinator_orgs`` are sorted."""
    total = 0
    for k in range(len(lows)):
        total += highs[k] - lows[k]
    rows = np.empty(total, np.int64)
    distance = np.empty(total if with_factors else 0, np.float64)
    feats = np.empty((total if with_factors else 0, N_COLUMNS), np.float64)
    score = np.empty(total, np.float64)
    px, py, pz = point[0], point[1], point[2]
    any_lived = np.uint64(0)
    for mask in lived_masks:
        any_lived |= mask
    zero = np.uint64(0)
    kept = 0
    for k in range(len(lows)):
        for row in range(lows[k], highs[k]):
            if not active[row] or role[row] > 62 or not (role_bits >> role[row]) & 1:  # 255: not a supporter role
                continue
            if max_rate >= 0 and rate[row] > max_rate:  # volunteers' rate is -1: they always pass
                continue
            dx, dy, dz = x[row] - px, y[row] - py, z[row] - pz
            half2 = (dx * dx + dy * dy + dz * dz) / 4
            if half2 > reach_table[travel[row]]:  # a hair wide; the exact test on the distance follows
                continue
            d = 2 * EARTH_RADIUS_KM * _asin(min(1.0, math.sqrt(half2)))
            limit = limit_table[travel[row]]
            if d > limit:
                continue
            # A mask the query does not use is not read at all (most queries leave some empty).
            shared_skills = _popcount(skills[row] & q_skills) if n_skills else zero
            if must_all_skills and shared_skills != n_skills:
                continue
            shared_interests = (
                _popcount(interests[row, 0] & q_interests[0]) + _popcount(interests[row, 1] & q_interests[1])
                if n_interests
                else zero
            )
            if must_interests and shared_interests == 0:
                continue
            shared_languages = _popcount(languages[row] & q_languages) if n_languages else zero
            if must_languages and shared_languages == 0:
                continue
            shared_hours = (
                _popcount(avail[row, 0] & q_avail[0])
                + _popcount(avail[row, 1] & q_avail[1])
                + _popcount(avail[row, 2] & q_avail[2])
                if n_avail
                else zero
            )
            if must_avail and shared_hours == 0:
                continue
            if len(excluded) > 0 and _contains(excluded, user[row]):  # last: the fewest rows reach it
                continue
            lived_share = 0.0
            if any_lived and lived[row] & any_lived:
                # profiles.sensitive.sensitive_visible, compiled (tests/matching/test_visibility_one_rule.py)
                visible = viewer != 0 and (
                    vis[row] == vis_signed_in
                    or user[row] == viewer
                    or (len(coordinator_orgs) > 0 and _contains(coordinator_orgs, org[row]))
                    or (vis[row] == vis_connections and len(connections) > 0 and _contains(connections, user[row]))
                )
                if visible:
                    for t in range(len(lived_masks)):
                        if lived[row] & lived_masks[t]:
                            lived_share = lived_share + lived_idf[t]
                elif must_lived:
                    continue
            elif must_lived:
                continue

            # The factors and their sum: scoring.features' functions, compiled (the score written once).
            lived_f = _lived_experience(lived_share, lived_total)
            locality_f = _locality(d, limit)
            skills_f = _overlap(shared_skills, n_skills)
            tags_f = _overlap(shared_interests, n_interests)
            interests_f = _interests(tags_f, 0.0)  # the free text is added later, for the top rows only
            languages_f = _overlap(shared_languages, n_languages)
            availability_f = _overlap(shared_hours, n_avail)
            price_f = _price(rate[row], price_reference)
            quality_f = _quality(np.float64(qscore[row]))
            total_score = _add_term(0.0, weights[LIVED], lived_f)
            total_score = _add_term(total_score, weights[LOCALITY], locality_f)
            total_score = _add_term(total_score, weights[SKILLS], skills_f)
            total_score = _add_term(total_score, weights[INTERESTS], interests_f)
            total_score = _add_term(total_score, weights[LANGUAGES], languages_f)
            total_score = _add_term(total_score, weights[AVAILABILITY], availability_f)
            total_score = _add_term(total_score, weights[PRICE], price_f)
            total_score = _add_term(total_score, weights[QUALITY], quality_f)
            if with_factors:
                feats[kept, LIVED], feats[kept, LOCALITY], feats[kept, SKILLS] = lived_f, locality_f, skills_f
                feats[kept, INTERESTS], feats[kept, LANGUAGES] = interests_f, languages_f
                feats[kept, AVAILABILITY], feats[kept, PRICE], feats[kept, QUALITY] = availability_f, price_f, quality_f
                feats[kept, INTERESTS_TAGS] = tags_f
            rows[kept], score[kept] = row, total_score
            if with_factors:  # the first pass ranks by score alone
                distance[kept] = d
            kept += 1
    return rows[:kept], distance[:kept], feats[:kept], score[:kept]
