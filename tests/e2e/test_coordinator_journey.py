"""Peer support in the browser: a person asks for a peer advisor; the coordinator takes the referral
from the queue, reads the suggestions with their reasons and proposes a match; the person and the
peer advisor (each in their own browser) say yes; the coordinator sees "Introduced" and the
check-in dates. Every page must pass axe-core and reflow. The second test does the coordinator's
part with the keyboard alone.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

import messaging.introductions  # noqa: F401 - connects the match_introduced receiver until messaging/apps.py does
from messaging.models import Conversation
from peer_support import services
from peer_support.models import Referral
from profiles.services import organisation_add_coordinator, organisation_member_add
from tests.e2e.helpers import assert_focus_visible, check_a11y, submit_and_check, tab_to, visit_and_check
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = pytest.mark.browser
WEEKDAYS = ["mon 09:00-13:00", "wed 09:00-13:00"]


@pytest.fixture
def people(transactional_db):
    organisation = OrganisationFactory(name="Blackburn Peer Support")
    coordinator = UserFactory(preferred_name="Cora Coordinator")
    organisation_add_coordinator(organisation=organisation, user=coordinator)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    seeker = make_profile(
        UserFactory(preferred_name="Sara"),
        role="seeker",
        postcode="BB1",
        display_name="Sara",
        interests=["music", "cooking"],
        availability=WEEKDAYS,
    )
    pat = UserFactory(preferred_name="Pat")
    organisation_member_add(organisation=organisation, user=pat, role="volunteer")  # membership granted, not typed
    peer = make_profile(
        pat,
        role="peer_advisor",
        postcode="BB2",
        display_name="Pat Peer",
        interests=["music"],
        availability=WEEKDAYS,
        capacity=2,
        organisation_name=organisation.name,
    )
    return {"organisation": organisation, "coordinator": coordinator, "seeker": seeker, "peer": peer}


def _say_yes(page, heading_name: str) -> None:
    visit_and_check(page, "/peer-support/")
    submit_and_check(page, lambda: page.get_by_role("link", name=re.compile(heading_name)).click())
    assert page.get_by_role("heading", level=1).inner_text() == "Your proposed peer match"
    assert page.get_by_role("listitem").filter(has_text="Free on").count() >= 1
    submit_and_check(page, lambda: page.get_by_role("button", name="Yes, introduce us").click())


def _both_say_yes(signed_in_page, people) -> None:
    _say_yes(signed_in_page(people["seeker"].user), "Pat Peer")
    _say_yes(signed_in_page(people["peer"].user), "with Sara")


def _assert_introduced(page) -> None:
    page.reload()
    check_a11y(page)
    main = page.locator("main").inner_text()
    today = timezone.localdate()
    assert "Introduced" in main
    for week in (2, 6):
        assert f"Due on {(today + timedelta(weeks=week)):%-d %B %Y}" in main
    assert Conversation.objects.filter(kind="introduction").count() == 1


def test_a_coordinator_matches_a_referral_and_both_people_say_yes(signed_in_page, people):
    asker = signed_in_page(people["seeker"].user)
    visit_and_check(asker, "/peer-support/ask/")
    asker.get_by_label("Which organisation should find a peer advisor?").select_option(label="Blackburn Peer Support")
    asker.get_by_label("What would help, in your own words").fill("Someone who has employed a PA.")
    submit_and_check(asker, lambda: asker.get_by_role("button", name="Send my request").click())
    assert "Your request is sent" in asker.locator("main").inner_text()

    coordinator = signed_in_page(people["coordinator"])
    visit_and_check(coordinator, "/coordinator/")
    submit_and_check(coordinator, lambda: coordinator.get_by_role("link", name=re.compile("^Sara")).click())
    suggestion = coordinator.get_by_role("listitem").filter(has=coordinator.get_by_role("heading", name="Pat Peer"))
    assert "Free on" in suggestion.inner_text() and "has 0 of 2 places taken" in suggestion.inner_text()
    submit_and_check(coordinator, lambda: coordinator.get_by_role("button", name="Propose Pat Peer").click())
    assert "Pat Peer is proposed" in coordinator.locator("main").inner_text()

    _both_say_yes(signed_in_page, people)
    _assert_introduced(coordinator)


def test_the_coordinators_part_works_with_the_keyboard_alone(signed_in_page, people):
    services.referral_create(
        actor=people["seeker"].user,
        seeker_profile=people["seeker"],
        organisation=people["organisation"],
        what_would_help="",
    )
    page = signed_in_page(people["coordinator"])
    visit_and_check(page, "/coordinator/")
    tab_to(page, re.compile("^Sara"))
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    tab_to(page, "Propose Pat Peer")
    assert_focus_visible(page)
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert Referral.objects.get().status == "proposed"

    _both_say_yes(signed_in_page, people)
    _assert_introduced(page)
    tab_to(page, "Record the week 2 check-in")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    tab_to(page, "Going well")
    page.keyboard.press("Space")
    tab_to(page, "Note")
    page.keyboard.type("They have met twice.")
    tab_to(page, "Record the check-in")
    submit_and_check(page, lambda: page.keyboard.press("Enter"))
    assert "Week 2 check-in: Going well." in page.locator("main").inner_text()
