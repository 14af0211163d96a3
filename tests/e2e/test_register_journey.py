"""The register journey, as a new PA and then a person looking for support would take it.

A PA signs up, verifies their email with the code sent to them, builds a profile and lists it;
someone else finds it on the register by postcode district and skill. Every page on the way
must pass axe-core (no serious or critical problems) and reflow without sideways scrolling.
The second test takes the same journey with the keyboard alone.
"""

from __future__ import annotations

import re
import uuid

import pytest

from profiles.models import Profile
from tests.e2e.helpers import (
    assert_focus_visible,
    choose_radio,
    submit_and_check,
    tab_to,
    verification_code,
    visit_and_check,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 42"
FULL_POSTCODE = "BB1 2AB"


def _new_email() -> str:
    # Unique per run: allauth rate-limits verification emails per address, and CI's Redis cache outlives a run.
    return f"pa-{uuid.uuid4().hex[:10]}@example.org"


def _assert_listed_detail_is_private(page, display_name: str) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == display_name
    main_text = page.locator("main").inner_text()
    assert "BB1" in main_text
    assert "Personal care" in main_text
    assert "2AB" not in page.content(), "the full postcode must never reach the page"


def test_a_pa_signs_up_lists_a_profile_and_a_seeker_finds_it_by_postcode_and_skill(page, signed_in_page, mailoutbox):
    email = _new_email()
    visit_and_check(page, "/")
    submit_and_check(page, lambda: page.get_by_role("link", name="Join", exact=True).click())
    assert page.url.endswith("/accounts/signup/")

    page.get_by_label("Your name, as others will see it").fill("Alex Brown")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    submit_and_check(page, lambda: page.get_by_role("button", name=re.compile("Sign up", re.I)).click())

    page.get_by_label(re.compile("^Code")).fill(verification_code(mailoutbox, email))
    submit_and_check(page, lambda: page.get_by_role("button", name="Confirm").click())
    assert page.url.endswith("/onboarding/")

    page.get_by_label("Offer my work as a personal assistant (PA)").check()
    page.get_by_label("The name others will see").fill("Alex B.")
    page.get_by_label("Postcode").fill(FULL_POSTCODE)
    submit_and_check(page, lambda: page.get_by_role("button", name="Continue").click())
    assert "/edit/" in page.url

    page.get_by_label("Personal care").check()
    page.get_by_label("English").check()
    slot = page.get_by_role("group", name="Slot 1")
    slot.get_by_label("Day").select_option("mon")
    slot.get_by_label("From").fill("09:00")
    slot.get_by_label("To").fill("13:00")
    page.get_by_label("Your hourly rate (£)").fill("15.50")
    page.get_by_label("About you").fill("Patient and calm. I enjoy walks and cooking together.")
    submit_and_check(page, lambda: page.get_by_role("button", name="Save changes").click())
    assert "Your changes are saved." in page.locator("main").inner_text()
    submit_and_check(page, lambda: page.get_by_role("button", name="List on the register").click())
    assert "Your profile is listed on the register" in page.locator("main").inner_text()

    seeker = signed_in_page(UserFactory())
    visit_and_check(seeker, "/register/")
    seeker.get_by_label("Near postcode").fill("BB1")
    seeker.get_by_label("Personal care").check()
    submit_and_check(seeker, lambda: seeker.get_by_role("button", name="Show results").click())
    assert "postcode=BB1" in seeker.url and "skills=personal_care" in seeker.url
    submit_and_check(seeker, lambda: seeker.get_by_role("link", name="Alex B.", exact=True).click())
    _assert_listed_detail_is_private(seeker, "Alex B.")


def test_the_same_journey_works_with_the_keyboard_alone(page, signed_in_page, mailoutbox):
    email = _new_email()
    keys = page.keyboard
    visit_and_check(page, "/")
    tab_to(page, "Join")
    submit_and_check(page, lambda: keys.press("Enter"))

    tab_to(page, "Your name, as others will see it")
    keys.type("Sam Kaur")
    tab_to(page, "Email")
    keys.type(email)
    tab_to(page, "Password")
    keys.type(PASSWORD)
    tab_to(page, re.compile(r"^Password \(again\)"))
    keys.type(PASSWORD)
    tab_to(page, re.compile("^Sign up$", re.I))
    submit_and_check(page, lambda: keys.press("Enter"))

    tab_to(page, re.compile("^Code"))
    keys.type(verification_code(mailoutbox, email))
    submit_and_check(page, lambda: keys.press("Enter"))
    assert page.url.endswith("/onboarding/")

    tab_to(page, "Find support for me or someone I care for")
    choose_radio(page, "Offer my work as a personal assistant (PA)")
    tab_to(page, "The name others will see")
    keys.type("Sam K.")
    tab_to(page, "Postcode")
    keys.type(FULL_POSTCODE)
    submit_and_check(page, lambda: keys.press("Enter"))
    assert "/edit/" in page.url

    tab_to(page, "About you")
    keys.type("Cheerful, reliable and a keen gardener.")
    for skill_or_language in ("Personal care", "English"):
        tab_to(page, skill_or_language)
        keys.press("Space")
    tab_to(page, "Day")  # slot 1 of "When you are free": a day, then the times
    keys.type("Monday")
    tab_to(page, "From")
    keys.type("0900a")  # hours, minutes, then AM if this Chromium shows a 12-hour clock (ignored on a 24-hour one)
    tab_to(page, "To")
    keys.type("1300")
    tab_to(page, "Your hourly rate (£)")
    keys.type("16")
    tab_to(page, "Save changes")
    submit_and_check(page, lambda: keys.press("Enter"))
    assert "Your changes are saved." in page.locator("main").inner_text()
    assert Profile.objects.get(display_name="Sam K.").availability == ["mon 09:00-13:00"]
    tab_to(page, "List on the register")
    submit_and_check(page, lambda: keys.press("Space"))
    assert "Your profile is listed on the register" in page.locator("main").inner_text()

    seeker = signed_in_page(UserFactory())
    visit_and_check(seeker, "/")
    tab_to(seeker, "Find support")
    submit_and_check(seeker, lambda: seeker.keyboard.press("Enter"))
    tab_to(seeker, "Near postcode")
    seeker.keyboard.type("BB1")
    tab_to(seeker, "Personal care")
    seeker.keyboard.press("Space")
    tab_to(seeker, "Show results")
    submit_and_check(seeker, lambda: seeker.keyboard.press("Enter"))
    tab_to(seeker, "Sam K.")
    submit_and_check(seeker, lambda: seeker.keyboard.press("Enter"))
    _assert_listed_detail_is_private(seeker, "Sam K.")
    tab_to(seeker, "Skip to main content", backwards=True, limit=60)
    assert_focus_visible(seeker)
