"""Seeded synthetic registers and queries, for tests, the bench and ``train_matching --synthetic``.

Built straight as records (no database): people cluster around towns, tags follow skewed
frequencies (so some experiences are rare), and a few free tags appear beside the vocabulary.
"""

from __future__ import annotations

import random

from profiles import locality
from profiles import vocabulary as vocab

from .records import SUPPORTER_ROLES, Candidate, MatchQuery, make_candidate, make_query

WORDS = [
    "walking",
    "gardening",
    "football",
    "music",
    "cooking",
    "reading",
    "art",
    "theatre",
    "cycling",
    "chess",
    "patient",
    "calm",
    "cheerful",
    "experienced",
    "retired",
    "nurse",
    "student",
    "driver",
    "parent",
    "carer",
    "volunteer",
    "countryside",
    "city",
    "church",
    "mosque",
    "temple",
    "allotment",
    "dogs",
    "cats",
    "baking",
    "knitting",
    "photography",
    "history",
    "museum",
    "swimming",
    "fishing",
    "bingo",
    "quiz",
    "crossword",
    "dancing",
    "singing",
    "choir",
    "films",
    "television",
    "radio",
    "podcasts",
    "computers",
    "phones",
    "shopping",
    "markets",
    "coffee",
    "tea",
    "pubs",
    "cafes",
    "library",
    "poetry",
    "writing",
    "languages",
    "travel",
    "trains",
    "buses",
    "birds",
    "nature",
]
LIVED = list(vocab.LIVED_EXPERIENCE)
SKILLS = list(vocab.SKILLS) + list(vocab.BROKERAGE_FUNCTIONS)
INTERESTS = list(vocab.INTERESTS) + [f"hobby_{i}" for i in range(30)]
LANGUAGES = list(vocab.LANGUAGES)
DAYS = vocab.DAYS


def _skewed(rng: random.Random, items: list, k: int) -> list:
    """Items drawn with Zipf-like weights: the first are common, the last rare."""
    weights = [1.0 / (i + 1) for i in range(len(items))]
    return list({*rng.choices(items, weights=weights, k=k)})


def _slots(rng: random.Random, k: int) -> list[str]:
    slots = []
    for _ in range(k):
        start = rng.randint(7, 19)
        slots.append(f"{rng.choice(DAYS)} {start:02d}:00-{min(24, start + rng.randint(2, 5)):02d}:00")
    return slots


def towns(seed: int, count: int | None) -> list[tuple[float, float]]:
    """``count`` made-up towns (dense, for tests), or every real postcode district when None."""
    if count is None:
        return sorted(locality.known_outcodes().values())
    rng = random.Random(seed)
    return [(rng.uniform(50.4, 55.8), rng.uniform(-4.5, 1.2)) for _ in range(count)]


def _place(rng: random.Random, centres) -> tuple[float, float]:
    lat, lon = rng.choice(centres)
    spread = 0.08 if len(centres) < 1000 else 0.015
    return lat + rng.gauss(0, spread), lon + rng.gauss(0, spread * 1.5)


def candidates(n: int, seed: int = 1, *, n_towns: int | None = None, about: bool = True) -> list[Candidate]:
    rng, centres = random.Random(seed), towns(seed, n_towns)
    return [_candidate(rng, centres, i, about) for i in range(n)]


def _candidate(rng: random.Random, centres, i: int, about: bool) -> Candidate:
    role = rng.choice(SUPPORTER_ROLES)
    lat, lon = _place(rng, centres)
    return make_candidate(
        profile_id=i + 1,
        ref=f"syn-{i:07d}",
        role=role,
        lat=lat,
        lon=lon,
        travel_km=None if rng.random() < 0.1 else rng.randint(5, 40),
        rate_pence=None if role == "peer_advisor" else rng.randint(1100, 2600),
        lived=_skewed(rng, LIVED, rng.randint(0, 2)),
        lived_visibility=rng.choice(("signed_in", "connections", "private")),
        skills=_skewed(rng, SKILLS, rng.randint(1, 4)),
        interests=_skewed(rng, INTERESTS, rng.randint(0, 3)),
        languages=["en", *_skewed(rng, LANGUAGES, rng.randint(0, 1))],
        availability=_slots(rng, rng.randint(0, 4)),
        about=" ".join(rng.choices(WORDS, k=rng.randint(3, 12))) if about else "",
        quality_score=rng.random(),
        quality_count=rng.choice((0, 0, 1, 2, 5, 12)),
        user_id=i + 1,
        organisation_id=rng.choice((0, 0, 0, 1, 2, 3)),
        display_name=f"Person {i}",
        outcode="BB1",
    )


def queries(
    n: int, seed: int = 2, *, register_seed: int = 1, register_size: int = 1000, n_towns: int | None = None
) -> list[MatchQuery]:
    rng, centres = random.Random(seed), towns(register_seed, n_towns)
    out = []
    for _ in range(n):
        lat, lon = _place(rng, centres)
        out.append(
            make_query(
                lat=lat,
                lon=lon,
                roles=rng.sample(SUPPORTER_ROLES, rng.randint(1, 3)),
                max_km=rng.choice((None, 5, 10, 15, 25, 40)) if rng.random() < 0.9 else None,
                max_rate_pence=rng.choice((None, 1500, 2000)),
                lived=_skewed(rng, LIVED, rng.randint(0, 2)),
                skills=_skewed(rng, SKILLS, rng.randint(0, 3)),
                interests=_skewed(rng, INTERESTS, rng.randint(0, 2)),
                languages=_skewed(rng, LANGUAGES, rng.randint(0, 1)),
                availability=_slots(rng, rng.randint(0, 3)),
                about=" ".join(rng.choices(WORDS, k=rng.randint(0, 8))),
                must=rng.sample(
                    ["languages", "skills", "interests", "availability", "lived_experience"], rng.choice((0, 0, 1))
                ),
                excluded_user_ids={rng.randint(1, register_size) for _ in range(rng.randint(0, 20))},
                viewer_id=register_size + 10,
                viewer_connection_ids={rng.randint(1, register_size) for _ in range(rng.randint(0, 200))},
                viewer_coordinator_org_ids=rng.choice((set(), {1})),
            )
        )
    return out
