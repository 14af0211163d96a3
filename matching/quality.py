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
EveryProvider = Callable[[], dict[int, Quality]]
_provider: Provider | None = None
_every: EveryProvider | None = None


def register_quality_provider(provider: Provider, every: EveryProvider | None = None) -> None:
    """``every`` (optional) returns the quality of every listing that has any (the rest are neutral) in one
    grouped read: the index build uses it instead of sending every listed id back to the database."""
    global _provider, _every
    _provider, _every = provider, every


def quality_for(profile_ids: Iterable[int]) -> dict[int, Quality]:
    ids = list(profile_ids)
    known = _provider(ids) if _provider else {}
    return {pid: known.get(pid, NEUTRAL) for pid in ids}


def quality_known() -> dict[int, Quality] | None:
    """Every listing's quality that differs from ``NEUTRAL`` (for a whole-register build), or None when the
    provider cannot list them (then ask ``quality_for`` with the ids)."""
    if _provider is None:
        return {}
    return _every() if _every else None
