"""The naive reference scorer: a plain loop over Profile-like records, one at a time.

It defines what the index must return (tests compare them on randomised registers) and is
the baseline the bench measures the index against. It uses the same feature functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from matching.scoring import pairwise
from matching.scoring.features import DEFAULT_WEIGHTS
from matching.scoring.pairwise import RegisterStats, Scored
from matching.scoring.records import Candidate, MatchQuery


def rank(
    query: MatchQuery,
    candidates: Sequence[Candidate],
    *,
    top: int = 20,
    weights: dict[str, float] | None = None,
    stats: RegisterStats | None = None,
) -> list[Scored]:
    weights = weights or DEFAULT_WEIGHTS
    stats = stats or RegisterStats.of(candidates)
    scored = []
    for candidate in candidates:
        if candidate.user_id and candidate.user_id in query.excluded_user_ids:
            continue
        distance = pairwise.distance_km(query, candidate)
        if not pairwise.passes(query, candidate, distance):
            continue
        features = pairwise.feature_vector(query, candidate, distance, stats)
        scored.append(Scored(candidate, distance, features, pairwise.total(features, weights)))
    scored.sort(key=pairwise.sort_key)
    return scored[:top]
