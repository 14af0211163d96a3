"""'Support wanted' adverts: posted by a seeker or their proxy, ranked for supporters, answered, closed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import search_services
from matching.models import Advert, AdvertResponse
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile


def advert_titles(response) -> list[str]:
    return re.findall(r'<h3 id="advert-\d+"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def seeker(db):
    return make_profile(role="seeker", postcode="BB1", display_name="Sue Seeker", listed=False)


@pytest.fixture
def pa(db):
    return make_profile(
        role="pa",
        postcode="BB2",
        display_name="Walking Wendy",
        travel_km=25,
        skills=["personal_care"],
        interests=["walking"],
        availability=["mon 09:00-13:00"],
        hourly_rate=Decimal("15.00"),
    )


def post(seeker, actor=None, **data):
    fields = {"title": "PA wanted for Monday mornings", "what": "Help getting up and out for a walk.", **data}
    return search_services.advert_create(seeker_profile=seeker, actor=actor or seeker.user, **fields)


def test_a_seeker_posts_an_advert_from_the_page(client, seeker):
    client.force_login(seeker.user)
    response = client.post(
        "/adverts/new/",
        {
            "title": "PA wanted",
            "what": "Help with personal care.",
            "availability": "mon 09:00-13:00\nwed 18:00-20:00",
            "roles": ["pa"],
            "skills": ["personal_care"],
            "languages": ["en"],
            "max_km": "10",
            "max_rate": "16.50",
        },
    )
    advert = Advert.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/adverts/{advert.pk}/"
    assert advert.availability == ["mon 09:00-13:00", "wed 18:00-20:00"] and advert.max_rate == Decimal("16.50")
    page = client.get(f"/adverts/{advert.pk}/").content.decode()
    assert "In BB1" in page and "Monday 09:00 to 13:00" in page and "Nobody has responded yet" in page


def test_a_bad_time_slot_is_explained_beside_its_field(client, seeker):
    client.force_login(seeker.user)
    response = client.post("/adverts/new/", {"title": "PA wanted", "what": "Help.", "availability": "mondays"})
    assert response.status_code == 200
    assert "is not a time slot" in response.content.decode()
    assert not Advert.objects.exists()


def test_someone_without_a_seeker_profile_is_sent_to_onboarding(client, pa):
    client.force_login(pa.user)
    assert b"/onboarding/" in client.get("/adverts/new/").content


def test_a_proxy_can_post_for_the_person_they_act_for(client, seeker):
    helper = UserFactory()
    profile_services.proxy_link_create(seeker=seeker.user, proxy_email=helper.email)
    client.force_login(helper)
    client.post("/adverts/new/", {"title": "Broker wanted", "what": "Help with a support plan."})
    advert = Advert.objects.get()
    assert advert.seeker_profile == seeker and advert.created_by == helper


def test_a_stranger_cannot_post_for_someone(seeker):
    with pytest.raises(PermissionDenied):
        post(seeker, actor=UserFactory())


def test_open_adverts_are_ranked_for_a_supporter_with_reasons(client, seeker, pa):
    other = make_profile(role="seeker", postcode="BB1", listed=False)
    post(other, title="Someone to chat with", roles=["pa"])
    post(
        seeker,
        title="Walking buddy wanted",
        skills=["personal_care"],
        interests=["walking"],
        availability=["mon 10:00-12:00"],
    )
    post(other, title="Broker only", roles=["broker"])
    client.force_login(pa.user)
    response = client.get("/adverts/")
    assert advert_titles(response) == ["Walking buddy wanted", "Someone to chat with"]
    page = response.content.decode()
    assert "You both enjoy walking" in page and "You offer personal care" in page
    assert "In BB1" in page


def test_an_advert_over_the_supporters_rate_or_beyond_their_reach_is_left_out(client, seeker, pa):
    post(seeker, title="Cheap", max_rate="12.00")
    far = make_profile(role="seeker", postcode="E1", listed=False)
    post(far, title="Far away")
    client.force_login(pa.user)
    assert advert_titles(client.get("/adverts/")) == []


def test_a_supporter_responds_and_the_owner_sees_it_with_a_reply_link(client, seeker, pa):
    advert = post(seeker)
    client.force_login(pa.user)
    response = client.post(f"/adverts/{advert.pk}/respond/", {"message": "I am free on Mondays and love walking."})
    assert response.status_code == 302
    assert "you have responded" in client.get(f"/adverts/{advert.pk}/").content.decode()
    client.force_login(seeker.user)
    page = client.get(f"/adverts/{advert.pk}/").content.decode()
    assert "I am free on Mondays and love walking." in page
    assert f'href="/register/{pa.ref}/contact/"' in page


def test_responding_twice_or_with_an_empty_message_is_explained(seeker, pa):
    advert = post(seeker)
    with pytest.raises(ValidationError, match="Write a short message"):
        search_services.advert_respond(advert=advert, supporter_profile=pa, actor=pa.user, message="  ")
    search_services.advert_respond(advert=advert, supporter_profile=pa, actor=pa.user, message="Hello")
    with pytest.raises(ValidationError, match="already responded"):
        search_services.advert_respond(advert=advert, supporter_profile=pa, actor=pa.user, message="Hello again")


def test_the_owner_closes_an_advert_and_supporters_no_longer_see_it(client, seeker, pa):
    advert = post(seeker)
    client.force_login(seeker.user)
    client.post(f"/adverts/{advert.pk}/close/")
    advert.refresh_from_db()
    assert advert.status == Advert.Status.CLOSED and advert.closed_at
    client.force_login(pa.user)
    assert advert_titles(client.get("/adverts/")) == []
    assert client.get(f"/adverts/{advert.pk}/").status_code == 404
    with pytest.raises(ValidationError, match="closed"):
        search_services.advert_respond(advert=advert, supporter_profile=pa, actor=pa.user, message="Hello")


def test_only_the_owner_or_their_proxy_can_close_an_advert(client, seeker, pa):
    advert = post(seeker)
    client.force_login(pa.user)
    assert client.post(f"/adverts/{advert.pk}/close/").status_code == 404
    assert client.post(f"/api/v1/adverts/{advert.pk}/close/").status_code == 404
    client.force_login(UserFactory())
    assert client.post(f"/adverts/{advert.pk}/close/").status_code == 404
    advert.refresh_from_db()
    assert advert.status == Advert.Status.OPEN


@pytest.mark.parametrize("who_blocks", ["seeker", "supporter"])
def test_blocked_people_never_see_each_others_adverts(client, seeker, pa, who_blocks):
    advert = post(seeker)
    search_services.advert_respond(advert=advert, supporter_profile=pa, actor=pa.user, message="Hello")
    blocker, blocked = (seeker.user, pa.user) if who_blocks == "seeker" else (pa.user, seeker.user)
    profile_services.block_create(blocker=blocker, blocked=blocked)
    client.force_login(pa.user)
    assert advert_titles(client.get("/adverts/")) == []
    assert client.get(f"/adverts/{advert.pk}/").status_code == 404
    assert client.get("/api/v1/adverts/").json() == []
    assert client.post(f"/api/v1/adverts/{advert.pk}/respond/", {"message": "Hi"}).status_code == 404
    client.force_login(seeker.user)
    assert "Walking Wendy" not in client.get(f"/adverts/{advert.pk}/").content.decode()


def test_the_api_creates_lists_responds_and_closes_through_the_services(client, seeker, pa):
    client.force_login(seeker.user)
    created = client.post(
        "/api/v1/adverts/",
        {
            "title": "PA wanted",
            "what": "Personal care.",
            "skills": ["personal_care"],
            "availability": ["mon 09:00-12:00"],
            "max_rate": "18.00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["outcode"] == "BB1"
    advert_id = created.json()["id"]
    assert [a["id"] for a in client.get("/api/v1/adverts/", {"mine": "1"}).json()] == [advert_id]
    client.force_login(pa.user)
    found = client.get("/api/v1/adverts/").json()
    assert found[0]["advert"]["id"] == advert_id and "you offer personal care" in found[0]["reasons"]
    responded = client.post(f"/api/v1/adverts/{advert_id}/respond/", {"message": "Happy to help."})
    assert responded.status_code == 201 and AdvertResponse.objects.count() == 1
    again = client.post(f"/api/v1/adverts/{advert_id}/respond/", {"message": "Again."})
    assert again.status_code == 400 and "already responded" in again.json()["non_field_errors"][0]
    client.force_login(seeker.user)
    assert client.post(f"/api/v1/adverts/{advert_id}/close/").json()["status"] == "closed"


def test_the_api_rejects_bad_advert_input_with_field_errors(client, seeker):
    client.force_login(seeker.user)
    response = client.post(
        "/api/v1/adverts/", {"title": "", "what": "Help", "max_km": 900}, content_type="application/json"
    )
    assert response.status_code == 400 and {"title", "max_km"} <= set(response.json())
    response = client.post(
        "/api/v1/adverts/",
        {"title": "PA", "what": "Help", "availability": ["someday"], "roles": ["wizard"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and {"availability", "roles"} <= set(response.json())
    assert "is not a time slot" in response.json()["availability"][0]
