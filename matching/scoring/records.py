"""Plain records the scorer works on: one ``Candidate`` per listed supporter, one ``MatchQuery``.

Built from Profile-like objects by attribute access only (no queries), so the index, the
reference scorer, the bench and training all use the same records. Coordinates and quality
are rounded to float32 here, exactly as the index stores them, so every path sees the same numbers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

import numpy as np

from profiles import vocabulary as vocab

from . import features as F

SUPPORTER_ROLES = tuple(vocab.SUPPORTER_ROLES)
ROLE_CODES = {role: i for i, role in enumerate(SUPPORTER_ROLES)}
VISIBILITY_CODES = {"signed_in": 0, "connections": 1, "private": 2}


class FreeTag(str):
    """A tag outside the vocabulary, as matching sees it: the text, plus the bit it hashes to.

    Two free tags of one field that hash to the same bit are the same tag for matching (equal,
    with equal hashes), so the reference scorer's set arithmetic and the index's bit arithmetic
    always agree. The text stays the person's own words, for explanations.
    """

    def __new__(cls, text: str, field: str, bit: int):
        tag = super().__new__(cls, text)
        tag.key = (field, bit)
        return tag

    def __eq__(self, other):
        return isinstance(other, FreeTag) and self.key == other.key

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.key)

    def __reduce__(self):
        return FreeTag, (str(self), *self.key)


class TagBits:
    """Tag -> bit position for one field: each vocabulary tag has a bit of its own, in the
    vocabulary's order; every free tag hashes (BLAKE2b of its text, so the same in every
    process and every run) into one of the bits left over.

    No tag is ever left out of matching. The price of a fixed width is that two different free
    tags may share a bit and then count as the same tag (about one chance in the number of free
    bits for a given pair); ``FreeTag`` makes every scorer see them that way.
    """

    def __init__(self, name: str, words: int, vocabulary):
        self.name, self.words, self.capacity = name, words, 64 * words
        self.vocabulary = tuple(vocabulary)
        self.first_free = len(self.vocabulary)
        self.free_bits = self.capacity - self.first_free
        if self.free_bits < 1:
            raise ValueError(f"matching: the {name} vocabulary needs more than {self.capacity} bits")
        # tag -> bit. A FreeTag finds its bit through the one FreeTag entry per free bit (same key).
        self.bits: dict[str, int] = {tag: bit for bit, tag in enumerate(self.vocabulary)}
        self.bits.update({FreeTag("", name, bit): bit for bit in range(self.first_free, self.capacity)})
        # bit -> the tag shown for it when a row is turned back into a record (``decode``): for a
        # free bit, the first free tag this process saw there.
        self.tags: list[str] = [
            *self.vocabulary,
            *(FreeTag("", name, bit) for bit in range(self.first_free, self.capacity)),
        ]
        self._vocabulary = frozenset(self.vocabulary)

    def free_bit(self, text: str) -> int:
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
        return self.first_free + int.from_bytes(digest, "little") % self.free_bits

    def normalise(self, tag: str) -> str:
        """The tag as every scorer compares it: a vocabulary tag as it is, any other as a FreeTag."""
        if isinstance(tag, FreeTag) and tag.key[0] == self.name:
            return tag
        text = str(tag)
        if text in self._vocabulary:
            return text
        bit = self.free_bit(text)
        if not self.tags[bit]:
            self.tags[bit] = FreeTag(text, self.name, bit)
        return FreeTag(text, self.name, bit)

    def assign(self, tag: str) -> int:
        return self.bits[self.normalise(tag)]

    def keep(self, tags) -> frozenset[str]:
        """Every string tag, normalised (anything that is not a string is ignored)."""
        return frozenset(self.normalise(t) for t in tags or () if isinstance(t, str))

    def mask(self, tags) -> int:
        value = 0
        for tag in tags:
            if isinstance(tag, str):
                value |= 1 << self.assign(tag)
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


@overload
def pence(amount: None) -> None: ...
@overload
def pence(amount: Decimal | int | float | str) -> int: ...
def pence(amount: Decimal | int | float | str | None) -> int | None:
    """Pounds to whole pence (None stays None)."""
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
    for key, table in (
        ("lived", "lived"),
        ("skills", "skills"),
        ("interests", "interests"),
        ("languages", "languages"),
    ):
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
    data["lived"] = tuple(sorted(TAG_FIELDS["lived"].keep(data.get("lived", ()))))
    for key in ("skills", "interests", "languages"):
        if key in data:
            data[key] = TAG_FIELDS[key].keep(data[key])
    for key in ("roles", "must", "excluded_user_ids"):
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
        # The languages asked for, else the ones the seeker speaks: both count in the score
        # (a must on languages then means "speaks a language I speak").
        languages=_tags(seeking.get("languages")) or _tags(profile.languages),
        availability=_tags(seeking.get("availability")) or profile.availability or [],
        about=profile.about,
        must=must if must is not None else [m for m in _tags(seeking.get("must")) if m in F.MUSTABLE],
        **viewer,
    )
