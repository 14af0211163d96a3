"""The register's browse page and API read through the match index: the same listings, in the same order,
as a plain reading of the database (the reference below, kept in the tests only), on randomised registers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import live
from matching.register import register_search
from profiles import locality, services
from profiles import vocabulary as vocab
from profiles.models import Block, Profile
from profiles.selectors import RegisterQuery
from tests.factories import UserFactory, make_profile

POSTCODES = ["BB1", "BB2", "BB3", "BB4", "BB5", "M1", "M4", "LS1", "OL1", "BD1"]
SKILLS = list(vocab.SKILLS)[:6]
LANGUAGES = ["en", "pl", "ur", "bfi"]
INTERESTS = list(vocab.INTERESTS)[:6]
SLOTS = ["mon 09:00-13:00", "tue 14:00-18:00", "sat 10:00-12:00", "sun 18:00-22:00"]


def reference(*, viewer, query: RegisterQuery) -> list[tuple[str, float | None]]:
    """Every listed supporter checked one by one in Python (the pre-index implementation)."""
    hidden = Block.user_ids_hidden_from(viewer.pk) if viewer is not None else set()
    out = []
    for p in Profile.objects.listed().filter(role__in=[query.role] if query.role else vocab.SUPPORTER_ROLES):
        if p.user_id in hidden or (
            query.max_rate is not None and p.hourly_rate is not None and p.hourly_rate > query.max_rate
        ):
            continue
        if query.skills and not set(query.skills) <= set(p.skills):
            continue
        if query.languages and not set(query.languages) <= set(p.languages):
            continue
        if query.interests and not set(query.interests) & set(p.interests):
            continue
        if query.day and not any(slot.startswith(query.day) for slot in p.availability):
            continue
        km = None
        if query.near:
            km = locality.distance_km(query.near.latitude, query.near.longitude, p.latitude, p.longitude)
            if query.within_km and km > query.within_km:
                continue
        out.append((p, km))
    if query.sort == "rate":
        out.sort(key=lambda t: (t[0].hourly_rate is None, t[0].hourly_rate or 0, t[0].pk))
    elif query.sort == "newest":
        out.sort(key=lambda t: -t[0].pk)
    else:
        out.sort(key=lambda t: (t[1] is None, t[1] or 0, t[0].pk))
    return [(p.ref, km) for p, km in out]


@pytest.fixture
def random_register(db):
    rng = random.Random(11)
    people = []
    for _i in range(120):
        role = rng.choice(["pa", "peer_advisor", "broker", "seeker"])
        profile = make_profile(
            role=role,
            postcode=rng.choice(POSTCODES),
            listed=rng.random() > 0.15,
            skills=rng.sample(SKILLS, rng.randint(0, 3)),
            languages=rng.sample(LANGUAGES, rng.randint(0, 2)),
            interests=rng.sample(INTERESTS, rng.randint(0, 3)),
            availability=rng.sample(SLOTS, rng.randint(0, 2)),
            hourly_rate=None
            if role in ("peer_advisor", "seeker")
            else Decimal(rng.choice(["12.71", "15.00", "18.50", "25.00"])),
        )
        people.append(profile)
    return people


def random_queries(n: int, seed: int):
    rng = random.Random(seed)
    for _ in range(n):
        place = locality.locate(rng.choice(POSTCODES)) if rng.random() < 0.7 else None
        yield RegisterQuery(
            role=rng.choice(["", "pa", "peer_advisor", "broker"]),
            near=place,
            within_km=rng.choice([None, 3, 8, 16, 40]) if place else None,
            skills=rng.sample(SKILLS, rng.randint(0, 1)),
            languages=rng.sample(LANGUAGES, rng.randint(0, 1)),
            interests=rng.sample(INTERESTS, rng.randint(0, 2)),
            day=rng.choice(["", "", "mon", "sat"]),
            max_rate=rng.choice([None, Decimal("16.00")]),
            sort=rng.choice(["distance", "rate", "newest"]),
        )


def engine_page(query, viewer=None, size=1000):
    return [(item.profile.ref, item.distance_km) for item in register_search(viewer=viewer, query=query)[0:size]]


def assert_same(got, expected):
    assert [ref for ref, _ in got] == [ref for ref, _ in expected]
    for (_, a), (_, b) in zip(got, expected, strict=True):
        assert (a is None) == (b is None) and (a is None or abs(a - b) < 0.01)


def test_the_engine_gives_the_references_listings_in_the_same_order(random_register):
    for query in random_queries(60, seed=5):
        assert_same(engine_page(query), reference(viewer=None, query=query))


def test_pages_of_results_join_up_to_the_whole_list(random_register):
    query = RegisterQuery(near=locality.locate("BB1"), sort="distance")
    results = register_search(viewer=None, query=query)
    pages = [item.profile.ref for start in range(0, len(results), 7) for item in results[start : start + 7]]
    assert pages == [ref for ref, _ in reference(viewer=None, query=query)]
    assert len(results) == len(pages)


def test_blocks_both_ways_and_changes_after_the_first_search_are_reflected(random_register):
    viewer = UserFactory()
    listed = [p for p in random_register if p.is_listed and p.is_supporter]
    blocked, blocker, paused = listed[0], listed[1], listed[2]
    services.block_create(blocker=viewer, blocked=blocked.user)
    services.block_create(blocker=blocker.user, blocked=viewer)
    services.profile_pause(profile=paused, actor=paused.user)
    query = RegisterQuery(sort="newest")
    got = engine_page(query, viewer=viewer)
    assert_same(got, reference(viewer=viewer, query=query))
    refs = {ref for ref, _ in got}
    assert blocked.ref not in refs and blocker.ref not in refs and paused.ref not in refs


def test_a_page_reads_only_its_own_listings_from_the_database(random_register):
    live.get_index()
    query = RegisterQuery(near=locality.locate("BB1"), sort="rate")
    with CaptureQueriesContext(connection) as queries:
        results = register_search(viewer=None, query=query)
        page = results[0:5]
    assert len(page) == 5
    statements = " ".join(q["sql"] for q in queries.captured_queries)
    # the catch-up check, the page's profiles, and their claims: never every listing
    assert len(queries.captured_queries) <= 4, statements
    assert "LIMIT" in statements.upper() or " IN (" in statements.upper()
