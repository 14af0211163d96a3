"""Help from a trusted person in a browser: a proxy starts assisted mode, fills in part of the person's plan,
reaches the consent page (which only the person can agree to) and asks them to confirm; the person sees it
waiting, agrees from their own sign-in and prints the summary. axe-core at 1280 and 390 px on each page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from planning import services as planning
from profiles.models import ProxyLink
from tests.e2e.helpers import check_axe, submit_and_check, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _both_widths(page) -> None:
    check_axe(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    check_axe(page)
    page.set_viewport_size(original)


@pytest.fixture
def people(transactional_db):
    person = UserFactory(preferred_name="Ana")
    make_profile(person, role="seeker", display_name="Ana", postcode="BB1")
    helper = UserFactory(preferred_name="Dev")
    ProxyLink.objects.create(seeker=person, proxy=helper, relationship="brother")
    # A plan started from a community resource, awaiting the person's consent; then a plan they agreed to.
    waiting_plan = planning.add_resource_line(user=person, resource_id=3, title="Choir").plan
    plan = planning.plan_create(owner=person, actor=person, consent=True, starts_on=date(2026, 6, 1))
    return person, helper, plan, waiting_plan


def test_a_helper_fills_in_and_the_person_agrees_themselves(people, signed_in_page):
    person, helper, plan, waiting_plan = people
    page = signed_in_page(helper)
    visit_and_check(page, "/assisted/")
    _both_widths(page)
    page.get_by_label("Who are you helping?").select_option(label="Ana")
    submit_and_check(page, lambda: page.get_by_role("button", name="Start assisted mode").click())
    assert "You helped Ana." in page.locator("main").inner_text()
    _both_widths(page)

    visit_and_check(page, f"/plan/{plan.pk}/part/outcomes/")
    page.get_by_label("In your own words").fill("Back to choir.")
    submit_and_check(page, lambda: page.get_by_role("button", name="Save and stay here").click())

    visit_and_check(page, f"/plan/{waiting_plan.pk}/agree/")
    assert "Only Ana can agree to this. Ask them to sign in and confirm." in page.locator("main").inner_text()
    _both_widths(page)
    submit_and_check(page, lambda: page.get_by_role("button", name="Ask them to confirm").click())

    visit_and_check(page, "/assisted/")
    submit_and_check(page, lambda: page.get_by_role("link", name=re.compile("You helped Ana")).click())
    summary = page.locator("main").inner_text()
    assert "Plan: The outcomes I want. Dev typed it." in summary
    assert "1 thing is waiting for them to agree to." in summary
    assert "Back to choir." not in summary

    person_page = signed_in_page(person)
    visit_and_check(person_page, "/assisted/")
    _both_widths(person_page)
    submit_and_check(person_page, lambda: person_page.get_by_role("link", name="Keeping your support plan").click())
    person_page.get_by_label(re.compile("I agree that Open Circle keeps my plan")).check()
    submit_and_check(person_page, lambda: person_page.get_by_role("button", name="Continue").click())
    waiting_plan.refresh_from_db()
    assert waiting_plan.consent_given_at is not None
    visit_and_check(person_page, "/assisted/")
    assert "Nothing is waiting for you." in person_page.locator("main").inner_text()
