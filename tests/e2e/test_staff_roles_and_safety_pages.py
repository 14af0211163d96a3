"""The operator's roles pages and the Staying safe page in a browser: set up a panel and give a seat by
keyboard, make a moderator; axe-core at 1280 and 390 px with the reflow check (issues 13 and 17)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from ratings.models import PanelMember
from tests.e2e.helpers import check_a11y, check_axe, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def check_both_widths(page) -> None:
    check_a11y(page)  # axe at 1280 px, then no sideways scrolling at 640 and 390 px
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        check_axe(page)
    finally:
        page.set_viewport_size(original)


def test_the_operator_sets_up_a_panel_and_a_moderator_by_keyboard(signed_in_page, transactional_db):
    staff = UserFactory(is_staff=True, preferred_name="Olu Operator")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    UserFactory(email="mo@example.org", preferred_name="Mo Moderator")
    pat = UserFactory(email="pat@example.org", preferred_name="Pat Peer")
    page = signed_in_page(staff)
    visit_and_check(page, "/staff/roles/")
    check_both_widths(page)

    page.get_by_label("Their email address").fill("mo@example.org")
    submit_and_check(page, lambda: page.get_by_role("button", name="Make them a moderator").click())
    assert "Mo Moderator is a moderator now" in page.locator("main").inner_text()

    page.get_by_label("Panel name").fill("Blackburn panel")
    page.get_by_label("Or the postcode area it covers").fill("BB")
    page.get_by_label("What the panel looks for").fill("Reliable, kind and on time.")
    tab_to(page, "Set up the panel")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert "The panel Blackburn panel is set up" in page.locator("main").inner_text()

    submit_and_check(page, lambda: page.get_by_role("link", name="Blackburn panel: seats").click())
    check_both_widths(page)
    page.get_by_label("Their email address").fill("pat@example.org")
    page.get_by_label("Peer advisor").check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Give them a seat").click())
    assert PanelMember.objects.filter(user=pat, left_at__isnull=True).exists()
    check_both_widths(page)


def test_staying_safe_with_easy_read_on(page):
    visit_and_check(page, "/staying-safe/")
    submit_and_check(page, lambda: page.get_by_role("button", name="Easy read").click())
    assert page.get_by_role("heading", name="Easy read: Staying safe").is_visible()
    check_both_widths(page)
