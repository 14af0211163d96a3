"""Community resources in the browser, keyboard only: a coordinator publishes a suggested resource; a seeker
finds it on the map and in the list near their district, adds it to their support plan and sees it in the
plan's costing at £0. Every page passes axe-core (no serious or critical problem) at 1280 and 390 px wide
and reflows without sideways scrolling.
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from community import services
from community.models import Service
from community.services import ScheduleInput
from planning.models import SupportLine
from tests.community.factories import make_coordinator, resource_input
from tests.e2e.helpers import assert_focus_visible, check_axe, check_reflow, tab_to
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
NAME = "Calder Valley Ramblers"


@pytest.fixture
def people(transactional_db):
    coordinator = make_coordinator(preferred_name="Cora Coordinator")
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    suggester = UserFactory(preferred_name="Sam")
    services.resource_suggest(
        actor=suggester,
        data=resource_input(
            name=NAME,
            organisation_name="Calder Valley Ramblers club",
            description="Sunday walks of three to six miles, with shorter routes for anyone who wants them.",
            postcode="HX1",
            venue="Halifax Minster",
            schedules=[ScheduleInput("sun")],
            accessibility=["step_free"],
        ),
    )
    seeker = UserFactory(preferred_name="Sara")
    make_profile(seeker, role="seeker", postcode="HX2", display_name="Sara", interests=["walking"])
    return {"coordinator": coordinator, "seeker": seeker}


def check_both_widths(page) -> None:
    """axe-core at 1280 px and at 390 px (a phone), and reflow at 200% zoom and on the phone."""
    original = page.viewport_size
    check_axe(page)
    page.set_viewport_size(PHONE)
    try:
        check_axe(page)
    finally:
        page.set_viewport_size(original)
    check_reflow(page)


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_both_widths(page)


def test_publish_find_on_map_and_list_add_to_plan_and_see_it_costed_at_zero(signed_in_page, people):
    # The coordinator publishes the suggestion from the queue, keyboard only.
    coordinator = signed_in_page(people["coordinator"])
    coordinator.goto("/community/review/")
    check_both_widths(coordinator)
    tab_to(coordinator, NAME)
    press_enter_and_wait(coordinator)
    assert coordinator.get_by_role("heading", level=1).inner_text() == NAME
    tab_to(coordinator, "Publish")
    press_enter_and_wait(coordinator)
    assert "Published. Anyone can find it now." in coordinator.locator(".messages").inner_text()
    assert Service.objects.get(name=NAME).status == "published"

    # The seeker finds it from the community page: suggested for their interest, on the map and in the list.
    seeker = signed_in_page(people["seeker"])
    seeker.goto("/community/")
    check_both_widths(seeker)
    suggestions = seeker.locator("#suggested-heading + p + ul").inner_text()
    assert re.search(
        rf"You like walking: {NAME} meets on Sundays, (less than a mile|about \d+ miles?) away", suggestions
    )
    tab_to(seeker, "Near postcode")
    seeker.keyboard.type("HX2")
    tab_to(seeker, "Show resources")
    assert_focus_visible(seeker)
    press_enter_and_wait(seeker)
    assert "near HX2" in seeker.get_by_role("heading", level=2, name=re.compile("resource")).inner_text()
    map_markers = seeker.locator("svg.district-map circle.marker title").all_text_contents()
    assert f"1: {NAME}" in map_markers  # the map's numbered marker...
    card = seeker.locator("#list-heading + ul article").first
    assert NAME in card.inner_text() and "1." in card.inner_text()  # ...and the same number in the list
    assert "Sundays" in card.inner_text() and "Step-free access" in card.inner_text()

    # Open it and add it to the plan, keyboard only.
    tab_to(seeker, NAME)
    press_enter_and_wait(seeker)
    tab_to(seeker, "Add to my plan")
    press_enter_and_wait(seeker)
    assert f"Added {NAME} to your support plan, at no cost." in seeker.locator(".messages").inner_text()
    line = SupportLine.objects.get(plan__owner=people["seeker"])
    assert line.weekly_pence == 0

    # The plan's costing shows the line at £0 (the plan asks for consent to keep it first).
    seeker.goto(f"/plan/{line.plan_id}/costing/")
    if "/agree/" in seeker.url:
        check_both_widths(seeker)
        tab_to(seeker, re.compile("agree|keep", re.IGNORECASE))
        seeker.keyboard.press("Space")
        tab_to(seeker, "Continue")
        press_enter_and_wait(seeker)
        if "/costing/" not in seeker.url:
            seeker.goto(f"/plan/{line.plan_id}/costing/")
    check_both_widths(seeker)
    section = seeker.locator(f"#line-{line.pk}").locator("xpath=..")
    assert NAME in section.inner_text()
    total = section.locator("tfoot").inner_text()
    assert re.search(r"£0(\.00)?\b", total), total
