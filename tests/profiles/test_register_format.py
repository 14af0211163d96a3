"""The interchange serialiser and line reader: one format for the API, the export and the import."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from profiles import register_format, selectors, services
from profiles.register_format import ImportReport, LineRejected, parse_line, profile_record
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def parse(record: dict):
    return parse_line(1, json.dumps(record), ImportReport())


def test_the_public_view_shows_lived_experience_to_the_owner_but_not_to_a_stranger():
    profile = make_profile(lived_experience=["deaf"])
    assert selectors.profile_public_data(profile, profile.user)["lived_experience"] == ["deaf"]
    assert "lived_experience" not in selectors.profile_public_data(profile, UserFactory())
    assert "lived_experience" not in selectors.profile_public_data(profile, None)


def test_what_a_seeker_looks_for_in_lived_experience_is_as_private_as_their_own():
    seeker = make_profile(role="seeker", seeking={"roles": ["peer_advisor"], "lived_experience": ["mental_health"]})
    assert "lived_experience" not in selectors.profile_public_data(seeker, UserFactory())["seeking"]
    assert selectors.profile_public_data(seeker, UserFactory())["seeking"]["roles"] == ["peer_advisor"]


def test_a_rate_is_written_as_the_exact_amount():
    profile = make_profile(hourly_rate=Decimal("13.10"))
    record = profile_record(profile, sensitive=False)
    assert record["hourly_rate_gbp"] == Decimal("13.10")
    assert '"hourly_rate_gbp": 13.1' in register_format.dumps_record(record)
    assert json.loads(register_format.dumps_record(record), parse_float=Decimal)["hourly_rate_gbp"] == Decimal("13.10")


def test_health_details_are_never_part_of_a_record():
    profile = make_profile(lived_experience=["autism"])
    services.sensitive_update(profile=profile, actor=profile.user, health_details="Epilepsy")
    record = profile_record(profile, sensitive=True)
    assert "Epilepsy" not in json.dumps(record) and "health_details" not in record


def test_tags_and_language_codes_are_normalised_like_the_forms_do():
    parsed = parse(
        {
            "ref": "pa-1",
            "role": "pa",
            "display_name": "A B.",
            "outcode": "bb1",
            "skills": ["Personal Care", "driving", "driving"],
            "languages": ["EN", "pl"],
            "availability": [" Mon 09:00-13:00 "],
        }
    )
    assert parsed.profile.skills == ["personal_care", "driving"]
    assert parsed.profile.languages == ["en", "pl"]
    assert parsed.profile.availability == ["mon 09:00-13:00"]


@pytest.mark.parametrize(
    ("fragment", "reason"),
    [
        ('"travel_km": "far"', "travel_km must be a whole number"),
        ('"skills": "cooking"', "skills must be a list"),
        ('"skills": [1, 2]', "every item in skills must be text"),
        ('"hourly_rate_gbp": "12"', "hourly_rate_gbp must be a number"),
        ('"hourly_rate_gbp": 1e400', "is not an amount in pounds"),
        ('"hourly_rate_gbp": 13.555', "at most two decimal places"),
        ('"support_levels": [4]', "Support levels are 1, 2 or 3"),
        ('"languages": ["english"]', "Use two-letter language codes"),
        ('"ref": "has spaces"', "ref:"),
        ('"dbs": {"level": "platinum"}', "dbs.level:"),
        ('"dbs": {"level": "basic", "checked_on": "last year"}', "dbs.checked_on:"),
        ('"travel_km": 900', "travel_km:"),
        ('"display_name": ""', "display_name:"),
    ],
)
def test_a_bad_value_is_rejected_with_a_reason_that_names_the_field(fragment, reason):
    text = '{"ref": "pa-1", "role": "pa", "display_name": "A B.", "outcode": "BB1", ' + fragment + "}"
    with pytest.raises(LineRejected, match=reason):
        parse_line(1, text, ImportReport())


def test_a_json_value_that_is_not_an_object_is_rejected():
    with pytest.raises(LineRejected, match="one JSON object"):
        parse_line(1, "[1, 2]", ImportReport())


def test_every_field_read_from_a_line_is_written_back_the_same():
    record = {
        "ref": "broker-9",
        "role": "broker",
        "display_name": "Sam K.",
        "outcode": "PR1",
        "about": "Plain English.",
        "skills": [],
        "interests": ["music"],
        "languages": ["en", "bfi"],
        "availability": ["tue 10:00-12:00"],
        "travel_km": 25,
        "hourly_rate_gbp": Decimal("20.00"),
        "brokerage_functions": ["advocacy"],
        "support_levels": [1, 3],
        "packages": [{"name": "Plan", "price_gbp": 600, "hours": 30}],
        "independence": {"funding_decisions": False, "provides_direct_support": False, "affiliations": []},
        "dbs": {"level": "basic", "checked_on": "2025-06-01"},
        "lived_experience": ["family_carer"],
    }
    parsed = parse_line(1, register_format.dumps_record(record), ImportReport())
    parsed.profile.full_clean(exclude=["organisation"], validate_unique=False)
    assert profile_record(parsed.profile, sensitive=True) == record
