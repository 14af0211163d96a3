"""The lived-experience visibility rule is written once (profiles.sensitive.sensitive_visible).
The profile page (Profile.sensitive_visible_to), the reference scorer (pairwise.lived_visible) and
the match index's compiled loop (matching.kernels.score_rows, vis codes) must agree with it on every
visibility and every kind of viewer: signed out, signed in, a connection, a coordinator of the
supporter's organisation, and the supporter themselves."""

import pytest

from matching.index import MatchIndex
from matching.scoring import pairwise
from matching.scoring.features import DEFAULT_WEIGHTS
from matching.scoring.records import candidate_from_profile, make_query
from profiles import services
from profiles.models import OrganisationMembership, Profile, Visibility
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = pytest.mark.django_db

# What each kind of viewer may see, per visibility: the rule as the people who use it state it.
EXPECTED = {
    Visibility.SIGNED_IN: {
        "anonymous": False,
        "signed_in": True,
        "connection": True,
        "coordinator": True,
        "owner": True,
    },
    Visibility.CONNECTIONS: {
        "anonymous": False,
        "signed_in": False,
        "connection": True,
        "coordinator": True,
        "owner": True,
    },
    Visibility.PRIVATE: {
        "anonymous": False,
        "signed_in": False,
        "connection": False,
        "coordinator": True,
        "owner": True,
    },
}


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    owner = UserFactory()
    profile = make_profile(
        owner, role="peer_advisor", postcode="BB1", travel_km=20, lived_experience=["visual_impairment"]
    )
    Profile.objects.filter(pk=profile.pk).update(organisation=organisation)
    connection, coordinator, stranger = UserFactory(), UserFactory(), UserFactory()
    services.connection_create(a=owner, b=connection)
    OrganisationMembership.objects.create(
        user=coordinator, organisation=organisation, role=OrganisationMembership.Role.COORDINATOR
    )
    viewers = {
        "anonymous": None,
        "signed_in": stranger,
        "connection": connection,
        "coordinator": coordinator,
        "owner": owner,
    }
    return profile, organisation, viewers


def _query(profile, organisation, kind, viewer):
    context = {}
    if viewer is not None:
        context = {
            "viewer_id": viewer.pk,
            "viewer_connection_ids": frozenset({profile.user_id} if kind == "connection" else ()),
            "viewer_coordinator_org_ids": frozenset({organisation.pk} if kind == "coordinator" else ()),
        }
    return make_query(lat=profile.latitude, lon=profile.longitude, lived=["visual_impairment"], **context)


@pytest.mark.parametrize("visibility", list(Visibility))
def test_every_path_agrees_with_the_one_rule(people, visibility):
    profile, organisation, viewers = people
    Profile.objects.filter(pk=profile.pk).update(lived_experience_visibility=visibility)
    profile.refresh_from_db()
    candidate = candidate_from_profile(profile)
    index = MatchIndex([candidate])
    for kind, viewer in viewers.items():
        expected = EXPECTED[visibility][kind]
        assert profile.sensitive_visible_to(viewer, profile.lived_experience_visibility) is expected, (visibility, kind)
        assert (profile.visible_lived_experience(viewer) == ["visual_impairment"]) is expected
        query = _query(profile, organisation, kind, viewer)
        assert pairwise.lived_visible(query, candidate) is expected, (visibility, kind)
        [found] = index.search(query, weights=DEFAULT_WEIGHTS, top=5)
        assert (found.features["lived_experience"] > 0) is expected, (visibility, kind)


def test_without_consent_nobody_else_sees_it_and_search_does_not_use_it(people):
    profile, organisation, viewers = people
    # The database never holds lived experience without consent; a withdrawn consent not yet
    # cleaned up is the case every path must still refuse (in memory only).
    Profile.objects.filter(pk=profile.pk).update(lived_experience_visibility=Visibility.SIGNED_IN)
    profile.refresh_from_db()
    profile.sensitive_consent_at = None
    candidate = candidate_from_profile(profile)
    index = MatchIndex([candidate])
    for kind, viewer in viewers.items():
        assert profile.sensitive_visible_to(viewer, profile.lived_experience_visibility) is False
        query = _query(profile, organisation, kind, viewer)
        assert pairwise.lived_visible(query, candidate) is False
        [found] = index.search(query, weights=DEFAULT_WEIGHTS, top=5)
        assert found.features["lived_experience"] == 0


@pytest.mark.parametrize("visibility", list(Visibility))
def test_the_see_it_as_others_do_preview_follows_the_same_rule(people, visibility):
    profile, _, _ = people
    Profile.objects.filter(pk=profile.pk).update(lived_experience_visibility=visibility)
    profile.refresh_from_db()
    for audience, kind in (("anyone", "anonymous"), ("member", "signed_in"), ("connection", "connection")):
        assert profile.sensitive_visible_to(None, visibility, audience=audience) is EXPECTED[visibility][kind]
