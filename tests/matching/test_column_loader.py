"""The index is built, and caught up, from columns read straight from the database. Those columns must be
exactly what the per-record path gives (``candidate_from_profile`` then ``columns_from_candidates``), on
randomised registers with awkward data: free tags, repeated and non-string tags, no consent, odd rates."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest

from matching import live
from matching.index import columns_from_candidates
from matching.quality import quality_for
from matching.scoring.features import DEFAULT_WEIGHTS
from matching.scoring.records import candidate_from_profile, make_query
from profiles import changelog
from profiles import vocabulary as vocab
from profiles.models import Profile
from tests.factories import make_profile
from tests.matching import reference

POSTCODES = ["BB1", "BB2", "BB3", "M1", "LS1", "OL1"]
SKILLS = list(vocab.SKILLS)[:5]
INTERESTS = list(vocab.INTERESTS)[:5]
LIVED = list(vocab.LIVED_EXPERIENCE)[:4]
LANGUAGES = ["en", "pl", "ur", "bfi"]
# Tags outside the vocabulary (an import may hold them): each hashes to a free bit.
FREE = {"skills": ["Sign language at home", "sign language at home"], "interests": ["Birdwatching", "allotments"]}
SLOTS = ["mon 09:00-13:00", "tue 14:00-18:00", "sat 10:00-12:00", "sun 18:00-22:00", "not a slot"]
ABOUTS = [
    "",
    "Friendly and reliable, happy to help with everyday things.",
    "I love music, football and cooking; I drive and I am patient.",
    "Ex-nurse. Ex-nurse! Calm, kind, and good with paperwork and benefits forms.",
]


def _random_profile(rng: random.Random, i: int) -> Profile:
    role = rng.choice(["pa", "peer_advisor", "broker", "seeker"])
    profile = make_profile(
        role=role,
        postcode=rng.choice(POSTCODES),
        listed=rng.random() < 0.85,
        travel_km=rng.choice([None, 3, 10, 25, 200]),
        skills=rng.sample(SKILLS, rng.randint(0, 3)),
        interests=rng.sample(INTERESTS, rng.randint(0, 3)),
        languages=rng.sample(LANGUAGES, rng.randint(0, 2)),
        availability=rng.sample(SLOTS[:4], rng.randint(0, 3)),
        hourly_rate=rng.choice([None, Decimal("12.50"), Decimal("15.00"), Decimal("19.99")])
        if role != "peer_advisor"
        else None,
        lived_experience=rng.sample(LIVED, rng.randint(1, 2)) if rng.random() < 0.5 else None,
        lived_experience_visibility=rng.choice(["signed_in", "connections", "private"]),
        about=rng.choice(ABOUTS) + (f" Word{i}" if rng.random() < 0.5 else ""),
    )
    # What the forms never write but an import or an old row may hold: the index must read it the same way.
    odd = rng.random()
    rows = Profile.objects.filter(pk=profile.pk)
    if odd < 0.1:
        rows.update(skills=[SKILLS[0], SKILLS[0], 7, None, *FREE["skills"]], interests=[])
    elif odd < 0.2:
        rows.update(brokerage_functions=["Free brokerage words"], availability=[*SLOTS, 3], languages=["en", "Scots"])
    elif odd < 0.3:
        rows.update(interests=[*FREE["interests"], INTERESTS[0]])
        if profile.has_sensitive_consent:
            rows.update(lived_experience=[*profile.lived_experience, "Long covid"])
    elif odd < 0.35:
        rows.update(sensitive_consent_at=None, lived_experience=[])
    return profile


@pytest.fixture
def random_register(db):
    rng = random.Random(7)
    return [_random_profile(rng, i) for i in range(80)]


def _by_pid(cols: dict) -> dict:
    """Column data in profile-id order, with each row's words as {id: count}."""
    order = np.argsort(cols["pid"], kind="stable")
    indptr, ids, counts = cols["terms"]
    out = {name: np.asarray(value)[order] for name, value in cols.items() if name != "terms"}
    out["terms"] = [
        dict(zip(ids[indptr[i] : indptr[i + 1]].tolist(), counts[indptr[i] : indptr[i + 1]].tolist(), strict=True))
        for i in order.tolist()
    ]
    return out


def _per_record(profiles) -> dict:
    qualities = quality_for(p.pk for p in profiles)
    return columns_from_candidates([candidate_from_profile(p, qualities[p.pk]) for p in profiles])


def test_columns_read_from_the_database_are_the_records_columns(random_register):
    profiles = list(live.indexable())
    assert len(profiles) > 40
    got, expected = _by_pid(live.load_columns()), _by_pid(_per_record(profiles))
    assert set(got) == set(expected)
    for name in expected:
        if name == "terms":
            assert got[name] == expected[name]
        else:
            assert got[name].dtype == expected[name].dtype, name
            assert np.array_equal(got[name], expected[name]), name


def _query(rng: random.Random, postcode_profile: Profile):
    return make_query(
        lat=postcode_profile.latitude,
        lon=postcode_profile.longitude,
        max_km=rng.choice([None, 10, 40]),
        lived=rng.sample(LIVED, rng.randint(0, 2)),
        skills=rng.sample(SKILLS + FREE["skills"], rng.randint(0, 2)),
        interests=rng.sample(INTERESTS + FREE["interests"], rng.randint(0, 2)),
        languages=rng.sample(LANGUAGES, rng.randint(0, 1)),
        availability=rng.sample(SLOTS[:4], rng.randint(0, 2)),
        about=rng.choice(ABOUTS),
        viewer_id=0,
    )


def _top(results):
    return [(r.ref, round(r.score, 9)) for r in results]


@pytest.mark.parametrize("few", [64, 0], ids=["re-read by id", "re-read through the change log"])
def test_an_index_caught_up_from_the_database_ranks_as_the_reference(random_register, monkeypatch, few):
    monkeypatch.setattr(live, "FEW", few)
    rng = random.Random(3)
    live.get_index()  # built now; what follows arrives through the change log into the tail
    changed = rng.sample(random_register, 30)
    for profile in changed[:10]:
        Profile.objects.filter(pk=profile.pk).update(status=Profile.Status.PAUSED)
    for profile in changed[10:20]:
        Profile.objects.filter(pk=profile.pk).update(
            status=Profile.Status.LISTED, about=rng.choice(ABOUTS) + " gardening", travel_km=40
        )
    for profile in changed[20:]:
        Profile.objects.filter(pk=profile.pk).update(skills=rng.sample(SKILLS, 2), interests=FREE["interests"][:1])
    changelog.record_profiles(p.pk for p in changed)
    index = live.get_index()
    assert index.n > index.n_sorted  # the changes sit in the tail
    candidates = [candidate_from_profile(p, quality_for([p.pk])[p.pk]) for p in live.indexable()]
    assert len(index) == len(candidates)
    # Word rarity is fixed at the build, so the reference takes its rarity from the index.
    from matching.index import IndexStats

    stats = IndexStats(index)
    for _ in range(30):
        query = _query(rng, rng.choice(random_register))
        expected = _top(reference.rank(query, candidates, top=20, stats=stats))
        assert _top(index.search(query, weights=DEFAULT_WEIGHTS, top=20)) == expected
