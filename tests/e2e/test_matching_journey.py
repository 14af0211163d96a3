"""A person looking for support finds a PA on "Your matches", reads why they match, shortlists them
and says "I'm interested". Every page must pass axe-core and reflow; the second test uses the keyboard alone."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from matching import live
from tests.e2e.helpers import _FOCUSED_NAME_JS, check_a11y, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

WALKER = "Wendy Walker"


@pytest.fixture
def seeker_user(transactional_db):
    live.reset_index()  # the index lives for the whole process: build it from this test's data
    user = UserFactory()
    make_profile(
        user,
        role="seeker",
        postcode="BB1",
        listed=False,
        seeking={"interests": ["walking"], "skills": ["personal_care"], "max_km": 25},
    )
    for i, (postcode, interests) in enumerate([("BB1", ["gaming"]), ("BB2", ["music"]), ("BB1", ["football"])]):
        make_profile(
            role="pa",
            postcode=postcode,
            display_name=f"Other PA {i + 1}",
            travel_km=25,
            skills=["personal_care"],
            interests=interests,
            hourly_rate=Decimal("14.00"),
        )
    make_profile(
        role="pa",
        postcode="BB2",
        display_name=WALKER,
        travel_km=25,
        skills=["personal_care"],
        interests=["walking"],
        hourly_rate=Decimal("15.00"),
        dbs_level="enhanced",
    )
    yield user
    live.reset_index()


def wait_for_focus(page, name: str) -> None:
    """Wait until the focused element's accessible name is ``name`` (htmx moves focus once a swap settles)."""
    page.wait_for_function(f"() => ({_FOCUSED_NAME_JS})() === {json.dumps(name)}")


def walker_card(page):
    return page.locator("article.match-card", has=page.get_by_role("heading", name=WALKER))


def test_a_seeker_finds_a_walking_pa_shortlists_them_and_says_they_are_interested(signed_in_page, seeker_user):
    page = signed_in_page(seeker_user)
    visit_and_check(page, "/matches/")
    page.get_by_label("At least one shared interest").check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Show matches").click())
    assert "must=interests" in page.url
    assert page.locator("article.match-card").count() == 1
    card = walker_card(page)
    assert "in BB2" in card.inner_text()

    card.locator("summary").click()
    panel = card.locator("details.why-match")
    assert panel.get_attribute("open") is not None
    assert "Both enjoy walking" in panel.inner_text()
    check_a11y(page)

    # Shortlist and "I'm interested" act in place (htmx): the card changes, the page does not reload.
    results_url = page.url
    card.get_by_role("button", name=f"Add to shortlist: {WALKER}").click()
    walker_card(page).get_by_role("button", name=f"Remove from shortlist: {WALKER}").wait_for()
    assert f"{WALKER} is on your shortlist." in page.locator("main").inner_text()

    walker_card(page).get_by_role("link", name=f"I'm interested: contact {WALKER}").click()
    page.get_by_label("Your message").fill("Hello, I am looking for someone to go walking with on Monday mornings.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text(f"Your request is sent to {WALKER}").wait_for()
    assert page.url == results_url
    check_a11y(page)
    visit_and_check(page, "/shortlist/")
    assert WALKER in page.locator("main").inner_text()


def test_the_same_journey_works_with_the_keyboard_alone(signed_in_page, seeker_user):
    page = signed_in_page(seeker_user)
    keys = page.keyboard
    visit_and_check(page, "/matches/")
    tab_to(page, "At least one shared interest")
    keys.press("Space")
    tab_to(page, "Show matches")
    submit_and_check(page, lambda: keys.press("Enter"))
    assert page.locator("article.match-card").count() == 1

    tab_to(page, f"Why this match: {WALKER}")
    keys.press("Enter")
    assert "Both enjoy walking" in walker_card(page).locator("details.why-match").inner_text()

    tab_to(page, f"Add to shortlist: {WALKER}")
    keys.press("Enter")  # acts in place: focus stays on the (changed) button
    page.get_by_role("button", name=f"Remove from shortlist: {WALKER}").wait_for()
    assert f"{WALKER} is on your shortlist." in page.locator("main").inner_text()
    wait_for_focus(page, f"Remove from shortlist: {WALKER}")

    tab_to(page, f"I'm interested: contact {WALKER}")
    keys.press("Enter")  # the message form opens inside the card, with focus in it
    page.get_by_label("Your message").wait_for()
    wait_for_focus(page, "Your message")
    keys.type("Hello, could we meet for a walk?")
    tab_to(page, re.compile("^Send request$"))
    keys.press("Enter")
    page.get_by_text(f"Your request is sent to {WALKER}").wait_for()


def test_the_why_not_and_advert_pages_pass_the_checks(signed_in_page, seeker_user):
    from matching import search_services
    from profiles.models import Profile

    seeker_profile = seeker_user.profiles.get()
    advert = search_services.advert_create(
        seeker_profile=seeker_profile,
        actor=seeker_user,
        title="Walking buddy wanted",
        what="Someone to walk with.",
        interests=["walking"],
        availability=["mon 09:00-12:00"],
    )
    walker = Profile.objects.get(display_name=WALKER)
    page = signed_in_page(seeker_user)
    visit_and_check(page, "/matches/why-not/?name=Wendy")
    assert f"Already in your matches: {WALKER}" in page.locator("main").inner_text()
    visit_and_check(page, "/adverts/new/")
    visit_and_check(page, f"/adverts/{advert.pk}/")
    supporter_page = signed_in_page(walker.user)
    visit_and_check(supporter_page, "/adverts/")
    assert "You both enjoy walking" in supporter_page.locator("main").inner_text()
    submit_and_check(supporter_page, lambda: supporter_page.get_by_role("link", name="Walking buddy wanted").click())
    supporter_page.get_by_label("Your message").fill("I walk every Monday.")
    submit_and_check(supporter_page, lambda: supporter_page.get_by_role("button", name="Send response").click())
    assert "Your response is sent" in supporter_page.locator("main").inner_text()
