""" "Why is X not in my matches?" starts from a name: it offers only people the register shows and the
matches do not, and the answer never says more about anyone than the register does."""

from decimal import Decimal

import pytest

from profiles import services as profile_services
from tests.factories import make_profile

URL = "/matches/why-not/"


@pytest.fixture
def seeker(seeker_user):
    return make_profile(seeker_user, role="seeker", postcode="BB1", listed=False, seeking={"max_km": 25})


@pytest.fixture
def near(db):
    return make_profile(role="pa", postcode="BB2", display_name="Alex Near", travel_km=25)


@pytest.fixture
def far(db):
    return make_profile(role="pa", postcode="PR1", display_name="Alex Far", travel_km=5, hourly_rate=Decimal("14.00"))


def test_a_name_lists_only_people_not_in_the_matches_and_explains_the_one_chosen(client, seeker, near, far):
    client.force_login(seeker.user)
    page = client.get(URL, {"name": "alex"}).content.decode()
    assert f'value="{far.ref}"' in page  # offered as a choice
    assert f'value="{near.ref}"' not in page  # in the matches: not offered...
    assert "Already in your matches: Alex Near" in page  # ...and said so

    page = client.get(URL, {"name": "alex", "person": far.ref}).content.decode()
    assert "Alex Far is left out because" in page and "They travel up to 5 km" in page


def test_a_reference_typed_or_carried_in_a_web_address_is_not_explained(client, seeker, near, far):
    client.force_login(seeker.user)
    # The old way in (a reference in the address) explains nothing.
    page = client.get(URL, {"ref": far.ref}).content.decode()
    assert "left out because" not in page and "Alex Far" not in page
    # A reference that is not among the people listed for the name is refused with what to do.
    for name, ref in (("alex", near.ref), ("nobody", far.ref), ("alex", "pa-made-up-123")):
        response = client.get(URL, {"name": name, "person": ref})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Choose one of the people listed" in page and "left out because" not in page


@pytest.mark.parametrize("hide", ["paused", "draft", "blocked_by_them", "blocked_by_me", "seeker"])
def test_people_the_register_does_not_show_are_never_listed_or_explained(client, seeker, far, hide):
    if hide == "draft":
        hidden = make_profile(role="pa", postcode="PR1", display_name="Alex Hidden", listed=False)
    elif hide == "seeker":
        hidden = make_profile(role="seeker", postcode="PR1", display_name="Alex Hidden", listed=False)
    else:
        hidden = make_profile(role="pa", postcode="PR1", display_name="Alex Hidden", travel_km=5)
    if hide == "paused":
        profile_services.profile_pause(profile=hidden, actor=hidden.user)
    elif hide == "blocked_by_them":
        profile_services.block_create(blocker=hidden.user, blocked=seeker.user)
    elif hide == "blocked_by_me":
        profile_services.block_create(blocker=seeker.user, blocked=hidden.user)
    client.force_login(seeker.user)
    page = client.get(URL, {"name": "alex"}).content.decode()
    assert f'value="{far.ref}"' in page
    assert "Alex Hidden" not in page and hidden.ref not in page
    page = client.get(URL, {"name": "alex", "person": hidden.ref}).content.decode()
    assert "Choose one of the people listed" in page and "Alex Hidden" not in page


def test_a_name_that_is_too_short_says_what_to_do(client, seeker, far):
    client.force_login(seeker.user)
    page = client.get(URL, {"name": "a"}).content.decode()
    assert "There is a problem" in page and "at least 2 characters" in page
    assert "Alex Far" not in page
    page = client.get(URL, {"name": "zzzz"}).content.decode()
    assert "Nobody on the register with that name is missing from your matches" in page


def test_the_link_from_a_profile_page_lands_on_the_name_search_with_them_listed(client, seeker, far):
    # profile_matching.html links to ?name=<their name> (tests/matching/test_shortlist.py checks the link).
    client.force_login(seeker.user)
    page = client.get("/matches/why-not/?name=Alex%20Far").content.decode()
    assert f'value="{far.ref}"' in page
