"""The API documentation renders under the site's strict content security policy (its assets come from our
own /static/, not a CDN), and a token made on the account page calls the search API."""

from __future__ import annotations

import pytest

from matching import live
from tests.e2e.helpers import check_axe, check_reflow, choose_radio, tab_to
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


def test_the_api_docs_render_their_operations_with_the_csp_on(page):
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto("/api/docs/")
    assert response is not None and response.ok
    policy = response.headers.get("content-security-policy", "")
    assert _directive(policy, "script-src") == ["'self'"] and _directive(policy, "style-src") == ["'self'"]
    # Operations from the schema, drawn by the documentation's script (the page is empty without it).
    page.get_by_text("/api/v1/matches/", exact=True).first.wait_for(state="visible", timeout=20_000)
    assert page.get_by_text("Messages in a conversation, in order").first.is_visible()
    assert page.locator(".opblock").count() > 20
    origin = page.url.split("/api/")[0]
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert scripts and all(src.startswith(origin + "/") for src in scripts), scripts
    assert not blocked, blocked


@pytest.fixture
def seeker_with_matches(transactional_db):
    live.reset_index()  # the index lives for the whole process: build it from this test's data
    user = UserFactory(preferred_name="Nia")
    make_profile(user, role="seeker", postcode="BB1", listed=False, seeking={"interests": ["walking"], "max_km": 25})
    make_profile(role="pa", postcode="BB2", display_name="Wendy Walker", travel_km=25, interests=["walking"])
    yield user
    live.reset_index()


def test_a_token_made_on_the_account_page_calls_the_search_api(signed_in_page, new_context, seeker_with_matches):
    page = signed_in_page(seeker_with_matches)
    page.goto("/me/")
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url("**/me/api-tokens/")
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        check_axe(page)
    # Made with the keyboard alone, as a keyboard or switch user would.
    tab_to(page, "Name")
    page.keyboard.type("Budget spreadsheet")
    tab_to(page, "90 days")
    choose_radio(page, "365 days (one year)")
    tab_to(page, "Make token")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    token = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert token.startswith("oc_")
    assert "You will not see it again" in page.locator("main").inner_text()
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        check_axe(page)
    check_reflow(page)

    # A program with no session, only the token.
    program = new_context().request
    refused = program.get("/api/v1/matches/")
    assert refused.status in (401, 403)
    answer = program.get("/api/v1/matches/", headers={"Authorization": f"Token {token}"})
    assert answer.status == 200, answer.text()
    assert "Wendy Walker" in answer.text()
    # The account page now shows when it was last used.
    page.goto("/me/api-tokens/")
    assert "Never" not in page.locator("main").inner_text()
