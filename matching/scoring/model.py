"""Which weights serve: the live ``ModelVersion`` row's, or the hand-set baseline when none is live.

The weights are in the database. Each process keeps them in a small cache that only the change
log empties: every change of the live version writes a ``model`` row (``matching.services``), and
``matching.live`` resets this cache when it applies one, before the next search reads the weights.
No timer: a worker never ranks with weights older than the last change committed before its search.
"""

from __future__ import annotations

import logging

from . import features as F

logger = logging.getLogger(__name__)
_cache: dict = {}


def valid_weights(data) -> dict[str, float] | None:
    """Weights as stored (``{"locality": 2.0, ...}``), or None if they are not one finite number from 0
    to 1,000 for every factor."""
    if not isinstance(data, dict) or set(data) != set(F.FACTORS):
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1000 for v in data.values()):
        return None
    return {f: float(data[f]) for f in F.FACTORS}


def load_live() -> tuple[dict[str, float], int | None]:
    from ..models import ModelVersion

    row = ModelVersion.objects.filter(live=True).values_list("version", "weights").first()
    if row is None:
        return dict(F.DEFAULT_WEIGHTS), None
    version, stored = row
    weights = valid_weights(stored)
    if weights is None:
        logger.warning("matching: the live weights (v%s) are malformed; using hand-set weights", version)
        return dict(F.DEFAULT_WEIGHTS), None
    return weights, version


def serving_weights() -> tuple[dict[str, float], int | None]:
    """The weights ranking uses now and their version (None: the hand-set baseline, never trained)."""
    if not _cache:
        weights, version = load_live()
        _cache.update(weights=weights, version=version)
    return dict(_cache["weights"]), _cache["version"]


def reset_cache() -> None:
    _cache.clear()
