"""The peer-support tests' shared fixtures: an organisation, its coordinator (with two-step verification),
another organisation's coordinator, Sara (a seeker), Pat (a peer advisor) and Sara's referral."""

import pytest

from peer_support import services
from profiles.services import organisation_add_coordinator
from tests.factories import OrganisationFactory, UserFactory
from tests.matching.conftest import fresh_matching_state  # noqa: F401  (each test gets its own match index)
from tests.peer_support.people import peer, seeker_profile, with_totp


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Blackburn Peer Support")


@pytest.fixture
def coordinator(organisation):
    user = UserFactory(preferred_name="Cora Coordinator")
    organisation_add_coordinator(organisation=organisation, user=user)
    return with_totp(user)


@pytest.fixture
def other_coordinator(db):
    user = UserFactory(preferred_name="Otto Other")
    organisation_add_coordinator(organisation=OrganisationFactory(name="Preston Peers"), user=user)
    return with_totp(user)


@pytest.fixture
def sara(db):
    return seeker_profile()


@pytest.fixture
def pat(organisation):
    return peer("Pat Peer", organisation, capacity=2)


@pytest.fixture
def referral(sara, pat, organisation):
    return services.referral_create(
        actor=sara.user,
        seeker_profile=sara,
        organisation=organisation,
        what_would_help="Someone who has employed a PA and can explain the paperwork.",
    )
