"""Named API tokens people make on their account page: shown once, stored hashed, expiring, revocable,
listed with their last use, and ended by a password change or reset or by deleting the account."""

from __future__ import annotations

import hashlib
import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from profiles import tokens
from profiles.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MY_DATA = "/api/v1/me/data/"
PAGE = "/me/api-tokens/"


def api(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def make_on_page(client, name="Budget spreadsheet", days=90) -> str:
    page = client.post(PAGE, {"name": name, "days": days}).content.decode()
    found = re.search(r'id="new-token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="new-token"', page)
    assert found, "the new token is not shown on the page"
    return found.group(1) or found.group(2)


@pytest.fixture
def person(db):
    return UserFactory(preferred_name="Nia")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def test_the_account_page_links_to_api_tokens(signed_in):
    assert PAGE in signed_in.get(reverse("profiles:dashboard")).content.decode()


def test_a_token_made_on_the_account_page_is_shown_once_works_and_is_stored_only_hashed(signed_in, person):
    raw = make_on_page(signed_in)
    assert raw.startswith("oc_") and len(raw) > 40
    assert api(raw).get(MY_DATA).json()["account"]["email"] == person.email
    # Nowhere in the token table, in any column, is the token itself: only its SHA-256 digest.
    token = ApiToken.objects.get(user=person)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert all(raw not in str(value) for value in ApiToken.objects.filter(user=person).values_list().get())
    # The list shows its name and first characters, never the token again.
    listing = signed_in.get(PAGE).content.decode()
    assert "Budget spreadsheet" in listing and token.prefix in listing and raw not in listing


@pytest.mark.parametrize("days", [30, 90, 365])
def test_the_person_chooses_how_long_it_works(signed_in, person, days):
    make_on_page(signed_in, days=days)
    token = ApiToken.objects.get(user=person)
    assert abs((token.expires_at - token.created_at) - timedelta(days=days)) < timedelta(seconds=1)


def test_a_bad_choice_or_missing_name_is_explained_and_makes_nothing(signed_in, person):
    page = signed_in.post(PAGE, {"name": "", "days": 7}).content.decode()
    assert "There is a problem" in page
    assert "Give the token a name" in page or "This field is required" in page
    assert not ApiToken.objects.filter(user=person).exists()


def test_an_expired_token_is_refused_and_says_what_to_do(signed_in, person):
    raw = make_on_page(signed_in, days=30)
    ApiToken.objects.filter(user=person).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api(raw).get(MY_DATA)
    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"] and "account page" in response.json()["detail"]
    assert "Expired on" in signed_in.get(PAGE).content.decode()


def test_revoking_on_the_page_stops_the_token_at_once(signed_in, person):
    raw = make_on_page(signed_in)
    client = api(raw)
    assert client.get(MY_DATA).status_code == 200
    token = ApiToken.objects.get(user=person)
    response = signed_in.post(reverse("profiles:api-token-revoke", args=[token.pk]), follow=True)
    assert "is revoked" in response.content.decode()
    refused = client.get(MY_DATA)
    assert refused.status_code in (401, 403) and "revoked" in refused.json()["detail"]


def test_someone_elses_token_cannot_be_revoked_and_answers_404(client, person):
    theirs = tokens.api_token_create(user=UserFactory(), name="Theirs")
    client.force_login(person)
    assert client.post(reverse("profiles:api-token-revoke", args=[theirs.token.pk])).status_code == 404
    assert api(theirs.raw).get(MY_DATA).status_code == 200


def test_the_list_shows_when_each_token_was_last_used(signed_in, person):
    raw = make_on_page(signed_in)
    assert "Never" in signed_in.get(PAGE).content.decode()
    api(raw).get(MY_DATA)
    token = ApiToken.objects.get(user=person)
    assert token.last_used_at is not None
    page = signed_in.get(PAGE).content.decode()
    assert "Never" not in page and token.last_used_at.strftime("%Y") in page


def test_changing_the_password_on_its_page_revokes_every_token(signed_in, person):
    first, second = make_on_page(signed_in, name="One"), make_on_page(signed_in, name="Two")
    response = signed_in.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct horse battery",
            "password1": "a new long passphrase 42",
            "password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302
    for raw in (first, second):
        assert api(raw).get(MY_DATA).status_code in (401, 403)


def test_a_password_reset_revokes_every_token(person):
    from allauth.account.signals import password_reset

    new = tokens.api_token_create(user=person, name="Phone")
    password_reset.send(sender=type(person), request=None, user=person)
    assert api(new.raw).get(MY_DATA).status_code in (401, 403)


def test_deleting_the_account_ends_its_tokens(signed_in, person):
    raw = make_on_page(signed_in)
    signed_in.post(reverse("profiles:account-delete"), {"confirm": "yes"})
    assert api(raw).get(MY_DATA).status_code in (401, 403)
    assert not ApiToken.objects.filter(digest=hashlib.sha256(raw.encode()).hexdigest()).exists()


def test_a_person_can_hold_only_so_many_working_tokens(person):
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.api_token_create(user=person, name=f"Token {n}")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Revoke one"):
        tokens.api_token_create(user=person, name="One too many")


def test_old_drf_tokens_become_hashed_named_tokens_and_the_raw_keys_are_deleted(person):
    """The migration (profiles 0005) keeps an existing rest_framework.authtoken key working, hashed."""
    from django.apps import apps

    migration = importlib.import_module("profiles.migrations.0005_api_tokens")
    table = connection.ops.quote_name(migration.LEGACY_TABLE)
    key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE {table} ("key" varchar(40) PRIMARY KEY, "user_id" integer, "created" timestamp)')
        cursor.execute(
            f'INSERT INTO {table} ("key", "user_id", "created") VALUES (%s, %s, %s)', [key, person.pk, timezone.now()]
        )
    try:
        migration.move_legacy_tokens(apps, SimpleNamespace(connection=connection))  # all it reads of the schema editor
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
    assert api(key).get(MY_DATA).json()["account"]["email"] == person.email
    token = ApiToken.objects.get(user=person)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest() and token.name == migration.LEGACY_NAME
