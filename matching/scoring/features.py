"""The score's features: pure functions with no database access.

The same functions serve the in-memory index (called on NumPy arrays), the naive reference
scorer and training (called on scalars), so what is trained is exactly what is served.
Every feature is in [0, 1]; the score is ``sum(weight * feature)`` in ``FACTORS`` order.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import math
import re
from types import SimpleNamespace

import numpy as np

from profiles import vocabulary as vocab
from profiles.locality import EARTH_RADIUS_KM, half_chord_km, haversine_km, unit_vectors  # noqa: F401 (the one distance formula)

FACTORS = (
    "lived_experience",
    "locality",
    "skills",
    "interests",
    "languages",
    "availability",
    "price",
    "quality",
)
# Hand-set weights: the baseline that serves until a trained model beats it.
DEFAULT_WEIGHTS = {
    "lived_experience": 3.0,
    "locality": 2.0,
    "skills": 2.0,
    "interests": 1.5,
    "languages": 2.0,
    "availability": 1.0,
    "price": 1.0,
    "quality": 1.0,
}
FACTOR_LABELS = {
    "lived_experience": "shared lived experience",
    "locality": "how close they are",
    "skills": "skills you asked for",
    "interests": "shared interests",
    "languages": "languages",
    "availability": "when they are free",
    "price": "price",
    "quality": "ratings",
}
# Preferences a person may turn into a must (a hard filter) rather than a ranking factor.
MUSTABLE = ("lived_experience", "skills", "interests", "languages", "availability")
MAX_WEIGHT_MULTIPLIER = 10.0

DEFAULT_RADIUS_KM = 50.0  # the locality scale when neither side set a distance
DEFAULT_RATE_REF_PENCE = 2500  # the price scale when the seeker set no maximum
TEXT_SHARE = 1.0 / 3.0  # the part of the interests factor that comes from the free text
HOURS_PER_WEEK = 168
SCORE_DECIMALS = 9  # scores are compared rounded, so float noise never reorders ties


# The score, written once ----------------------------------------------------------------------
# Each factor of one (query, supporter) pair, as plain arithmetic on numbers. The readable scorer
# (``pairwise.feature_vector``: explanations, training, adverts, the reference in tests) calls these
# Python functions; the index's compiled loop (``matching.kernels.score_rows``) calls the same source
# compiled by Numba (``COMPILED``), so a change here changes both. Every factor is in [0, 1].


def locality(distance_km, limit_km):
    """1 next door, falling to 0 at the nearer of the two people's limits."""
    return min(max(1.0 - distance_km / limit_km, 0.0), 1.0)


def overlap(shared, asked):
    """The share of what was asked for that is offered (0 when nothing was asked)."""
    return shared / asked if asked > 0 else 0.0


def lived_experience(shared_idf, total_idf):
    """Like ``overlap``, but each shared experience counts by its rarity (inverse document frequency)."""
    return shared_idf / max(total_idf, 1e-12) if total_idf > 0 else 0.0


def interests(tag_overlap, text_similarity):
    """Two thirds the tags in common, one third the free text (also on arrays: the index adds the text last)."""
    return (1.0 - TEXT_SHARE) * tag_overlap + TEXT_SHARE * text_similarity


def price(rate_pence, reference_pence):
    """Volunteers (no rate, stored as -1) score 1; a rate at the seeker's maximum scores 0.5."""
    return 1.0 if rate_pence < 0 else min(max(1.0 - 0.5 * rate_pence / reference_pence, 0.0), 1.0)


def quality(score):
    """The provider's score as it is: it is already a Bayesian average (matching/quality.py), so a
    newcomer sits at the prior (0.5) and shrinking again would bury real differences."""
    return score


def add_term(score, weight, feature):
    """One factor's part of the total, added in ``FACTORS`` order: ``weight * feature``. A factor whose
    weight is 0 is not counted at all (it adds nothing, and explanations say "not counted")."""
    return score + weight * feature if weight != 0.0 else score


SCORE_FUNCTIONS = (locality, overlap, lived_experience, interests, price, quality, add_term)


@functools.cache
def compiled() -> SimpleNamespace:
    """The same functions compiled by Numba for the kernel, which inlines them into its loop."""
    from numba import njit

    jit = njit(nogil=True, inline="always")
    return SimpleNamespace(**{fn.__name__: jit(fn) for fn in SCORE_FUNCTIONS})


def source_digest() -> str:
    """A digest of the score's source: the kernel's compiled cache is dropped when it changes (Numba
    checks only the kernel's own file)."""
    return hashlib.sha256("".join(inspect.getsource(fn) for fn in SCORE_FUNCTIONS).encode()).hexdigest()[:16]


def idf(document_frequency, n_documents):
    """Smoothed inverse document frequency (as scikit-learn's TfidfVectorizer computes it)."""
    return np.log((1.0 + n_documents) / (1.0 + np.asarray(document_frequency, dtype=np.float64))) + 1.0


def round_score(score):
    return np.round(score, SCORE_DECIMALS)


# Availability: a week as 168 hour bits, bit = day * 24 + hour.


def slot_mask(slots) -> int:
    """Hours touched by slots like "mon 09:00-13:00" as one 168-bit integer; bad slots are skipped."""
    mask = 0
    for slot in slots or []:
        parsed = vocab.parse_slot(str(slot)) if isinstance(slot, str) else None
        if not parsed:
            continue
        day, start, end = parsed
        for hour in range(start // 60, math.ceil(end / 60)):
            mask |= 1 << (day * 24 + hour)
    return mask


def mask_words(mask: int, words: int) -> list[int]:
    return [(mask >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(words)]


def popcount(value: int) -> int:
    return int(value).bit_count()


# Free text: a small tokenizer, so token ids can be computed once per profile.

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_STOP = frozenset(
    [
        "a",
        "about",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "do",
        "for",
        "from",
        "get",
        "go",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "like",
        "me",
        "more",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "she",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)


def words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall((text or "").lower()) if w not in _STOP]
