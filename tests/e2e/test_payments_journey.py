"""The payments journey, as a support broker and the person who books them would take it.

With no Stripe keys (the default), a broker sets an hourly rate and a package; the person
looking for support enters their budget, books two hours, and once the broker accepts, records
that they paid from their council-managed account. After the booked day the broker records the
hours worked, the person approves them, and the budget page says what was spent and what is left.
Every page on the way must pass axe-core (no serious or critical problems) and reflow.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from profiles import services as profile_services
from tests.e2e.helpers import submit_and_check, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser


def _main(page) -> str:
    return page.locator("main").inner_text()


def _click(page, role: str, name: str | re.Pattern) -> None:
    submit_and_check(page, lambda: page.get_by_role(role, name=name, exact=isinstance(name, str)).click())


@pytest.fixture
def no_stripe_keys(settings):
    # The live server thread reads the same settings object, so this holds for the pages too.
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    settings.PLATFORM_FEE_PERCENT = "0"


@pytest.fixture
def people(transactional_db):
    broker = UserFactory(preferred_name="Priya Shah")
    profile = make_profile(broker, role="broker", postcode="BB1", display_name="Priya S.")
    seeker = UserFactory(preferred_name="Dev Patel")
    profile_services.connection_create(a=seeker, b=broker)  # booking needs a contact first
    return broker, profile, seeker


def _broker_sets_a_rate_and_a_package(page) -> None:
    visit_and_check(page, "/me/offers/")
    page.get_by_label("Hourly rate (£)").fill("30")
    _click(page, "button", "Save hourly rate")
    assert "Your offers are saved." in _main(page)
    page.get_by_label("Name").fill("Support plan")
    page.get_by_label("Price (£)").fill("240")
    page.get_by_label("Hours included").fill("8")
    page.get_by_label("What is included").fill("Two meetings and a written support plan.")
    _click(page, "button", "Add package")
    package = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Support plan"))
    assert "£240.00 for 8 hours." in package.inner_text()
    assert page.get_by_label("Hourly rate (£)").input_value() == "30.00"


def _seeker_enters_a_budget(page) -> None:
    visit_and_check(page, "/me/budget/")
    assert "Enter your budget below" in _main(page)
    page.get_by_label("Budget amount (£)").fill("500")
    page.get_by_label("Every four weeks").check()
    _click(page, "button", "Save budget")
    assert "On track: £500.00 left (100%)" in _main(page)


def _seeker_books_two_hours(page, profile, day) -> str:
    visit_and_check(page, profile.get_absolute_url())
    assert "£30.00" in _main(page) and "Support plan" in _main(page)
    # The page offers Book at the top (phones) and again under the packages: the first one.
    book = page.get_by_role("link", name=f"Book {profile.display_name}", exact=True).first
    submit_and_check(page, book.click)
    page.get_by_label("Hours at an hourly rate").check()
    page.get_by_label(re.compile(r"^Hours \(optional\)")).fill("2")
    page.get_by_label("First day").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    _click(page, "button", "Send booking request")
    assert "Waiting for the supporter to accept" in _main(page)
    assert "2 hours at £30.00 an hour" in _main(page) and "£60.00" in _main(page)
    return page.url


def _broker_accepts(page, booking_url: str) -> None:
    visit_and_check(page, booking_url)
    _click(page, "button", "Accept booking")
    assert "You accepted the booking." in _main(page)
    assert "Status: Accepted" in _main(page)


def _seeker_records_paying_outside(page, booking_url: str) -> None:
    visit_and_check(page, booking_url)
    main = _main(page)
    assert "Card payments are not set up on this Open Circle site" in main
    assert "Amount due: £60.00" in main
    assert page.get_by_role("button", name=re.compile("by card")).count() == 0
    _click(page, "link", "Record a payment made another way")
    assert "The amount due is £60.00 (" in _main(page)  # followed by how it was worked out
    page.get_by_label("Who paid").fill("My council-managed account")
    page.get_by_label("Council-managed account").check()
    _click(page, "button", "Record payment")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Receipt OC-")
    receipt = _main(page)
    assert "My council-managed account" in receipt
    assert "Paid outside Open Circle (Council-managed account)" in receipt
    assert "£60.00" in receipt and "Priya S." in receipt


def _broker_records_hours(page, booking_url: str) -> None:
    visit_and_check(page, booking_url)
    _click(page, "link", "Record the hours you worked")
    page.get_by_label("Hours worked").fill("2")
    page.get_by_label(re.compile("^Short note")).fill("Went through the support plan options.")
    _click(page, "button", "Send hours for approval")
    assert "Your hours are recorded." in _main(page)
    assert "Hours recorded: waiting for approval" in _main(page)


def _seeker_approves(page, booking_url: str) -> None:
    visit_and_check(page, booking_url)
    assert "Went through the support plan options." in _main(page)
    _click(page, "button", "Approve 2 hours (£60.00)")  # the button says what approving will cost
    assert "You approved the hours. Thank you." in _main(page)
    assert "Completed: hours approved" in _main(page)


def _budget_shows_the_spend(page) -> None:
    visit_and_check(page, "/me/budget/")
    main = _main(page)
    assert "On track: £440.00 left (88%)" in main
    spent = page.get_by_role("row", name=re.compile("^Spent"))
    left = page.get_by_role("row", name=re.compile("^Left"))
    assert "£60.00" in spent.inner_text() and "£440.00" in left.inner_text()
    line = page.get_by_role("row", name=re.compile("Paid to Priya S."))
    assert (
        "2 hours of support at £30.00 an hour (hours approved)" in line.inner_text() and "£60.00" in line.inner_text()
    )
    assert "Paid outside Open Circle" in line.inner_text()


def test_a_broker_is_booked_paid_outside_and_the_budget_shows_the_spend(no_stripe_keys, people, signed_in_page):
    broker_user, profile, seeker_user = people
    broker, seeker = signed_in_page(broker_user), signed_in_page(seeker_user)
    day = timezone.localdate() + timedelta(days=3)

    _broker_sets_a_rate_and_a_package(broker)
    _seeker_enters_a_budget(seeker)
    booking_url = _seeker_books_two_hours(seeker, profile, day)
    _broker_accepts(broker, booking_url)
    _seeker_records_paying_outside(seeker, booking_url)

    # The hours can be recorded only once the booked day has come: move the clock (the live
    # server runs in a thread of this process, so it sees the same time) to the day after.
    after = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(12)))
    with time_machine.travel(after, tick=True):
        _broker_records_hours(broker, booking_url)
        _seeker_approves(seeker, booking_url)
        _budget_shows_the_spend(seeker)
