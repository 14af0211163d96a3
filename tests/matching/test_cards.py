"""Person cards on "Your matches": "you both" chips from the match reasons (lived experience only where the
viewer may see it), "what matters most" as plain choices, "show more" in place, shortlist in place."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from matching.cards import chip, chips
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def test_reasons_become_plain_you_both_chips_and_others_are_left_out():
    assert chip("both enjoy walking and music") == "You both enjoy walking and music"
    assert chip("both visually impaired") == "You are both visually impaired"
    assert chip("both managed a direct payment") == "You have both managed a direct payment"
    assert chip("speaks Polish") == "Speaks your language: Polish"
    assert chip("free on Monday mornings") == "Free when you need: Monday mornings"
    for not_shared in ("about 2 miles away", "offers personal care", "£14.00 an hour", "rated by 3 people"):
        assert chip(not_shared) == ""
    assert len(chips(["both enjoy walking", "speaks Polish", "free on Monday mornings", "both Deaf"])) == 3


@pytest.fixture
def seeker():
    user = UserFactory()
    make_profile(
        user,
        role="seeker",
        postcode="BB1",
        listed=False,
        lived_experience=["visual_impairment"],
        seeking={"interests": ["walking"], "lived_experience": ["visual_impairment"], "max_km": 25},
    )
    return user


def _peer(visibility: str, name: str):
    return make_profile(
        role="peer_advisor",
        postcode="BB2",
        display_name=name,
        travel_km=25,
        interests=["walking"],
        lived_experience=["visual_impairment"],
        lived_experience_visibility=visibility,
    )


def test_shared_lived_experience_is_a_chip_only_where_the_person_lets_the_viewer_see_it(client, seeker):
    shown, hidden = _peer("signed_in", "Shown Peer"), _peer("private", "Hidden Peer")
    client.force_login(seeker)
    page = client.get("/matches/").content.decode()
    cards = dict(re.findall(r'aria-labelledby="match-([^"]+)">(.*?)</article>', page, flags=re.S))
    assert "You are both visually impaired" in cards[shown.ref]
    assert "You both enjoy walking" in cards[shown.ref]
    assert "visually impaired" not in cards[hidden.ref].lower()
    assert "You both enjoy walking" in cards[hidden.ref]


def test_each_card_is_one_link_with_an_initials_avatar_when_there_is_no_photo(client, seeker):
    peer = _peer("signed_in", "Shown Peer")
    client.force_login(seeker)
    page = client.get("/matches/").content.decode()
    card = page[page.index(f'aria-labelledby="match-{peer.ref}"') :]
    card = card[: card.index("</article>")]
    assert card.count('class="card-link"') == 1
    assert '<span class="avatar-initials avatar-' in card and ">SP</span>" in card


def test_what_matters_most_is_a_few_plain_choices_that_change_the_order(client, seeker):
    near = make_profile(role="pa", postcode="BB1", display_name="Near", travel_km=25, hourly_rate=Decimal("20"))
    walker = make_profile(
        role="pa", postcode="BB3", display_name="Walker", travel_km=25, interests=["walking"], hourly_rate=Decimal("20")
    )
    client.force_login(seeker)
    page = client.get("/matches/").content.decode()
    assert page.count('name="matters"') == 6 and '<select name="weight_' not in page
    order = lambda response: re.findall(r'aria-labelledby="match-([^"]+)"', response.content.decode())  # noqa: E731
    assert order(client.get("/matches/", {"matters": "nearby"})).index(near.ref) < order(
        client.get("/matches/", {"matters": "nearby"})
    ).index(walker.ref)
    assert order(client.get("/matches/", {"matters": "interests"}))[0] == walker.ref


def test_show_more_gives_the_next_cards_as_a_fragment_for_htmx_and_a_whole_page_without(client, seeker):
    for i in range(25):
        make_profile(role="pa", postcode="BB1", display_name=f"Helper {i}", travel_km=25, hourly_rate=Decimal("15"))
    client.force_login(seeker)
    first = client.get("/matches/").content.decode()
    assert first.count('class="card match-card"') == 20 and 'href="/matches/?page=2"' in first
    fragment = client.get("/matches/", {"page": "2"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'hx-swap-oob="beforeend:#match-grid"' in fragment
    assert fragment.count('class="card match-card"') == 5
    whole = client.get("/matches/", {"page": "2"}).content.decode()
    assert "<html" in whole and whole.count('class="card match-card"') == 25


def test_shortlisting_with_htmx_answers_with_the_button_in_its_new_state(client, seeker):
    pa = make_profile(role="pa", postcode="BB1", display_name="Pat", travel_km=25)
    client.force_login(seeker)
    response = client.post(f"/shortlist/add/{pa.ref}/", {"next": "/matches/"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Remove from shortlist: Pat" in body and "Pat is on your shortlist." in body
    assert 'name="next" value="/matches/"' in body
    plain = client.post(f"/shortlist/add/{pa.ref}/", {"next": "/matches/"})
    assert plain.status_code == 302 and plain["Location"] == "/matches/"


def test_the_filter_panel_says_how_many_matches_its_choices_give_before_they_are_applied(client, seeker):
    for i in range(3):
        make_profile(role="pa", postcode="BB1", display_name=f"Pa {i}", travel_km=25, interests=["walking"])
    make_profile(role="broker", postcode="BB1", display_name="Broker", travel_km=25)
    client.force_login(seeker)
    page = client.get("/matches/").content.decode()
    assert "These filters give 4 matches." in page
    fragment = client.get("/matches/", {"role": "pa", "count": "1"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().strip().endswith("These filters give 3 matches.</span>")
    bad = client.get("/matches/", {"max_km": "far", "count": "1"}, headers={"HX-Request": "true"})
    assert "Fix the problem in the filters" in bad.content.decode()


def test_a_valid_register_search_that_finds_nobody_says_so_and_keeps_the_filters_closed(client):
    page = client.get("/register/", {"role": "pa", "postcode": "BB1", "within_km": "8"}).content.decode()
    assert "0 results" in page and "Nobody matches these filters yet" in page
    assert "Fix the problem in the filters" not in page
    assert '<details class="filters-panel" id="filters">' in page  # not open over the results


def test_the_register_shows_you_both_chips_to_a_signed_in_seeker_with_the_same_privacy_rule(client, seeker):
    """The register's cards say what a signed-in seeker shares with each person, as their matches do;
    shared lived experience only where that person lets the viewer see it; a visitor sees no chips."""
    shown, hidden = _peer("signed_in", "Shown Peer"), _peer("private", "Hidden Peer")
    anonymous = client.get("/register/", {"postcode": "BB1", "within_km": "40"}).content.decode()
    assert 'class="chips"' not in anonymous
    client.force_login(seeker)
    page = client.get("/register/", {"postcode": "BB1", "within_km": "40"}).content.decode()
    cards = dict(re.findall(r'aria-labelledby="card-([^"]+)">(.*?)</article>', page, flags=re.S))
    assert "You are both visually impaired" in cards[shown.ref]
    assert "You both enjoy walking" in cards[shown.ref]
    assert "visually impaired" not in cards[hidden.ref].lower()
    assert "You both enjoy walking" in cards[hidden.ref]
