"""The support planning journey: a person writes their plan, costs a PA they will employ and a broker's package
found through the plan's own suggestions, sees the budget go from over to under when they change the PA's hours
(by keyboard), shares the plan with the broker, who comments, and downloads it.

Every page on the way passes axe-core (no serious or critical problems) at 1280 px and reflows at 640 and 390 px;
the main pages are checked with axe-core at 390 px too.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payments import services as payments_services
from payments.models import Package
from planning.models import Plan
from tests.e2e.helpers import check_axe, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _main(page) -> str:
    return page.locator("main").inner_text()


def _click(page, role: str, name: str | re.Pattern) -> None:
    submit_and_check(page, lambda: page.get_by_role(role, name=name, exact=isinstance(name, str)).click())


@pytest.fixture
def people(transactional_db):
    seeker = UserFactory(preferred_name="Dev Patel")
    make_profile(seeker, role="seeker", postcode="BB1", seeking={"max_km": 30})
    payments_services.budget_set(
        seeker=seeker, actor=seeker, amount=Decimal("1150"), period="four_weekly", starts_on=date(2026, 6, 1)
    )
    broker_user = UserFactory(preferred_name="Bea Brown")
    broker = make_profile(
        broker_user, role="broker", postcode="BB1", travel_km=30, display_name="Bea B.", hourly_rate=Decimal("30")
    )
    Package.objects.create(profile=broker, name="Support plan with you", price_pence=350_00, hours=Decimal("10"))
    return seeker, broker_user


def test_a_seeker_plans_costs_shares_and_downloads(people, signed_in_page, new_context, live_server):
    seeker_user, broker_user = people
    page = signed_in_page(seeker_user)

    # Start, with consent, and write the first part in their own words.
    visit_and_check(page, "/plan/")
    page.get_by_label("When does the plan start?").fill("2026-06-01")
    page.get_by_label(re.compile("I agree that Open Circle keeps my plan")).check()
    _click(page, "button", "Start my plan")
    assert "What is important to me" in _main(page) and "Part 1 of 9" in _main(page)
    page.get_by_label("In your own words").fill("Seeing my sister on Sundays. Singing in the choir.")
    _click(page, "button", "Save and go to the next part")
    assert "What is important for me" in _main(page)
    _click(page, "button", "Skip this part for now")  # and come back later
    assert "The outcomes I want" in _main(page)
    plan = Plan.objects.get(owner=seeker_user)

    # Ask a broker to do most of the budget part (level 3): the plan then suggests brokers.
    visit_and_check(page, f"/plan/{plan.pk}/part/budget_use/")
    page.get_by_label("In your own words").fill("Mostly on my own PA.")
    page.get_by_label(re.compile("^Level 3")).check()
    _click(page, "button", "Save and go to the next part")

    # Cost a PA the person will employ: 20 hours a week at £13, with the Employment Allowance.
    visit_and_check(page, f"/plan/{plan.pk}/costing/")
    page.get_by_label("A PA I employ").check()
    page.get_by_label("Name").fill("Morning PA")
    page.get_by_label("Hours a week").fill("20")
    page.get_by_label("Hourly pay or rate (£)").fill("13.00")
    _click(page, "button", "Add line")
    page.get_by_label(re.compile("I can claim the Employment Allowance")).check()
    _click(page, "button", "Save")
    for words in ("Holiday pay", "Employer National Insurance", "Workplace pension", "Employment Allowance"):
        assert words in _main(page)

    # The broker's package, found through the plan's suggestions (the matching engine).
    _click(page, "link", "Find help")
    assert "Bea B." in _main(page) and "Support plan with you" in _main(page)
    _click(page, "button", re.compile("Add “Support plan with you” to my costing"))
    assert "Support plan with you from Bea B." in _main(page)
    # £15,238.08 + £350 = £15,588.08 a year, / 13 = £1,199.08 every four weeks against £1,150.
    assert "Over budget by £49.08 every four weeks (£638.08 a year)." in _main(page)

    # Fewer hours, by keyboard: 18 hours brings it under.
    page.locator("h1").focus()
    tab_to(page, "Change Morning PA")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)
    tab_to(page, "Hours a week")
    page.keyboard.press("Control+a")
    page.keyboard.type("18")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)
    assert "Under budget by £69.57 every four weeks (£904.45 a year)." in _main(page)

    # Share with the broker, who can comment but not change it.
    _click(page, "link", "Share")
    page.get_by_label("Bea B. (Independent support broker)").check()
    page.get_by_label("Broker", exact=True).check()
    _click(page, "button", "Share my plan")
    assert "They can read your plan and comment" in _main(page)
    assert re.search(r"\(Broker\), since", _main(page))

    broker = signed_in_page(broker_user)
    visit_and_check(broker, "/plan/")
    _click(broker, "link", re.compile("My support plan by"))
    assert "Seeing my sister on Sundays." in _main(broker)
    assert "You can read it and comment, but not change it." in _main(broker)
    assert broker.get_by_role("link", name="Costing").count() == 0
    broker.get_by_label("Your comment").fill("Looks good. Shall we add the bus fare to choir?")
    _click(broker, "button", "Add comment")
    assert "Comment added." in _main(broker)
    assert broker.goto(f"{live_server.url}/plan/{plan.pk}/costing/").status == 404

    # The person sees the comment and downloads the plan.
    visit_and_check(page, f"/plan/{plan.pk}/")
    assert "Shall we add the bus fare to choir?" in _main(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download the plan")).click()
    download = info.value
    assert download.suggested_filename == "support-plan.html"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "Seeing my sister on Sundays." in text and "Support plan with you" in text and "For the council" in text
    visit_and_check(page, f"/plan/{plan.pk}/print/")

    # The same pages on a phone.
    phone = new_context(viewport=PHONE)
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(seeker_user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    phone.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    small = phone.new_page()
    for path in ("/plan/", f"/plan/{plan.pk}/", f"/plan/{plan.pk}/part/outcomes/", f"/plan/{plan.pk}/costing/",
                 f"/plan/{plan.pk}/suggestions/", f"/plan/{plan.pk}/share/", f"/plan/{plan.pk}/compare/",
                 f"/plan/{plan.pk}/print/"):  # fmt: skip
        response = small.goto(path)
        assert response.ok, path
        check_axe(small)
