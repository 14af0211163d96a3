"""The open register's browse page and API, read through the match index (the one search engine).

The index filters every listed supporter in column arrays (no scoring) and sorts only as far as
the page asked for; the page's few listings are then loaded from the database, which also checks
once more that each is still listed (a change committed after the index caught up never shows).
Blocks are read fresh per search, as for matching. No request loads the register into Python.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import numpy as np

from profiles import vocabulary as vocab
from profiles.models import Block, Profile, User
from profiles.selectors import Listing, RegisterQuery

from . import live
from .cards import listing_chips
from .index import ListingFilter, MatchIndex
from .scoring.records import SUPPORTER_ROLES, pence

# Below this many results a full sort is cheaper than choosing the page's rows first.
FULL_SORT_BELOW = 4096


def listing_filter(*, viewer: User | None, query: RegisterQuery) -> ListingFilter:
    """The register's query in the index's terms, with everyone blocked either way left out."""
    excluded = Block.user_ids_hidden_from(viewer.pk) if viewer is not None and viewer.is_authenticated else set()
    return ListingFilter(
        roles=(query.role,) if query.role else tuple(SUPPORTER_ROLES),
        near=(query.near.latitude, query.near.longitude) if query.near else None,
        within_km=float(query.within_km) if query.near and query.within_km else None,
        skills=tuple(query.skills),
        languages=tuple(query.languages),
        interests=tuple(query.interests),
        day=vocab.DAYS.index(query.day) if query.day else None,
        max_rate_pence=pence(Decimal(query.max_rate)) if query.max_rate is not None else None,
        excluded_user_ids=frozenset(excluded),
    )


class IndexedResults:
    """The rows that passed, as a sequence Django's Paginator (and DRF's) can page through."""

    def __init__(
        self, index: MatchIndex, rows: np.ndarray, distance: np.ndarray | None, sort: str, viewer: User | None = None
    ):
        self.index, self.rows, self.distance, self.viewer = index, rows, distance, viewer
        self.pids = index.profile_ids(rows)
        self.primary = self._primary(sort)

    def _primary(self, sort: str) -> np.ndarray | None:
        if sort == "rate":
            rate = self.index.column("rate", self.rows).astype(np.float64)
            return np.where(rate < 0, np.inf, rate)  # no rate (volunteers) last
        if sort == "newest":
            return -self.pids.astype(np.float64)  # ids rise as listings are created
        return self.distance  # nearest first; without a place, in the order they joined

    def __len__(self) -> int:
        return len(self.rows)

    def _order(self, stop: int) -> np.ndarray:
        """Positions of the first ``stop`` results, in order (ties broken by profile id)."""
        if self.primary is None:
            chosen = np.argpartition(self.pids, stop - 1)[:stop] if stop < len(self.pids) else np.arange(len(self.pids))
            return chosen[np.argsort(self.pids[chosen], kind="stable")]
        chosen = np.arange(len(self.rows))
        if len(chosen) > FULL_SORT_BELOW and stop < len(chosen):
            cutoff = np.partition(self.primary, stop - 1)[stop - 1]
            chosen = np.flatnonzero(self.primary <= cutoff)  # every tie at the cutoff too
        return chosen[np.lexsort((self.pids[chosen], self.primary[chosen]))][:stop]

    def __getitem__(self, index: slice) -> list[Listing]:
        if not isinstance(index, slice):
            raise TypeError("Register results are read a page at a time.")
        start, stop, _ = index.indices(len(self))
        if start >= stop:
            return []
        positions = self._order(stop)[start:]
        ids = self.pids[positions].tolist()
        distances = self.distance[positions].tolist() if self.distance is not None else [None] * len(ids)
        # By primary key alone: with the status in the statement too, SQLite chose the status index and
        # stepped through every listed row. Whether each is still listed is checked on the rows instead.
        profiles = Profile.objects.select_related("organisation").prefetch_related("claims").in_bulk(ids)
        listings = [
            Listing(profiles[pid], km)
            for pid, km in zip(ids, distances, strict=True)
            if pid in profiles and profiles[pid].is_listed
        ]
        shared = functools.cache(
            lambda: listing_chips(viewer=self.viewer, profiles=[listing.profile for listing in listings])
        )
        for listing in listings:
            listing.page_chips = shared
        return listings


def register_search(*, viewer: User | None, query: RegisterQuery) -> IndexedResults:
    index = live.get_index()
    rows, distance = index.listing_rows(listing_filter(viewer=viewer, query=query))
    return IndexedResults(index, rows, distance, query.sort, viewer)
