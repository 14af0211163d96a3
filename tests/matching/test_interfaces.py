"""The match command and /api/v1/matches/."""

import io
import json

from django.core.management import call_command

from matching.scoring.features import FACTORS
from tests.factories import UserFactory, make_profile


def test_the_match_command_prints_the_documented_json(busy_register, seeker_user):
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 25, "skills": ["personal_care"]}
    )
    out = io.StringIO()
    call_command("match", "--ref", seeker.ref, "--role", "pa", "--top", "5", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 5
    assert all(set(row) == {"ref", "score", "reasons", "factors"} for row in rows)
    assert all(set(row["factors"]) == set(FACTORS) for row in rows)
    assert rows[0]["score"] >= rows[-1]["score"]
    assert {p.ref: p.role for p in busy_register}[rows[0]["ref"]] == "pa"


def test_the_match_command_also_prints_text(busy_register, seeker_user):
    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 25})
    out = io.StringIO()
    call_command("match", "--ref", seeker.ref, "--top", "3", "--format", "text", stdout=out)
    assert out.getvalue().startswith("1. ")


def test_the_api_returns_my_matches_with_names_and_rounded_distances(client, busy_register, seeker_user):
    make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 25})
    client.force_login(seeker_user)
    response = client.get("/api/v1/matches/", {"top": 3, "weights": "locality:2"})
    assert response.status_code == 200
    first = response.json()[0]
    assert {"ref", "score", "reasons", "factors", "display_name", "distance"} <= set(first)
    assert first["distance"].endswith("away")


def test_the_api_answers_404_for_someone_elses_profile(client, busy_register, seeker_user):
    theirs = make_profile(UserFactory(), role="seeker", postcode="BB1")
    make_profile(seeker_user, role="seeker", postcode="BB1")
    client.force_login(seeker_user)
    assert client.get("/api/v1/matches/", {"profile": theirs.pk}).status_code == 404
    assert (
        client.get("/api/v1/matches/why-not/", {"profile": theirs.pk, "ref": busy_register[0].ref}).status_code == 404
    )


def test_the_api_rejects_bad_weights_with_a_clear_message(client, busy_register, seeker_user):
    make_profile(seeker_user, role="seeker", postcode="BB1")
    client.force_login(seeker_user)
    response = client.get("/api/v1/matches/", {"weights": "kindness:2"})
    assert response.status_code == 400
    assert "is not something we match on" in response.json()["weights"][0]
    response = client.get("/api/v1/matches/", {"weights": "locality:lots"})
    assert response.status_code == 400
    assert "a number from 0 to 10" in response.json()["weights"][0]


def test_the_api_explains_why_a_listing_is_left_out(client, busy_register, seeker_user):
    make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"roles": ["broker"]})
    client.force_login(seeker_user)
    pa = next(p for p in busy_register if p.role == "pa")
    response = client.get("/api/v1/matches/why-not/", {"ref": pa.ref})
    assert response.status_code == 200
    assert response.json()["excluded"] is True
    assert "you asked for: independent support broker" in response.json()["reasons"][0]


def test_the_api_needs_a_sign_in(client, db):
    assert client.get("/api/v1/matches/").status_code in (401, 403)


def test_a_hand_written_seeking_block_with_odd_values_does_not_break_matching(client, busy_register, seeker_user):
    make_profile(
        seeker_user,
        role="seeker",
        postcode="BB1",
        seeking={"max_km": "far", "skills": [3, "cooking"], "max_rate_gbp": None, "must": "all"},
    )
    client.force_login(seeker_user)
    response = client.get("/api/v1/matches/")
    assert response.status_code == 200
    assert len(response.json()) == 20
