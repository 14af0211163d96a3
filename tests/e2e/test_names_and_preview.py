"""Issue 13: the sign-up page asking for a name, and "See it as others do", in a real browser.

axe-core must find nothing serious or critical on either page on a desktop (1280 px) and on a
phone (390 px), and neither page may scroll sideways.
"""

from __future__ import annotations

import re
import uuid

import pytest

from profiles import services
from profiles.models import Visibility
from tests.e2e.helpers import check_a11y, check_axe, submit_and_check, verification_code, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 42"
WIDTHS = ({"width": 1280, "height": 800}, {"width": 390, "height": 844})


def _check_at_both_widths(page) -> None:
    for viewport in WIDTHS:
        page.set_viewport_size(viewport)
        check_axe(page)
    check_a11y(page)  # reflow at 640 px (200% zoom) and 390 px


def test_sign_up_asks_for_the_name_and_welcomes_the_person_by_it(page, mailoutbox):
    email = f"named-{uuid.uuid4().hex[:10]}@example.org"
    visit_and_check(page, "/accounts/signup/")
    _check_at_both_widths(page)

    name = page.get_by_label("Your name, as others will see it")
    assert name.get_attribute("autocomplete") == "name"
    # The name is the first thing asked: the first field a keyboard user reaches in the form.
    assert page.locator("main form input:not([type=hidden])").first.get_attribute("id") == "id_name"

    name.fill("Alex Brown")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    submit_and_check(page, lambda: page.get_by_role("button", name=re.compile("Sign up", re.I)).click())
    page.get_by_label(re.compile("^Code")).fill(verification_code(mailoutbox, email))
    submit_and_check(page, lambda: page.get_by_role("button", name="Confirm").click())
    assert "Welcome to Open Circle, Alex Brown." in page.locator("main").inner_text()


def test_see_it_as_others_do_lets_the_person_pick_the_viewer(signed_in_page):
    owner = UserFactory(preferred_name="Jo Peer")
    profile = make_profile(owner, role="peer_advisor", lived_experience=["visual_impairment"], display_name="Jo P.")
    services.profile_update(profile=profile, actor=owner, data={"lived_experience_visibility": Visibility.CONNECTIONS})
    page = signed_in_page(owner)

    visit_and_check(page, "/me/")
    submit_and_check(page, lambda: page.get_by_role("link", name=re.compile("^See it as others do")).click())
    main = page.locator("main")
    assert "Showing what a signed-in member you are not connected with sees" in main.inner_text()
    assert "Visually impaired" not in main.inner_text()
    _check_at_both_widths(page)

    page.get_by_label("Someone you are connected with").check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Show my page").click())
    assert "Visually impaired" in main.inner_text()
    _check_at_both_widths(page)

    page.get_by_label("Anyone, without signing in").check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Show my page").click())
    assert "Visually impaired" not in main.inner_text()
    _check_at_both_widths(page)
