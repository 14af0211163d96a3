"""Shortlists: private to their owner, changed through the same service from pages and API."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest

from matching import search_services
from matching.models import Shortlist
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile


@pytest.fixture
def supporter(db):
    return make_profile(role="pa", postcode="BB1", display_name="Sam Support", hourly_rate=Decimal("15.00"))


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def entry(owner, supporter):
    return search_services.shortlist_add(user=owner, profile=supporter)


def test_a_person_shortlists_someone_from_a_card_and_sees_them_on_their_shortlist(client, owner, supporter):
    client.force_login(owner)
    response = client.post(f"/shortlist/add/{supporter.ref}/", {"next": "/matches/?weight_price=2"})
    assert response.status_code == 302 and response["Location"] == "/matches/?weight_price=2"
    page = client.get("/shortlist/").content.decode()
    assert "Sam Support" in page and "Remove from shortlist" in page


def test_shortlisting_twice_keeps_one_entry(owner, supporter):
    search_services.shortlist_add(user=owner, profile=supporter)
    search_services.shortlist_add(user=owner, profile=supporter)
    assert Shortlist.objects.filter(user=owner).count() == 1


def test_the_owner_removes_an_entry(client, owner, entry):
    client.force_login(owner)
    assert client.post(f"/shortlist/{entry.pk}/remove/").status_code == 302
    assert not Shortlist.objects.filter(pk=entry.pk).exists()


def test_the_shortlisted_person_cannot_remove_or_see_the_entry(client, entry, supporter):
    client.force_login(supporter.user)
    assert client.post(f"/shortlist/{entry.pk}/remove/").status_code == 404
    assert "Sam Support" not in client.get("/shortlist/").content.decode()
    assert Shortlist.objects.filter(pk=entry.pk).exists()


def test_a_stranger_gets_404_for_someone_elses_entry_in_pages_and_api(client, entry):
    client.force_login(UserFactory())
    assert client.post(f"/shortlist/{entry.pk}/remove/").status_code == 404
    assert client.delete(f"/api/v1/shortlist/{entry.pk}/").status_code == 404
    assert client.get("/api/v1/shortlist/").json() == []
    assert Shortlist.objects.filter(pk=entry.pk).exists()


def test_the_profile_page_include_shows_the_right_button(rf, owner, supporter):
    from django.template.loader import render_to_string

    request = rf.get(supporter.get_absolute_url())
    request.user = owner
    html = render_to_string(
        "matching/includes/shortlist_button.html", {"profile": supporter, "user": owner, "request": request}
    )
    assert "Add to shortlist" in html
    search_services.shortlist_add(user=owner, profile=supporter)
    html = render_to_string(
        "matching/includes/shortlist_button.html", {"profile": supporter, "user": owner, "request": request}
    )
    assert "Remove from shortlist" in html
    html = render_to_string(
        "matching/includes/profile_matching.html", {"profile": supporter, "user": owner, "request": request}
    )
    assert "Remove from shortlist" in html and f"/matches/why-not/?name={quote(supporter.display_name)}" in html


def test_nobody_shortlists_their_own_listing_or_a_seeker(owner, supporter):
    with pytest.raises(Exception, match="your own listing"):
        search_services.shortlist_add(user=supporter.user, profile=supporter)
    seeker = make_profile(role="seeker", postcode="BB1")
    with pytest.raises(Exception, match="offer support"):
        search_services.shortlist_add(user=owner, profile=seeker)


def test_a_blocked_person_cannot_be_shortlisted_and_drops_off_the_list(client, owner, entry, supporter):
    profile_services.block_create(blocker=supporter.user, blocked=owner)
    client.force_login(owner)
    assert "Sam Support" not in client.get("/shortlist/").content.decode()
    assert client.post(f"/shortlist/add/{supporter.ref}/").status_code == 404
    assert client.post("/api/v1/shortlist/", {"ref": supporter.ref}).status_code == 404


def test_the_api_lists_adds_and_removes_through_the_service(client, owner, supporter):
    client.force_login(owner)
    created = client.post("/api/v1/shortlist/", {"ref": supporter.ref})
    assert created.status_code == 201 and created.json()["ref"] == supporter.ref
    assert [row["ref"] for row in client.get("/api/v1/shortlist/").json()] == [supporter.ref]
    assert client.delete(f"/api/v1/shortlist/{created.json()['id']}/").status_code == 204
    assert client.get("/api/v1/shortlist/").json() == []


def test_the_api_rejects_bad_input_with_field_errors(client, owner, supporter):
    client.force_login(owner)
    response = client.post("/api/v1/shortlist/", {})
    assert response.status_code == 400 and "ref" in response.json()
    response = client.post("/api/v1/shortlist/", {"ref": "no such listing"})
    assert response.status_code == 400 and "ref" in response.json()
    response = client.post("/api/v1/shortlist/", {"ref": "pa-nobody-12345678"})
    assert response.status_code == 404
    own = client.post("/api/v1/shortlist/", {"ref": make_profile(owner, role="pa", postcode="BB1").ref})
    assert own.status_code == 400 and "your own listing" in own.json()["profile"][0]
