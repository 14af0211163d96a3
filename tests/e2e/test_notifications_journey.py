"""Notifications by keyboard: the badge says how many are unread in words, the page works without a mouse,
and the claim page for a listing from another register is accessible too."""

from __future__ import annotations

import pytest

from messaging import services as messaging
from profiles.register_format import dumps_record, register_import
from tests.e2e.helpers import submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser


def test_a_contact_request_shows_as_a_badge_and_is_read_by_keyboard(signed_in_page):
    supporter = UserFactory(preferred_name="Sam Supporter")
    listing = make_profile(supporter, role="pa", display_name="Sam the PA")
    messaging.contact_request_create(sender=UserFactory(), profile=listing, message="Hello, can you help on Mondays?")
    page = signed_in_page(supporter)
    visit_and_check(page, "/me/")
    tab_to(page, "Notifications, 1 unread")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert page.get_by_role("heading", name="Unread (1)").is_visible()
    tab_to(page, "Mark all as read")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()  # no unread count any more
    assert page.get_by_text("Nothing unread").is_visible()
    visit_and_check(page, "/notifications/settings/")


def test_the_claim_page_for_a_listing_from_another_register_is_accessible(signed_in_page):
    register_import([dumps_record({"ref": "pa-000888", "role": "pa", "display_name": "Priya K.", "outcode": "BB1"})])
    page = signed_in_page(UserFactory())
    visit_and_check(page, "/register/pa-000888/")
    tab_to(page, "Is this you? Claim this listing: Priya K.")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert page.get_by_role("heading", name="Is this you? Claim this listing").is_visible()
