"""Navigation, tables and the friendly 404 page, as a person on a phone or a keyboard notices them.

- The main navigation shows a few top items and a "More" disclosure (a <details>, works without
  JavaScript); on a 390 px phone it takes at most two lines, and every link in it is reachable by keyboard.
- Data tables become stacked cards on a phone: no sideways scrolling at 390 px, each cell says its column.
- A listing that is not available answers 404 with a page that says what may have happened.
"""

from __future__ import annotations

import re

import pytest

from messaging import services as messaging
from profiles.services import organisation_add_coordinator
from tests.e2e.helpers import check_a11y, submit_and_check, tab_to, visit_and_check
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

_NAV_JS = """() => {
  const items = Array.from(document.querySelectorAll('nav[aria-label="Main"] > ul > li'));
  // A new line starts when an item begins below the bottom of the line so far.
  let lines = 0, bottom = -Infinity;
  for (const box of items.map(li => li.getBoundingClientRect()).sort((a, b) => a.top - b.top)) {
    if (box.top >= bottom - 2) { lines += 1; bottom = box.bottom; } else { bottom = Math.max(bottom, box.bottom); }
  }
  return {items: items.length, lines: lines, tops: items.map(li => Math.round(li.getBoundingClientRect().top)),
          scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth};
}"""

MENU_LINKS = [
    "My account",
    "Your matches",
    "Support wanted",
    "Bookings",
    "Peer support",
    "Referrals",
    "All moderation cases",
    "Reports",
    "Reviews to check",
    "Listing claims",
]


@pytest.fixture
def moderator_coordinator(transactional_db):
    user = UserFactory(preferred_name="Mo Moderator", is_moderator=True)
    organisation_add_coordinator(organisation=OrganisationFactory(name="Burnley Peer Support"), user=user)
    make_profile(UserFactory(), role="pa", display_name="Sam the PA")
    return user


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_navigation_fits_on_a_phone_and_every_link_is_reachable_by_keyboard(
    signed_in_page, moderator_coordinator, viewport
):
    page = signed_in_page(moderator_coordinator)
    page.set_viewport_size(viewport)
    visit_and_check(page, "/me/")
    nav = page.evaluate(_NAV_JS)
    assert nav["items"] <= 5, nav
    assert nav["lines"] <= (2 if viewport is PHONE else 1), nav
    assert nav["scrollWidth"] <= nav["clientWidth"] + 1, nav
    # The skip link is still the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_to(page, "Notifications")
    tab_to(page, re.compile(r"^More\b"))
    assert (
        not page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews to check").is_visible()
    )  # closed until asked for
    page.keyboard.press("Enter")
    check_a11y(page)  # the open menu passes axe and does not make the page scroll sideways
    for name in MENU_LINKS:
        tab_to(page, name)
    tab_to(page, "Sign out")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_role_specific_items_only_for_those_roles(signed_in_page, transactional_db):
    page = signed_in_page(UserFactory())
    visit_and_check(page, "/me/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("More").click()
    assert nav.get_by_role("link", name="Bookings").is_visible()
    for name in ("Referrals", "Reports", "Reviews to check"):
        assert nav.get_by_role("link", name=name).count() == 0, name


def test_a_signed_out_visitor_sees_three_items(page, transactional_db):
    page.set_viewport_size(PHONE)
    visit_and_check(page, "/")
    nav = page.evaluate(_NAV_JS)
    assert nav["items"] == 3 and nav["lines"] <= 2, nav


def test_tables_become_cards_on_a_phone(signed_in_page, transactional_db):
    sender = UserFactory()
    for n in range(3):
        listing = make_profile(
            UserFactory(), role="pa", display_name=f"A person with a very long listing name number {n}"
        )
        messaging.contact_request_create(sender=sender, profile=listing, message="Hello, can you help on Mondays?")
    page = signed_in_page(sender)
    page.set_viewport_size(PHONE)
    visit_and_check(page, "/messages/requests/")  # includes the no-sideways-scroll check at 390 px
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('.data-table td[data-label]'), '::before').content"
    )
    assert label == '"To: "', label
    page.set_viewport_size(DESKTOP)
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('.data-table td[data-label]'), '::before').content"
    )
    assert label in ("none", "normal"), label  # a real table again on a wide screen


def test_a_listing_that_is_not_available_says_so_and_still_answers_404(page, transactional_db):
    response = page.goto("/register/pa-999999/")
    assert response.status == 404
    assert page.get_by_role("heading", name="This page is not available").is_visible()
    assert page.get_by_text("It may have been paused or removed, or you may not be able to see it").is_visible()
    check_a11y(page)
    tab_to(page, "Search for support")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))


def test_the_accessibility_statement_promises_only_what_exists(page, transactional_db):
    visit_and_check(page, "/accessibility/")
    text = page.inner_text("main")
    assert "report link on any page" not in text
    assert "There is not yet a way to report an accessibility problem" in text


def test_the_availability_picker_by_keyboard_with_add_another_slot(signed_in_page, transactional_db):
    user = UserFactory()
    profile = make_profile(user, role="pa", display_name="Alex B.", availability=["tue 10:00-12:00"])
    page = signed_in_page(user)
    page.set_viewport_size(PHONE)
    visit_and_check(page, f"/me/profiles/{profile.pk}/edit/")
    assert page.get_by_role("group", name="Slot 4").is_visible()  # empty rows, there without JavaScript too
    tab_to(page, "Add another slot")
    page.keyboard.press("Enter")
    slot = page.get_by_role("group", name="Slot 5")
    assert slot.get_by_label("Day").evaluate("el => el === document.activeElement")  # focus moves to the new slot
    page.keyboard.type("Saturday")
    slot.get_by_label("From").fill("14:00")
    slot.get_by_label("To").fill("16:30")
    check_a11y(page)
    submit_and_check(page, lambda: page.get_by_role("button", name="Save changes").click())
    assert "Your changes are saved." in page.locator("main").inner_text()
    profile.refresh_from_db()
    assert profile.availability == ["tue 10:00-12:00", "sat 14:00-16:30"]
