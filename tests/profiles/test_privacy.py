import json
import logging

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import reverse

from profiles import services
from profiles.models import ConsentRecord, Profile, User, Visibility
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

CANARY_TAG = "canary_zq81x"
CANARY_TEXT = "CANARY-health-zq81x"


def _sensitive_profile(user, **kwargs):
    profile = make_profile(user, role="peer_advisor", lived_experience=["visual_impairment", CANARY_TAG], **kwargs)
    services.sensitive_update(profile=profile, actor=user, health_details=CANARY_TEXT)
    return profile


def test_lived_experience_needs_consent_first(user):
    profile = make_profile(user, role="peer_advisor")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.sensitive_update(profile=profile, actor=user, lived_experience=["deaf"])


def test_consent_is_recorded_with_time_and_wording_version(user, settings):
    profile = _sensitive_profile(user)
    record = ConsentRecord.objects.get(profile=profile)
    assert record.action == "given" and record.wording_version == settings.SENSITIVE_CONSENT_VERSION
    assert profile.sensitive_consent_at is not None


def test_sensitive_fields_are_visible_only_as_the_person_chooses(user, other_user):
    profile = _sensitive_profile(user)
    stranger = UserFactory()
    services.profile_update(
        profile=profile,
        actor=user,
        data={"lived_experience_visibility": Visibility.CONNECTIONS, "health_details_visibility": Visibility.PRIVATE},
    )
    assert profile.visible_lived_experience(stranger) == []
    services.connection_create(a=user, b=other_user)
    assert "visual_impairment" in profile.visible_lived_experience(other_user)
    assert profile.visible_health_details(other_user) == ""
    assert profile.visible_health_details(user) == CANARY_TEXT


def test_withdrawing_consent_removes_lived_experience_from_search_at_once(client, user, other_user):
    profile = _sensitive_profile(user)
    services.profile_update(profile=profile, actor=user, data={"lived_experience_visibility": Visibility.SIGNED_IN})
    client.force_login(other_user)
    before = client.get("/api/v1/register/", {"postcode": "BB1"}).json()["results"]
    assert any("visual_impairment" in r.get("lived_experience", []) for r in before)
    services.consent_withdraw(profile=profile, actor=user)
    after = client.get("/api/v1/register/", {"postcode": "BB1"}).json()["results"]
    assert [r["ref"] for r in after] == [profile.ref]
    assert "lived_experience" not in after[0]
    profile.refresh_from_db()
    assert profile.lived_experience == [] and profile.health_details == ""


def test_export_contains_every_personal_field(client, user):
    profile = _sensitive_profile(user, skills=["driving"], about="I love walking.")
    client.force_login(user)
    response = client.get(reverse("profiles:data-download"))
    assert response["Content-Disposition"].startswith("attachment")
    export = json.loads(response.content)
    exported_profile = export["profiles"][0]
    skipped = {"id", "user", "latitude", "longitude"}  # location is the district, already exported as outcode
    for field in Profile._meta.concrete_fields:
        if field.name not in skipped:
            assert field.name in exported_profile, f"{field.name} missing from the export"
    assert exported_profile["health_details"] == CANARY_TEXT
    assert CANARY_TAG in exported_profile["lived_experience"]
    assert export["account"]["email"] == user.email
    assert export["profiles"][0]["consent_history"][0]["action"] == "given"
    assert profile.ref == exported_profile["ref"]


def _rows_mentioning(*needles: str) -> list[str]:
    """Every text column of every table that still contains one of the needles."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if field.get_internal_type() not in {"CharField", "TextField", "EmailField", "JSONField", "SlugField"}:
                    continue
                column = connection.ops.quote_name(field.column)
                for needle in needles:
                    cast = f"CAST({column} AS TEXT)"
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {cast} LIKE %s", [f"%{needle}%"]
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{field.column}")
    return found


def test_deleting_an_account_leaves_no_personal_data_behind(client, user):
    _sensitive_profile(user, about="My cat is called Biscuit.")
    email = user.email
    client.force_login(user)
    client.get(reverse("profiles:data-download"))
    response = client.post(reverse("profiles:account-delete"), {"confirm": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(email=email).exists()
    assert _rows_mentioning(email, CANARY_TAG, CANARY_TEXT, "Biscuit") == []


def test_a_canary_in_sensitive_fields_never_reaches_logs_urls_or_emails(client, user, other_user, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(user)
    profile = make_profile(user, role="peer_advisor")
    responses = [client.post(reverse("profiles:sensitive", args=[profile.pk]), {"agree": "on"})]
    responses.append(
        client.post(
            reverse("profiles:sensitive", args=[profile.pk]),
            {
                "lived_experience": ["visual_impairment", CANARY_TAG],
                "lived_experience_visibility": "signed_in",
                "health_details": CANARY_TEXT,
                "health_details_visibility": "private",
            },
        )
    )
    assert responses[-1].status_code == 302, "the sensitive form should have saved"
    assert Profile.objects.get(pk=profile.pk).health_details == CANARY_TEXT
    # A bad submission too: errors must not echo sensitive values into logs either.
    responses.append(
        client.post(
            reverse("profiles:sensitive", args=[profile.pk]),
            {"lived_experience_visibility": "nonsense", "health_details": CANARY_TEXT},
        )
    )
    services.profile_publish(profile=profile, actor=user)
    client.force_login(other_user)
    responses.append(client.get(reverse("profiles:detail", args=[profile.ref])))
    responses.append(client.get("/api/v1/register/", {"postcode": "BB1"}))
    client.force_login(user)
    responses.append(client.get(reverse("profiles:data-download")))
    responses.append(client.post(reverse("account_reset_password"), {"email": user.email}))
    responses.append(client.post(reverse("profiles:consent-withdraw", args=[profile.pk])))
    assert CANARY_TAG in responses[-3].content.decode()  # the person's own export does contain it
    for response in responses:
        for location in (
            response.get("Location") or "",
            response.request["PATH_INFO"],
            response.request.get("QUERY_STRING", ""),
        ):
            assert CANARY_TAG not in location and CANARY_TEXT not in location
    logged = "\n".join(record.getMessage() + str(record.args) for record in caplog.records)
    assert CANARY_TAG not in logged and CANARY_TEXT not in logged
    for message in mail.outbox:
        assert CANARY_TAG not in message.body and CANARY_TEXT not in message.body
        assert CANARY_TAG not in message.subject and CANARY_TEXT not in message.subject
