"""API clients that send ``Authorization: Token <key>`` (profiles/authentication.py)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MY_DATA = "/api/v1/me/data/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_signs_its_own_person_in_and_nobody_else():
    me, other = UserFactory(preferred_name="Amina"), UserFactory(preferred_name="Bryn")
    Token.objects.create(user=other)
    response = client_with(Token.objects.create(user=me).key).get(MY_DATA)
    assert response.status_code == 200
    assert response.json()["account"]["email"] == me.email


def test_an_unknown_token_is_refused_with_a_reason():
    UserFactory()
    response = client_with("0" * 40).get(MY_DATA)
    assert response.status_code == 403  # DRF answers 403 when session authentication comes first
    assert response.json()["detail"] == "Invalid token."


def test_a_deleted_token_stops_working_on_the_next_request():
    token = Token.objects.create(user=UserFactory())
    client = client_with(token.key)
    assert client.get(MY_DATA).status_code == 200
    token.delete()
    assert client.get(MY_DATA).status_code == 403  # DRF answers 403 when session authentication comes first


def test_a_deactivated_person_is_refused_at_once():
    person = UserFactory()
    client = client_with(Token.objects.create(user=person).key)
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = client.get(MY_DATA)
    assert response.status_code == 403  # DRF answers 403 when session authentication comes first
    assert response.json()["detail"] == "User inactive or deleted."


def test_the_request_carries_the_token_and_a_fully_usable_person():
    from profiles.authentication import TokenAuthentication

    person = UserFactory(preferred_name="Cerys")
    token = Token.objects.create(user=person)
    user, auth = TokenAuthentication().authenticate_credentials(token.key)
    assert (user.pk, user.preferred_name, user.email, user.is_active) == (person.pk, "Cerys", person.email, True)
    assert user.date_joined == person.date_joined  # converted from the database like any ORM read
    assert (auth.key, auth.user_id, auth.created) == (token.key, person.pk, token.created)
