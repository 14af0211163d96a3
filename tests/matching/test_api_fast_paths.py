"""The matches API's cheaper reads give what the plain ORM reads give, and blocks still count at once."""

import dataclasses
import random

import pytest
from django.db.models import Q

from matching import selectors, services
from matching.scoring import explain
from profiles import services as profile_services
from profiles import vocabulary as vocab
from profiles.models import Block, Connection, OrganisationMembership, Profile, User
from tests.factories import OrganisationFactory, UserFactory, make_profile


def reference_viewer_context(viewer, seeker_profile) -> dict:
    """The viewer context as it was read before: one ORM query per person and per relation."""
    people = {u for u in (viewer.pk if viewer and viewer.is_authenticated else None, seeker_profile.user_id) if u}
    hidden = set()
    for person in people:
        hidden |= Block.user_ids_hidden_from(person)
    context = {"excluded_user_ids": hidden | people}
    if viewer is not None and viewer.is_authenticated:
        pairs = Connection.objects.filter(Q(user_low=viewer) | Q(user_high=viewer)).values_list(
            "user_low_id", "user_high_id"
        )
        context.update(
            viewer_id=viewer.pk,
            viewer_connection_ids={a if b == viewer.pk else b for a, b in pairs},
            viewer_coordinator_org_ids=set(
                viewer.memberships.filter(role=OrganisationMembership.Role.COORDINATOR).values_list(
                    "organisation_id", flat=True
                )
            ),
        )
    return context


@pytest.fixture
def tangled(db):
    """A seeker, a proxy acting for them, and blocks, connections and memberships pointing both ways."""
    seeker_user, proxy, others = UserFactory(), UserFactory(), [UserFactory() for _ in range(6)]
    seeker = make_profile(seeker_user, role="seeker", postcode="BB1")
    profile_services.proxy_link_create(seeker=seeker_user, proxy_email=proxy.email)
    profile_services.block_create(blocker=seeker_user, blocked=others[0])
    profile_services.block_create(blocker=others[1], blocked=seeker_user)
    profile_services.block_create(blocker=proxy, blocked=others[2])
    profile_services.block_create(blocker=others[3], blocked=others[4])  # between two others: hides nobody here
    profile_services.connection_create(a=proxy, b=others[3])
    profile_services.connection_create(a=others[5], b=proxy)
    profile_services.connection_create(a=seeker_user, b=others[4])  # the seeker's, not the viewer's
    coordinated, volunteered = OrganisationFactory(), OrganisationFactory()
    profile_services.organisation_add_coordinator(organisation=coordinated, user=proxy)
    OrganisationMembership.objects.create(
        user=proxy, organisation=volunteered, role=OrganisationMembership.Role.VOLUNTEER
    )
    return seeker, proxy, others


def test_the_viewer_context_is_what_the_orm_reads_give(tangled):
    seeker, proxy, others = tangled
    for viewer in (proxy, seeker.user, others[3], None):
        assert services._viewer_context(viewer, seeker) == reference_viewer_context(viewer, seeker)
    context = services._viewer_context(proxy, seeker)
    assert {others[0].pk, others[1].pk, others[2].pk} <= context["excluded_user_ids"]
    assert others[4].pk not in context["excluded_user_ids"]
    assert context["viewer_connection_ids"] == {others[3].pk, others[5].pk}
    assert len(context["viewer_coordinator_org_ids"]) == 1


def test_the_viewer_context_of_someone_with_no_ties_is_just_themselves(db):
    seeker = make_profile(role="seeker", postcode="BB1")
    context = services._viewer_context(seeker.user, seeker)
    assert context == reference_viewer_context(seeker.user, seeker)
    assert context["excluded_user_ids"] == {seeker.user_id}


def test_the_own_seeker_profile_is_the_persons_seeker_profile_with_every_field(db):
    user = UserFactory()
    assert selectors.own_seeker_profile(user) is None
    make_profile(user, role="pa", postcode="BB1")
    first = make_profile(user, role="seeker", postcode="BB2", seeking={"max_km": 12}, about="Gardening and music.")
    make_profile(UserFactory(), role="seeker", postcode="BB1")
    found = selectors.own_seeker_profile(user)
    expected = user.profiles.filter(role=Profile.Role.SEEKER).first()
    assert found.pk == expected.pk == first.pk
    for field in Profile._meta.concrete_fields:  # the deferred ones load when read
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name


def test_a_result_as_a_dict_is_what_asdict_gives(busy_register, seeker_user):
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 25, "skills": ["personal_care"]}
    )
    results = services.match_rank(seeker_profile_or_query=seeker, viewer=seeker_user, top=10)
    assert results
    for result in results:
        as_dict = result.as_dict()
        assert as_dict == dataclasses.asdict(result)
        assert list(as_dict) == [f.name for f in dataclasses.fields(result)]
        assert as_dict["reasons"] is not result.reasons and as_dict["factors"] is not result.factors


def reference_availability_reason(both: int) -> str:
    """Hour by hour, as the reason was first written."""
    phrases = []
    for day, day_name in enumerate(vocab.DAY_NAMES.values()):
        for start, end, part in explain.PARTS_OF_DAY:
            if any(both >> (day * 24 + h) & 1 for h in range(start, end)):
                phrases.append(f"{day_name} {part}")
    return f"free on {explain._join(phrases[:3])}" if phrases else ""


class _Has:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def test_the_availability_reason_matches_the_hour_by_hour_reference():
    rng = random.Random(3)
    for n in range(3000):
        sparse = sum(1 << rng.randrange(168) for _ in range(rng.randrange(5)))
        dense = rng.getrandbits(168) & rng.getrandbits(168)
        mine, theirs = (sparse, dense) if n % 2 else (dense, rng.getrandbits(168))
        item = _Has(candidate=_Has(availability=theirs))
        assert explain.availability_reason(_Has(availability=mine), item) == reference_availability_reason(
            mine & theirs
        )


@pytest.mark.parametrize("who_blocks", ["seeker", "supporter"])
def test_a_block_takes_effect_on_the_very_next_api_search_and_an_unblock_too(
    client, busy_register, seeker_user, who_blocks
):
    make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 25})
    near = make_profile(
        role="pa", postcode="BB1", travel_km=20, skills=["personal_care"], display_name="Near Neighbour"
    )
    client.force_login(seeker_user)

    def refs():
        response = client.get("/api/v1/matches/", {"top": 100})
        assert response.status_code == 200
        return {row["ref"] for row in response.json()}

    assert near.ref in refs()
    blocker, blocked = (seeker_user, near.user) if who_blocks == "seeker" else (near.user, seeker_user)
    profile_services.block_create(blocker=blocker, blocked=blocked)
    assert near.ref not in refs()
    profile_services.block_remove(blocker=blocker, blocked=blocked)
    assert near.ref in refs()


def test_a_proxy_never_sees_people_blocked_by_the_seeker_they_act_for(client, busy_register, seeker_user):
    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 25})
    near = make_profile(role="pa", postcode="BB1", travel_km=20)
    proxy = UserFactory()
    profile_services.proxy_link_create(seeker=seeker_user, proxy_email=proxy.email)
    client.force_login(proxy)
    found = {row["ref"] for row in client.get("/api/v1/matches/", {"profile": seeker.pk, "top": 100}).json()}
    assert near.ref in found
    profile_services.block_create(blocker=seeker_user, blocked=near.user)
    found = {row["ref"] for row in client.get("/api/v1/matches/", {"profile": seeker.pk, "top": 100}).json()}
    assert near.ref not in found
    assert User.objects.filter(pk=near.user_id).exists()
