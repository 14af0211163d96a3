"""The quality factor's source. Ratings registers a provider; until then everyone is neutral.

A provider takes profile ids and returns, for those it knows, ``Quality(score, count)`` where
``score`` is in [0, 1] (a Bayesian average, so a newcomer is near the prior, not buried) and
``count`` is how many ratings it rests on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple


class Quality(NamedTuple):
    score: float
    count: int


NEUTRAL = Quality(0.5, 0)
Provider = Callable[[Iterable[int]], dict[int, Quality]]
_provider: Provider | None = None


def register_quality_provider(provider: Provider) -> None:
    global _provider
    _provider = provider


def quality_for(profile_ids: Iterable[int]) -> dict[int, Quality]:
    ids = list(profile_ids)
    known = _provider(ids) if _provider else {}
    return {pid: known.get(pid, NEUTRAL) for pid in ids}
