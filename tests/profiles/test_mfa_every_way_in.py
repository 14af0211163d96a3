"""Two-step sign-in for privileged roles applies to every way in: pages, the API with a session, and the
API with a token. One rule (profiles.authentication.second_factor_missing) decides for all three."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.test import APIClient

from profiles.authentication import SECOND_FACTOR_NEEDED, second_factor_missing
from profiles.services import organisation_add_coordinator
from profiles.tokens import api_token_create
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = pytest.mark.django_db
REFERRALS = "/api/v1/coordinator/referrals/"
MY_DATA = "/api/v1/me/data/"


def coordinator():
    user = UserFactory(preferred_name="Cora")
    organisation_add_coordinator(organisation=OrganisationFactory(), user=user)
    return user


def panel_member():
    from ratings.models import Panel, PanelMember

    user = UserFactory(preferred_name="Pat")
    panel = Panel.objects.create(name="Pennine Panel", organisation=OrganisationFactory(), criteria="Kind and on time.")
    PanelMember.objects.create(panel=panel, user=user, kind="employer")
    return user


PRIVILEGED = {
    "coordinator": coordinator,
    "moderator": lambda: UserFactory(is_moderator=True),
    "panel member": panel_member,
    "staff": lambda: UserFactory(is_staff=True),
}


def with_second_factor(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='Script').raw}")
    return client


def test_a_coordinator_token_without_a_second_factor_is_refused_with_what_to_do():
    response = token_client(coordinator()).get(REFERRALS)
    assert response.status_code == 403
    assert response.json()["detail"] == SECOND_FACTOR_NEEDED
    assert "two-step sign-in" in SECOND_FACTOR_NEEDED and "account page" in SECOND_FACTOR_NEEDED


def test_the_same_coordinator_token_works_once_they_have_a_second_factor():
    person = coordinator()
    client = token_client(person)
    assert client.get(REFERRALS).status_code == 403
    with_second_factor(person)
    assert client.get(REFERRALS).status_code == 200


@pytest.mark.parametrize("role", PRIVILEGED)
def test_every_privileged_role_needs_a_second_factor_on_every_way_in(client, role):
    person = PRIVILEGED[role]()
    # The API with a token: refused on any endpoint, with the plain message.
    by_token = token_client(person).get(MY_DATA)
    assert by_token.status_code == 403 and by_token.json()["detail"] == SECOND_FACTOR_NEEDED
    # The API with a session: the same answer.
    client.force_login(person)
    by_session = client.get(MY_DATA)
    assert by_session.status_code == 403 and by_session.json()["detail"] == SECOND_FACTOR_NEEDED
    # Pages: sent to set one up.
    page = client.get(reverse("profiles:dashboard"))
    assert page.status_code == 302 and reverse("mfa_activate_totp") in page["Location"]
    # With a second factor, all three let them in.
    with_second_factor(person)
    assert token_client(person).get(MY_DATA).status_code == 200
    assert client.get(MY_DATA).status_code == 200
    assert client.get(reverse("profiles:dashboard")).status_code == 200


@pytest.mark.parametrize("role", ["seeker", "pa", "peer_advisor", "broker"])
def test_people_in_other_roles_use_tokens_without_a_second_factor(role):
    person = make_profile(role=role).user
    assert token_client(person).get(MY_DATA).status_code == 200


def test_a_panel_member_who_left_the_panel_no_longer_needs_one():
    person = panel_member()
    assert second_factor_missing(person.pk)
    person.panel_seats.update(left_at="2026-01-01T00:00:00Z")
    assert not second_factor_missing(person.pk)
    assert token_client(person).get(MY_DATA).status_code == 200


@pytest.mark.parametrize("role", [*PRIVILEGED, "seeker"])
def test_the_enforced_rule_agrees_with_the_roles_people_are_shown(role):
    person = PRIVILEGED[role]() if role in PRIVILEGED else make_profile(role="seeker").user
    fresh = type(person).objects.get(pk=person.pk)
    assert second_factor_missing(person.pk) == fresh.needs_mfa
    with_second_factor(person)
    assert not second_factor_missing(person.pk)
