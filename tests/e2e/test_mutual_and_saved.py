"""Interest that can be mutual, saved searches and profiles people want to read, in a real browser at a phone's
width (390 px) and a desktop's (1280 px): what the person sees, axe-core on every page, and the mutual-interest
journey by keyboard alone."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from matching import search_services
from profiles import services as profile_services
from tests.e2e.helpers import check_a11y, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
SUPPORTER = "Sam the PA"


@pytest.fixture
def signed_in(new_context, live_server):
    """A page in its own browser context at the given width, signed in as `user` (a forced session cookie)."""

    def make(user, viewport, javascript=True):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = new_context(viewport=viewport, java_script_enabled=javascript)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return make


@pytest.fixture
def answered_advert(transactional_db):
    """A seeker's "support wanted" advert that a PA has already answered: the PA is interested."""
    seeker = make_profile(role="seeker", postcode="BB1", display_name="Sara")
    pa = make_profile(role="pa", postcode="BB2", display_name=SUPPORTER, travel_km=25, hourly_rate=Decimal("15.00"))
    advert = search_services.advert_create(
        seeker_profile=seeker, actor=seeker.user, title="PA wanted on Mondays", what="Help getting out for a walk."
    )
    search_services.advert_respond(
        advert=advert, supporter_profile=pa, actor=pa.user, message="I live nearby and I am free on Mondays."
    )
    return seeker, pa


def main_text(page) -> str:
    return page.locator("main").inner_text()


@WIDTHS
def test_saying_you_are_interested_too_opens_the_conversation(signed_in, answered_advert, viewport):
    seeker, pa = answered_advert
    page = signed_in(seeker.user, viewport)
    visit_and_check(page, f"/register/{pa.ref}/")
    contact = page.get_by_role("button", name=f"I'm interested: contact {SUPPORTER}")
    assert contact.is_visible()
    assert contact.bounding_box()["y"] < viewport["height"], "the contact button is not on the first screen"
    submit_and_check(page, lambda: contact.click())
    page.get_by_label("Your message").fill("Yes please, Mondays would be lovely.")
    submit_and_check(page, lambda: page.get_by_role("button", name="Send request").click())
    assert page.get_by_role("heading", name=f"Conversation with {pa.user}").is_visible()
    assert "You are both interested" in main_text(page)
    assert "Yes please, Mondays would be lovely." in main_text(page)

    # The PA sees it too: on the notification centre and on the seeker's page.
    other = signed_in(pa.user, viewport)
    visit_and_check(other, "/notifications/")
    assert "You are both interested: your conversation is open" in main_text(other)
    visit_and_check(other, f"/register/{seeker.ref}/")
    assert "You are both interested." in main_text(other)
    submit_and_check(other, lambda: other.get_by_role("link", name="Go to your conversation with Sara").click())
    assert "Yes please, Mondays would be lovely." in main_text(other)


def test_the_mutual_interest_journey_by_keyboard_alone(signed_in, answered_advert):
    seeker, pa = answered_advert
    page = signed_in(seeker.user, PHONE)
    keys = page.keyboard
    visit_and_check(page, "/adverts/mine/")
    tab_to(page, "PA wanted on Mondays")
    submit_and_check(page, lambda: keys.press("Enter"))
    tab_to(page, f"I'm interested in {SUPPORTER} too")
    submit_and_check(page, lambda: keys.press("Enter"))
    tab_to(page, "Your message")
    keys.type("Thank you, yes please.")
    tab_to(page, "Send request")
    submit_and_check(page, lambda: keys.press("Enter"))
    assert "You are both interested" in main_text(page)
    assert page.get_by_role("heading", name=f"Conversation with {pa.user}").is_visible()


