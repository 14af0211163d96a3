"""The "why is someone not in my matches?" name search and the staff model page, in a browser:
axe-core at 390 and 1280 px, reflow, and the journeys by mouse and by keyboard."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from matching import live, services
from tests.e2e.helpers import check_a11y, check_axe, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile
from tests.matching.test_training import LOCALITY_FIRST, record_real_outcomes

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def check_both_widths(page) -> None:
    check_a11y(page)  # axe at 1280 px, then reflow at 200% zoom and 390 px
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        check_axe(page)
    finally:
        page.set_viewport_size(original)


@pytest.fixture
def seeker_user(transactional_db):
    live.reset_index()
    user = UserFactory()
    make_profile(user, role="seeker", postcode="BB1", listed=False, seeking={"max_km": 25})
    make_profile(role="pa", postcode="BB2", display_name="Alex Near", travel_km=25)
    make_profile(role="pa", postcode="PR1", display_name="Alex Far", travel_km=5)
    yield user
    live.reset_index()


def test_a_seeker_finds_someone_missing_by_name_and_reads_why(signed_in_page, seeker_user):
    page = signed_in_page(seeker_user)
    visit_and_check(page, "/matches/why-not/")
    page.get_by_label("Their name").fill("alex")
    submit_and_check(page, lambda: page.get_by_role("button", name="Find").click())
    main = page.locator("main")
    assert "Already in your matches: Alex Near" in main.inner_text()
    assert page.get_by_role("radio").count() == 1
    check_both_widths(page)
    page.get_by_label(re.compile("^Alex Far")).check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Explain").click())
    assert "Alex Far is left out because" in main.inner_text()
    check_both_widths(page)


def test_the_name_search_works_by_keyboard_alone(signed_in_page, seeker_user):
    page = signed_in_page(seeker_user)
    visit_and_check(page, "/matches/why-not/")
    tab_to(page, "Their name")
    page.keyboard.type("far")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    tab_to(page, re.compile("^Alex Far"))
    page.keyboard.press("Space")
    tab_to(page, "Explain")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert "Alex Far is left out because" in page.locator("main").inner_text()


@pytest.fixture
def staff_user(transactional_db):
    live.reset_index()
    user = UserFactory(is_staff=True, preferred_name="Sam Staff")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    yield user
    live.reset_index()


def test_staff_see_the_model_history_and_restore_a_version(signed_in_page, staff_user, settings):
    settings.MATCHING_MIN_REAL_OUTCOMES = 300
    record_real_outcomes(LOCALITY_FIRST)
    trained = services.model_train()
    assert trained.live
    page = signed_in_page(staff_user)
    visit_and_check(page, "/matches/model/")
    main = page.locator("main")
    assert f"Version {trained.version}: in use now" in main.inner_text()
    check_both_widths(page)
    page.get_by_label("Why (optional, kept in the history)").fill("Back to the hand-set weights for now.")
    submit_and_check(page, lambda: page.get_by_role("button", name="Use version 0 again").click())
    assert "Version 0 is now the one every search uses" in main.inner_text()
    assert "Version 0: in use now" in main.inner_text()
    check_both_widths(page)
