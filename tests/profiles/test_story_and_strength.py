"""Profiles people want to read: "a bit about me" and up to three answered prompts, edited on the edit page
through profile_update and shown on the listing's page; the profile-strength meter names the missing
details that would bring a supporter into more matches, from what the engine scores on."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from matching import live
from matching.scoring import model
from matching.strength import profile_strength
from profiles import services
from tests.factories import UserFactory, make_profile


@pytest.fixture(autouse=True)
def fresh_weights():
    live.reset_index()
    model.reset_cache()
    yield
    live.reset_index()
    model.reset_cache()


def edit_data(profile, **changes):
    data = {"display_name": profile.display_name, "about": "", "capacity": "1", **changes}
    return {k: v for k, v in data.items() if v is not None}


def test_the_edit_page_saves_prompts_and_the_page_shows_them(client, db):
    pa = make_profile(role="pa", display_name="Priya")
    client.force_login(pa.user)
    response = client.post(
        f"/me/profiles/{pa.pk}/edit/",
        edit_data(
            pa,
            about="I am a calm, cheerful PA who loves the outdoors.",
            prompt_1="good_day",
            answer_1="A walk by the canal, a good lunch and a laugh.",
            prompt_2="best_when",
            answer_2="  I know what matters to the person I support.  ",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pa.refresh_from_db()
    assert pa.prompts == [
        {"prompt": "good_day", "answer": "A walk by the canal, a good lunch and a laugh."},
        {"prompt": "best_when", "answer": "I know what matters to the person I support."},
    ]
    page = client.get(f"/register/{pa.ref}/").content.decode()
    assert "A bit about me" in page and "I am a calm, cheerful PA" in page
    assert "A good day supporting someone looks like..." in page and "A walk by the canal" in page
    assert "I&#x27;m at my best when..." in page
    # The edit page shows the saved answers again.
    form = client.get(f"/me/profiles/{pa.pk}/edit/").content.decode()
    assert "A walk by the canal, a good lunch and a laugh." in form


def test_contact_and_booking_come_before_the_story(client, db):
    pa = make_profile(role="pa", about="Hello, I am Sam.", hourly_rate="15.00")
    client.force_login(UserFactory())
    page = client.get(f"/register/{pa.ref}/").content.decode()
    assert page.index("I'm interested: contact") < page.index("A bit about me")
    assert page.index(f"Book {pa.display_name}") < page.index("A bit about me")


def test_prompt_mistakes_say_what_to_do(client, db):
    pa = make_profile(role="pa")
    client.force_login(pa.user)
    response = client.post(
        f"/me/profiles/{pa.pk}/edit/",
        edit_data(pa, prompt_1="good_day", answer_1="Yes", prompt_2="good_day", answer_2="Again"),
    )
    assert response.status_code == 200
    assert "You answered “A good day supporting someone looks like...” twice" in response.content.decode()
    with pytest.raises(ValidationError, match="Write an answer"):
        services.profile_update(profile=pa, actor=pa.user, data={"prompts": [{"prompt": "best_when", "answer": " "}]})
    with pytest.raises(ValidationError, match="Choose a prompt from the list"):
        services.profile_update(profile=pa, actor=pa.user, data={"prompts": [{"prompt": "made_up", "answer": "x"}]})
    with pytest.raises(ValidationError, match="Answer up to 3"):
        services.profile_update(
            profile=pa,
            actor=pa.user,
            data={
                "prompts": [
                    {"prompt": p, "answer": "x"} for p in ("good_day", "best_when", "people_say", "outside_work")
                ]
            },
        )
    with pytest.raises(ValidationError, match="300 characters or fewer"):
        services.profile_update(
            profile=pa, actor=pa.user, data={"prompts": [{"prompt": "good_day", "answer": "x" * 301}]}
        )


def test_someone_else_cannot_edit_the_prompts(client, db):
    pa = make_profile(role="pa")
    client.force_login(UserFactory())
    response = client.post(f"/me/profiles/{pa.pk}/edit/", edit_data(pa, prompt_1="good_day", answer_1="Mine now"))
    assert response.status_code == 404
    pa.refresh_from_db()
    assert pa.prompts == []


def tips(profile) -> str:
    return " ".join(t.text for t in profile_strength(profile).tips)


def test_the_strength_meter_names_what_is_missing_from_what_matching_uses(db):
    bare = make_profile(role="pa", listed=False)
    strength = profile_strength(bare)
    assert not strength.listed
    text = tips(bare)
    for wanted in ("Add your skills", "Add the languages", "Add the days and times you are free", "rate you"):
        assert wanted in text
    full = make_profile(
        role="pa",
        skills=["personal_care"],
        interests=["walking"],
        languages=["en"],
        availability=["mon 09:00-13:00"],
        about=" ".join(["I enjoy helping people live the way they choose, outdoors and at home."] * 3),
    )
    assert profile_strength(full).percent > strength.percent
    for gone in ("Add your skills", "Add the languages", "Add the days"):
        assert gone not in tips(full)


def test_a_factor_not_counted_today_is_not_suggested(db, monkeypatch):
    from matching import services as matching_services

    bare = make_profile(role="pa")
    assert "Add the languages" in tips(bare)
    weights = {**matching_services.effective_weights(), "languages": 0.0}
    monkeypatch.setattr(matching_services, "effective_weights", lambda multipliers=None: weights)
    assert "Add the languages" not in tips(bare)


def test_the_edit_page_and_dashboard_show_the_meter(client, db):
    pa = make_profile(role="pa")
    client.force_login(pa.user)
    edit = client.get(f"/me/profiles/{pa.pk}/edit/").content.decode()
    assert "profile can be matched" in edit
    assert re.search(r"Details that count in matching: \d+% filled in", edit)
    dashboard = client.get("/me/").content.decode()
    assert "How to come up in more matches" in dashboard


def test_the_api_sets_prompts_through_the_same_service(client, db):
    pa = make_profile(role="pa")
    client.force_login(pa.user)
    url = f"/api/v1/me/profiles/{pa.pk}/"
    response = client.patch(
        url, {"prompts": [{"prompt": "best_when", "answer": "Outdoors."}]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    pa.refresh_from_db()
    assert pa.prompts == [{"prompt": "best_when", "answer": "Outdoors."}]
    twice = client.patch(
        url,
        {"prompts": [{"prompt": "best_when", "answer": "a"}, {"prompt": "best_when", "answer": "b"}]},
        content_type="application/json",
    )
    assert twice.status_code == 400 and "twice" in twice.content.decode()
