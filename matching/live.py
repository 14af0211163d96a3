"""The process's match index, built from the database on first use and kept current by signals.

Ranking never loads profiles per query: ``profile_changed`` re-reads just the one row that
changed (or drops it: paused, draft, removed, consent withdrawn), and ``register_reloaded``
(a bulk import) or a long tail of changes triggers a rebuild on next use.
"""

from __future__ import annotations

import logging
import threading

from profiles.models import Profile

from .index import MatchIndex
from .quality import quality_for
from .scoring.records import candidate_from_profile

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_index: MatchIndex | None = None

FIELDS = (
    "id", "ref", "role", "status", "user_id", "organisation_id", "display_name", "outcode", "latitude", "longitude",
    "travel_km", "hourly_rate", "lived_experience", "lived_experience_visibility", "sensitive_consent_at", "skills",
    "brokerage_functions", "interests", "languages", "availability", "about",
)




class _Row:
    """One profile's indexed fields from ``values_list``: what ``candidate_from_profile`` reads, without
    building a model instance per row (most of a rebuild's time at 100k+ rows went there)."""

    __slots__ = FIELDS

    def __init__(self, values):
        for name, value in zip(FIELDS, values):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def has_sensitive_consent(self) -> bool:
        return self.sensitive_consent_at is not None  # as Profile.has_sensitive_consent


def _indexable():
    return Profile.objects.listed().supporters().only(*FIELDS)


def load_candidates() -> list:
    rows = [_Row(values) for values in _indexable().values_list(*FIELDS).iterator(chunk_size=5000)]
    qualities = quality_for(row.id for row in rows)
    return [candidate_from_profile(row, qualities[row.id]) for row in rows]


def get_index() -> MatchIndex:
    global _index
    index = _index
    if index is None or index.needs_rebuild:
        with _lock:
            if _index is None or _index.needs_rebuild:
                _index = MatchIndex(load_candidates())
                logger.info("matching: index built with %s listed supporters", len(_index))
            index = _index
    return index


def reset_index() -> None:
    """Forget the index; the next query rebuilds it (after a bulk import, and in tests)."""
    global _index
    with _lock:
        _index = None


def refresh_profile(profile_id: int) -> None:
    index = _index
    if index is None:
        return  # nothing built yet: the first query reads the current rows anyway
    profile = _indexable().filter(pk=profile_id).first()
    if profile is None:
        index.remove(profile_id)
        return
    index.upsert(candidate_from_profile(profile, quality_for([profile_id])[profile_id]))


def refresh_quality(profile_ids) -> None:
    index = _index
    if index is not None:
        index.update_quality(quality_for(list(profile_ids)))


def on_profile_changed(sender, profile_id=None, ref=None, **kwargs) -> None:
    if profile_id is not None:
        refresh_profile(profile_id)


def on_register_reloaded(sender, **kwargs) -> None:
    reset_index()