@WIDTHS
def test_a_saved_search_tells_its_owner_when_a_fitting_listing_is_published(signed_in, transactional_db, viewport):
    searcher = UserFactory(preferred_name="Sue Searcher")
    page = signed_in(searcher, viewport)
    visit_and_check(page, "/register/?role=pa&postcode=BB1&within_km=8")
    toggle = page.locator("details#filters > summary")
    if page.locator("details#filters[open]").count() and toggle.is_visible():  # open over the results on a phone
        toggle.click()
    page.locator("summary", has_text="Save this search").click()
    page.get_by_label("Name this search").fill("PAs near me")
    page.get_by_label("Email me too when a new listing fits").check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Save this search").click())
    assert page.get_by_role("heading", name="PAs near me").is_visible()
    assert "No new listings yet" in main_text(page)

    # A PA nearby lists themselves on their own page; the task worker checks the saved searches after it commits.
    newcomer = make_profile(role="pa", postcode="BB2", display_name="Nia Newcomer", listed=False, travel_km=20)
    far = make_profile(role="pa", postcode="PR1", display_name="Far Away Fred", listed=False, travel_km=5)
    for profile in (newcomer, far):
        publisher = signed_in(profile.user, viewport)
        visit_and_check(publisher, f"/me/profiles/{profile.pk}/edit/")
        submit_and_check(publisher, publisher.get_by_role("button", name="List on the register").click)

    visit_and_check(page, "/notifications/")
    assert page.get_by_role("link", name="A new listing fits a search you saved").count() == 1
    submit_and_check(page, lambda: page.get_by_role("link", name="A new listing fits a search you saved").click())
    assert "Nia Newcomer" in main_text(page) and "Far Away Fred" not in main_text(page)
    visit_and_check(page, "/searches/")
    assert "1 new listing found so far" in main_text(page)


@WIDTHS
def test_a_profile_shows_a_bit_about_me_and_the_answered_prompts(signed_in, transactional_db, viewport):
    pa = make_profile(role="pa", postcode="BB2", display_name=SUPPORTER, hourly_rate=Decimal("15.00"))
    profile_services.profile_update(
        profile=pa,
        actor=pa.user,
        data={
            "about": "I am a calm, cheerful PA who loves the outdoors and a good cup of tea.",
            "prompts": [
                {"prompt": "good_day", "answer": "A walk by the canal, a good lunch and a laugh."},
                {"prompt": "best_when", "answer": "I know what matters to the person I support."},
            ],
        },
    )
    page = signed_in(UserFactory(), viewport)
    visit_and_check(page, f"/register/{pa.ref}/")
    assert page.get_by_role("heading", name="A bit about me").is_visible()
    assert page.get_by_role("heading", name="A good day supporting someone looks like...").is_visible()
    assert "A walk by the canal, a good lunch and a laugh." in main_text(page)
    assert page.get_by_role("heading", name="I'm at my best when...").is_visible()
    book = page.get_by_role("link", name=f"Book {SUPPORTER}").first
    assert book.bounding_box()["y"] < viewport["height"], "booking is not on the first screen"

    # The owner edits the prompts on the edit page and sees the strength meter there.
    owner = signed_in(pa.user, viewport)
    visit_and_check(owner, f"/me/profiles/{pa.pk}/edit/")
    assert "Details that count in matching" in main_text(owner)
    assert "Add the days and times you are free" in main_text(owner)
    owner.get_by_role("combobox", name=re.compile(r"^Prompt 3")).select_option("outside_work")
    owner.get_by_role("textbox", name=re.compile(r"^Your answer to prompt 3")).fill("On the fells with my dog.")
    submit_and_check(owner, lambda: owner.get_by_role("button", name="Save changes").click())
    visit_and_check(owner, f"/register/{pa.ref}/")
    assert "On the fells with my dog." in main_text(owner)
    check_a11y(owner)


def test_the_mutual_interest_journey_without_javascript(signed_in, answered_advert):
    seeker, pa = answered_advert
    page = signed_in(seeker.user, DESKTOP, javascript=False)
    assert page.goto(f"/register/{pa.ref}/").ok
    with page.expect_navigation():
        page.get_by_role("button", name=f"I'm interested: contact {SUPPORTER}").click()
    page.get_by_label("Your message").fill("Yes please.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert "You are both interested" in main_text(page)
    assert page.get_by_role("heading", name=f"Conversation with {pa.user}").is_visible()
    # axe-core needs JavaScript (its timers never fire without it): the same page is checked in a tab with it.
    visit_and_check(signed_in(seeker.user, DESKTOP), page.url)
