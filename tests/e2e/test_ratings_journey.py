"""Ratings and community quality assurance, as the people involved would meet them in a browser.

- After working together, a person rates their PA and is told the rating stays hidden; the PA
  rates them back, both ratings are revealed, and the PA replies beside the review.
- The same rating form, with the keyboard alone.
- A community panel of three votes through its pages to recommend a PA; the PA's listing
  then says who recommended them and when.
- The area quality page draws its charts with text alternatives and the same figures as tables.
Every page on the way must pass axe-core (no serious or critical problems) and reflow.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.utils import timezone

from matching.services import engagement_record
from ratings import services
from ratings.models import Panel, PanelMember, Rating
from tests.e2e.helpers import choose_radio, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

_refs = itertools.count(1)
SCORES = {
    "Reliability": "5: excellent",
    "Communication": "4: good",
    "Respect and dignity": "5: excellent",
    "Skills": "4: good",
    "Overall": "5: excellent",
}
GOOD = {"reliability": 5, "communication": 4, "respect": 5, "skills": 4, "overall": 5, "comment": "Kind and on time."}


def _main(page) -> str:
    return page.locator("main").inner_text()


def _click(page, role: str, name: str | re.Pattern) -> None:
    submit_and_check(page, lambda: page.get_by_role(role, name=name, exact=isinstance(name, str)).click())


def _engage(seeker, profile):
    return engagement_record(
        seeker=seeker,
        supporter=profile.user,
        supporter_profile=profile,
        source="booking",
        source_ref=f"booking:e2e-{next(_refs)}",
    )


@pytest.fixture
def pair(transactional_db):
    seeker = UserFactory(preferred_name="Amira Khan")
    profile = make_profile(UserFactory(preferred_name="Ben Lowe"), role="pa", postcode="BB1", display_name="Ben L.")
    _engage(seeker, profile)
    return seeker, profile


def _fill_rating(page, comment: str) -> None:
    for group, score in SCORES.items():
        page.get_by_role("group", name=re.compile(f"^{group}")).get_by_label(score, exact=True).check()
    page.get_by_label(re.compile("^Comment")).fill(comment)


def _assert_blind_notice(page) -> None:
    main = _main(page)
    assert "Your rating is saved. The other person will not see it until they have rated too" in main
    hidden_until = timezone.localdate(Rating.objects.latest("pk").visible_from)
    assert f"Hidden from the other person until they rate you, or until {hidden_until:%-d %B %Y}." in main


def test_people_rate_each_other_blind_then_see_both_and_the_pa_replies(pair, signed_in_page):
    seeker_user, profile = pair
    seeker, pa = signed_in_page(seeker_user), signed_in_page(profile.user)

    visit_and_check(seeker, "/ratings/")
    _click(seeker, "link", "Rate Ben Lowe")
    assert "Ben Lowe will not see your rating until they have rated you too, or for 14 days." in _main(seeker)
    _fill_rating(seeker, "Kind, patient and always on time.")
    _click(seeker, "button", "Save my rating")
    _assert_blind_notice(seeker)

    visit_and_check(pa, "/ratings/")
    assert "None you can see yet." in _main(pa)
    assert "Kind, patient" not in _main(pa)
    _click(pa, "link", "Rate Amira Khan")
    _fill_rating(pa, "Clear about what she wanted. A pleasure to work with.")
    _click(pa, "button", "Save my rating")
    assert "This rating is shown to the other person." in _main(pa)

    # The reveal: each now sees what the other wrote.
    visit_and_check(seeker, "/ratings/")
    assert "Clear about what she wanted." in _main(seeker)
    _click(seeker, "link", "Your rating")
    assert "This rating is shown to the other person." in _main(seeker)
    visit_and_check(pa, "/ratings/")
    assert "Kind, patient and always on time." in _main(pa)

    _click(pa, "link", re.compile("^Open this review"))
    assert "Kind, patient and always on time." in _main(pa)
    pa.get_by_label("Your reply").fill("Thank you, Amira. It was a pleasure.")
    _click(pa, "button", "Post my reply")
    assert "Your reply is shown beside the review." in _main(pa)
    reply = pa.get_by_role("region", name="Reply from the person rated")
    assert "Thank you, Amira. It was a pleasure." in reply.inner_text()

    visit_and_check(seeker, f"/register/{profile.ref}/reviews/")
    review = seeker.get_by_role("listitem").filter(has_text="Kind, patient and always on time.")
    assert "Reply from the person rated:" in review.inner_text()
    assert "Thank you, Amira. It was a pleasure." in review.inner_text()


def test_the_rating_form_works_with_the_keyboard_alone(pair, signed_in_page):
    seeker_user, _ = pair
    page = signed_in_page(seeker_user)
    keys = page.keyboard
    visit_and_check(page, "/ratings/")
    tab_to(page, "Rate Ben Lowe")
    submit_and_check(page, lambda: keys.press("Enter"))

    for score in SCORES.values():
        # Tab enters the next group of radios at its first option, "5: excellent".
        tab_to(page, "5: excellent")
        if score == "5: excellent":
            keys.press("Space")
        choose_radio(page, score)
    tab_to(page, "Comment")
    keys.type("Reliable and kind.")
    tab_to(page, "Save my rating")
    submit_and_check(page, lambda: keys.press("Enter"))
    _assert_blind_notice(page)
    assert "Overall 5 out of 5." in _main(page)
    assert "Communication\n4 out of 5" in _main(page)


@pytest.fixture
def panel_of_three(transactional_db):
    panel = Panel.objects.create(
        name="Blackburn Peer Panel",
        area_prefix="BB",
        criteria="Turns up, listens, and respects people's choices. Known to at least two panel members.",
    )
    members = [UserFactory(preferred_name=name) for name in ("Cara Jones", "Dan Ode", "Eve Ali")]
    for member in members:
        PanelMember.objects.create(panel=panel, user=member, kind=PanelMember.Kind.PEER_ADVISOR)
        # Panel members need two-step sign-in (settings.MFA_REQUIRED_FOR).
        Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return panel, members


def test_a_community_panel_votes_to_recommend_a_pa_and_the_listing_says_so(pair, panel_of_three, signed_in_page):
    _, profile = pair
    panel, members = panel_of_three
    pages = [signed_in_page(member) for member in members]

    first = pages[0]
    visit_and_check(first, f"/community-recommended/{panel.pk}/propose/{profile.ref}/")
    first.get_by_label("Award the badge").check()
    first.get_by_label("How the listing meets, or no longer meets, the criteria").fill(
        "Two of us have employed Ben: always on time and respects people's choices."
    )
    _click(first, "button", "Open the vote")
    assert "Your proposal is open for the panel to vote on." in _main(first)

    for page in pages:
        if page is not first:  # the proposer is already on the panel's page
            visit_and_check(page, f"/community-recommended/{panel.pk}/")
        assert "Award the badge: Ben L." in _main(page)
        _click(page, "button", "Vote for")
        assert "Your vote is recorded." in _main(page)

    today = f"{timezone.localdate():%-d %B %Y}"
    recommended = pages[-1].get_by_role("list").filter(has=pages[-1].get_by_role("link", name="Ben L."))
    assert f"Ben L., since {today}" in recommended.inner_text()
    assert "Agreed. 3 votes so far." in _main(pages[-1])

    visitor = signed_in_page(UserFactory())
    visit_and_check(visitor, profile.get_absolute_url())
    assert f"Community recommended by Blackburn Peer Panel on {today}" in _main(visitor)
    _click(visitor, "link", "what the panel looks for")
    assert "Known to at least two panel members." in _main(visitor)


def _rated(profile, overall: int) -> None:
    """A revealed rating: the seeker rates, the supporter rates back."""
    seeker = UserFactory()
    engagement = _engage(seeker, profile)
    services.rating_create(actor=seeker, engagement=engagement, data={**GOOD, "overall": overall})
    services.rating_create(actor=profile.user, engagement=engagement, data=GOOD)
    services.poll_answer(actor=seeker, engagement=engagement, answer="yes" if overall >= 4 else "not_sure")


def _months_ago(count: int) -> datetime:
    """Noon on the 15th, `count` months before this month (so every rating is already in the past)."""
    today = timezone.now().astimezone(UTC)
    year, month = divmod(today.year * 12 + today.month - 1 - count, 12)
    return datetime(year, month + 1, 15, 12, tzinfo=UTC)


# Three months of overall scores: means 4.3, 4.5 and 4.5; eleven ratings (6 fives, 4 fours, 1 three).
MONTHS = ((3, [5, 4, 4]), (2, [5, 4, 4, 5]), (1, [5, 5, 5, 3]))


@pytest.fixture
def rated_area(transactional_db):
    """Eleven revealed ratings of PAs in the BB area over three months, and as many poll answers (10 needed)."""
    pas = [make_profile(role="pa", postcode=code) for code in ("BB1", "BB2")]
    for months_ago, overalls in MONTHS:
        with time_machine.travel(_months_ago(months_ago), tick=False):
            for i, overall in enumerate(overalls):
                _rated(pas[i % 2], overall)


def test_the_area_quality_page_draws_charts_with_text_alternatives_and_tables(rated_area, page, settings):
    settings.PUBLISH_MIN_COUNT = 3  # a month of three reviews is enough to chart here (the default, 10, withholds it)
    visit_and_check(page, "/quality/")
    page.get_by_label(re.compile("^Postcode area")).fill("BB")
    page.get_by_label("Type of support").select_option(label="Personal assistants")
    _click(page, "button", "Show quality")
    assert page.url.endswith("/quality/BB/pa/")

    # Each chart is one image to a screen reader, named by its <title> and described by its <desc>.
    distribution = page.get_by_role("img", name=re.compile("^Overall ratings, from 1 to 5"))
    assert distribution.get_attribute("aria-labelledby") == "dist-title dist-desc"
    assert page.locator("#dist-desc").text_content().strip() == (
        "1 out of 5: 0 ratings. 2 out of 5: 0 ratings. 3 out of 5: 1 rating. 4 out of 5: 4 ratings. 5 out of 5: 6 ratings."
    )
    trend = page.get_by_role("img", name=re.compile("^Average overall rating by month"))
    assert trend.get_attribute("aria-labelledby") == "trend-title trend-desc"
    months = [f"{_months_ago(n):%B %Y}" for n, _ in MONTHS]
    assert page.locator("#trend-desc").text_content().strip() == (
        f"{months[0]}: 4.3 out of 5 from 3. {months[1]}: 4.5 out of 5 from 4. {months[2]}: 4.5 out of 5 from 4."
    )
    for chart in (distribution, trend):
        assert chart.evaluate("el => el.tagName.toLowerCase() + ':' + el.closest('figure').tagName") == "svg:FIGURE"

    # The same figures as tables, for anyone who cannot read a chart.
    scores = page.get_by_role("table", name="Overall ratings")
    assert scores.get_by_role("rowheader").count() == 5
    assert scores.get_by_role("row", name="5 out of 5 6").count() == 1
    by_month = page.get_by_role("table", name="Average overall rating by month")
    assert [cell.inner_text() for cell in by_month.get_by_role("rowheader").all()] == months
    poll = page.get_by_role("table", name=re.compile("recommend"))
    assert poll.get_by_role("row", name="Yes 10 91%").count() == 1
