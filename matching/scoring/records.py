"""Plain records the scorer works on: one ``Candidate`` per listed supporter, one ``MatchQuery``.

Built from Profile-like objects by attribute access only (no queries), so the index, the
reference scorer, the bench and training all use the same records. Coordinates and quality
are rounded to float32 here, exactly as the index stores them, so every path sees the same numbers.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from profiles import vocabulary as vocab

from . import features as F

logger = logging.getLogger(__name__)

SUPPORTER_ROLES = tuple(vocab.SUPPORTER_ROLES)
ROLE_CODES = {role: i for i, role in enumerate(SUPPORTER_ROLES)}
VISIBILITY_CODES = {"signed_in": 0, "connections": 1, "private": 2}


class TagBits:
    """Tag -> bit position for one field: the vocabulary first, then free tags as they appear.

    Append-only and shared by every index in the process. A free tag that arrives once the
    bits are used up is left out of matching (the same for index and reference); only a count
    is logged, never the tag, because some tags are sensitive.
    """

    def __init__(self, name: str, words: int, vocabulary):
        self.name, self.words, self.capacity = name, words, 64 * words
        self.bits: dict[str, int] = {}
        self.tags: list[str] = []
        self.dropped = 0
        for tag in vocabulary:
            self.assign(tag)

    def assign(self, tag: str) -> int | None:
        bit = self.bits.get(tag)
        if bit is None and len(self.tags) < self.capacity:
            bit = self.bits[tag] = len(self.tags)
            self.tags.append(tag)
        elif bit is None:
            self.dropped += 1
            logger.warning("matching: a free %s tag was left out of matching (no bits left)", self.name)
        return bit

    def keep(self, tags) -> frozenset[str]:
        return frozenset(t for t in tags or () if isinstance(t, str) and self.assign(t) is not None)

    def mask(self, tags) -> int:
        value = 0
        for tag in tags:
            bit = self.bits.get(tag)
            if bit is not None:
                value |= 1 << bit
        return value

    def decode(self, mask: int) -> frozenset[str]:
        tags = []
        while mask:
            low = mask & -mask
            tags.append(self.tags[low.bit_length() - 1])
            mask ^= low
        return frozenset(tags)


TAG_FIELDS = {
    "lived": TagBits("lived experience", 1, vocab.LIVED_EXPERIENCE),
    "skills": TagBits("skill", 1, {**vocab.SKILLS, **vocab.BROKERAGE_FUNCTIONS}),
    "interests": TagBits("interest", 2, vocab.INTERESTS),
    "languages": TagBits("language", 1, vocab.LANGUAGES),
}


class Tokens:
    """Word -> id for the free text, append-only and shared by the process."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def encode(self, text: str) -> tuple[int, ...]:
        ids = self.ids
        return tuple(ids.setdefault(w, len(ids)) for w in F.words(text))

    def lookup(self, text: str) -> tuple[int, ...]:
        return tuple(self.ids[w] for w in F.words(text) if w in self.ids)


TOKENS = Tokens()


def f32(value: float) -> float:
    return float(np.float32(value))


def pence(amount) -> int | None:
    return None if amount is None else int((Decimal(str(amount)) * 100).to_integral_value())


@dataclass(frozen=True, slots=True)
class Candidate:
    profile_id: int
    ref: str
    role: str
    lat: float
    lon: float
    travel_km: int | None = None
    rate_pence: int | None = None
    lived: frozenset = frozenset()
    lived_visibility: str = "connections"
    skills: frozenset = frozenset()
    interests: frozenset = frozenset()
    languages: frozenset = frozenset()
    availability: int = 0
    tokens: tuple = ()
    quality_score: float = 0.5
    quality_count: int = 0
    user_id: int = 0
    organisation_id: int = 0
    display_name: str = ""
    outcode: str = ""
    masks: tuple = ()  # (lived, skills, interests, languages) as bit masks, filled by make_candidate


def make_candidate(**data) -> Candidate:
    """A candidate from plain values, normalised the one way every path relies on."""
    data["lat"], data["lon"] = f32(data["lat"]), f32(data["lon"])
    data["quality_score"] = f32(data.get("quality_score", 0.5))
    for key, table in (("lived", "lived"), ("skills", "skills"), ("interests", "interests"), ("languages", "languages")):
        data[key] = TAG_FIELDS[table].keep(data.get(key, ()))
    if isinstance(data.get("availability"), (list, tuple)):
        data["availability"] = F.slot_mask(data["availability"])
    if "about" in data:
        data["tokens"] = TOKENS.encode(data.pop("about") or "")
    data["masks"] = tuple(TAG_FIELDS[name].mask(data[name]) for name in ("lived", "skills", "interests", "languages"))
    return Candidate(**data)


