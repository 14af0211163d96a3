"""API clients that send ``Authorization: Token <token>`` (profiles/authentication.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from profiles import tokens
from profiles.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MY_DATA = "/api/v1/me/data/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def new_token(user, name="Script") -> tokens.NewToken:
    return tokens.api_token_create(user=user, name=name)


def test_a_token_signs_its_own_person_in_and_nobody_else():
    me, other = UserFactory(preferred_name="Amina"), UserFactory(preferred_name="Bryn")
    new_token(other)
    response = client_with(new_token(me).raw).get(MY_DATA)
    assert response.status_code == 200
    assert response.json()["account"]["email"] == me.email


def test_an_unknown_token_is_refused_with_a_reason():
    new_token(UserFactory())
    response = client_with("0" * 40).get(MY_DATA)
    assert response.status_code == 403  # DRF answers 403 when session authentication comes first
    assert response.json()["detail"] == "Invalid token."


def test_a_deleted_token_stops_working_on_the_next_request():
    new = new_token(UserFactory())
    client = client_with(new.raw)
    assert client.get(MY_DATA).status_code == 200
    new.token.delete()
    assert client.get(MY_DATA).status_code == 403  # DRF answers 403 when session authentication comes first


def test_a_deactivated_person_is_refused_at_once():
    person = UserFactory()
    client = client_with(new_token(person).raw)
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = client.get(MY_DATA)
    assert response.status_code == 403  # DRF answers 403 when session authentication comes first
    assert response.json()["detail"] == "User inactive or deleted."


def test_the_request_carries_the_token_and_a_fully_usable_person():
    from profiles.authentication import TokenAuthentication

    person = UserFactory(preferred_name="Cerys")
    new = new_token(person, name="Cerys's laptop")
    user, auth = TokenAuthentication().authenticate_credentials(new.raw)
    assert (user.pk, user.preferred_name, user.email, user.is_active) == (person.pk, "Cerys", person.email, True)
    assert user.date_joined == person.date_joined  # converted from the database like any ORM read
    assert (auth.pk, auth.user_id, auth.name, auth.created_at) == (
        new.token.pk,
        person.pk,
        "Cerys's laptop",
        new.token.created_at,
    )


def test_the_lookup_is_one_statement_and_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    from profiles.authentication import TokenAuthentication

    new = new_token(UserFactory())
    with django_assert_num_queries(2):  # the lookup, and the first use recorded
        TokenAuthentication().authenticate_credentials(new.raw)
    with django_assert_num_queries(1):  # the lookup only: last use is less than a minute old
        TokenAuthentication().authenticate_credentials(new.raw)
    ApiToken.objects.filter(pk=new.token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    with django_assert_num_queries(2):
        TokenAuthentication().authenticate_credentials(new.raw)
