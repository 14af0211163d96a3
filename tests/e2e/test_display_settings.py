"""Display settings in a real browser: the largest text, high contrast and the reading font keep pages usable
(no sideways scrolling at 390 px, axe-core clean), chosen by keyboard alone (issue 17, item 4)."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import check_a11y, choose_radio, submit_and_check, tab_to
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_largest_text_high_contrast_and_spaced_reading_by_keyboard(new_context):
    make_profile(UserFactory(preferred_name="Priya Patel"), role="pa", display_name="Priya Patel", hourly_rate="15.00")
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    tab_to(page, "Display settings: text size and colours")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))

    tab_to(page, "Standard (100%)")  # the first text size choice
    choose_radio(page, "Biggest (200%)")
    tab_to(page, "Standard colours")
    choose_radio(page, "High contrast (black, white and yellow)")
    tab_to(page, "Standard text")
    choose_radio(page, "Easier to read: a plain font with more space between letters, words and lines")
    tab_to(page, "Save display settings")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))

    assert page.get_by_text("Your display settings are saved").is_visible()
    root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert root == "32px"  # twice the browser's 16 px
    assert "contrast-high" in page.evaluate("document.documentElement.className")

    for url in ("/", "/register/", "/accounts/login/"):
        page.goto(url)
        check_a11y(page)  # axe-core and no sideways scrolling, with every choice on