def candidate_from_profile(profile, quality=None) -> Candidate:
    """Lived experience is kept only while the person's sensitive-data consent stands."""
    score, count = quality if quality is not None else (0.5, 0)
    return make_candidate(
        profile_id=profile.pk,
        ref=profile.ref,
        role=profile.role,
        lat=profile.latitude,
        lon=profile.longitude,
        travel_km=profile.travel_km,
        rate_pence=pence(profile.hourly_rate) if profile.role in vocab.PAID_ROLES else None,
        lived=profile.lived_experience if profile.has_sensitive_consent else (),
        lived_visibility=profile.lived_experience_visibility,
        skills=[*(profile.skills or []), *(profile.brokerage_functions or [])],
        interests=profile.interests,
        languages=profile.languages,
        availability=profile.availability,
        about=profile.about,
        quality_score=score,
        quality_count=count,
        user_id=profile.user_id or 0,
        organisation_id=profile.organisation_id or 0,
        display_name=profile.display_name,
        outcode=profile.outcode,
    )


@dataclass(frozen=True)
class MatchQuery:
    """What a seeker looks for, plus who is looking (for blocks and for what they may see)."""

    lat: float
    lon: float
    roles: frozenset = frozenset(SUPPORTER_ROLES)
    max_km: float | None = None
    max_rate_pence: int | None = None
    lived: tuple = ()  # sorted, so every path adds rarities in the same order
    skills: frozenset = frozenset()
    interests: frozenset = frozenset()
    languages: frozenset = frozenset()
    availability: int = 0
    tokens: tuple = ()
    must: frozenset = frozenset()
    excluded_user_ids: frozenset = frozenset()
    viewer_id: int = 0
    viewer_connection_ids: frozenset = frozenset()
    viewer_coordinator_org_ids: frozenset = frozenset()
    token_counts: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "token_counts", dict(Counter(self.tokens)))


def make_query(**data) -> MatchQuery:
    data["lat"], data["lon"] = f32(data["lat"]), f32(data["lon"])
    data["lived"] = tuple(sorted(set(data.get("lived", ()))))
    for key in ("roles", "skills", "interests", "languages", "must", "excluded_user_ids"):
        if key in data:
            data[key] = frozenset(data[key])
    if isinstance(data.get("availability"), (list, tuple)):
        data["availability"] = F.slot_mask(data["availability"])
    if "about" in data:
        data["tokens"] = TOKENS.lookup(data.pop("about") or "")
    return MatchQuery(**data)


def _tags(value) -> list[str]:
    """Tags from a hand-written ``seeking`` block: anything that is not a string is ignored."""
    return [t for t in value if isinstance(t, str)] if isinstance(value, (list, tuple)) else []


def _positive(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10_000 else None


def query_from_seeker(profile, *, roles=None, must=None, **viewer) -> MatchQuery:
    """A seeker's ``seeking`` block (interchange format) as a query. Viewer fields come from services."""
    seeking = profile.seeking if isinstance(profile.seeking, dict) else {}
    own_lived = profile.lived_experience if profile.has_sensitive_consent else []
    wanted_roles = roles or [r for r in _tags(seeking.get("roles")) if r in SUPPORTER_ROLES] or SUPPORTER_ROLES
    max_rate = _positive(seeking.get("max_rate_gbp"))
    return make_query(
        lat=profile.latitude,
        lon=profile.longitude,
        roles=wanted_roles,
        max_km=_positive(seeking.get("max_km")),
        max_rate_pence=pence(max_rate) if max_rate else None,
        lived=[*own_lived, *_tags(seeking.get("lived_experience"))],
        skills=[*_tags(seeking.get("skills")), *_tags(seeking.get("brokerage_functions"))],
        interests=[*_tags(seeking.get("interests")), *(profile.interests or [])],
        languages=_tags(seeking.get("languages")),
        availability=_tags(seeking.get("availability")) or profile.availability or [],
        about=profile.about,
        must=must if must is not None else [m for m in _tags(seeking.get("must")) if m in F.MUSTABLE],
        **viewer,
    )
