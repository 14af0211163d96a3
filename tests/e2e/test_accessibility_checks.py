"""The checks the journeys rely on catch real problems, and forms explain mistakes accessibly.

If axe-core could not run (for example because the page's Content Security Policy blocked it),
or the reflow or focus checks measured nothing, the journeys would pass without checking
anything: these tests make the checks fail on a page that has each problem.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import check_a11y, check_axe, check_reflow, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

_ADD_UNLABELLED_FIELD = """() => {
  const input = document.createElement("input");
  input.type = "text";
  document.querySelector("main").append(input);
}"""
_ADD_WIDE_BOX = """() => {
  const box = document.createElement("div");
  box.id = "too-wide";
  box.style.width = "900px";
  box.textContent = "A box that does not fit";
  document.querySelector("main").append(box);
}"""
_ADD_BUTTON_WITHOUT_FOCUS_STYLE = """() => {
  const button = document.createElement("button");
  button.textContent = "Invisible focus";
  button.style.outline = "none";
  button.style.boxShadow = "none";
  document.querySelector("main").prepend(button);
}"""


def test_the_axe_check_fails_on_a_field_with_no_label(page):
    visit_and_check(page, "/about-the-data/")
    page.evaluate(_ADD_UNLABELLED_FIELD)
    with pytest.raises(pytest.fail.Exception, match="label"):
        check_axe(page)


def test_the_reflow_check_fails_on_a_page_that_scrolls_sideways_on_a_phone(page):
    visit_and_check(page, "/accessibility/")
    page.evaluate(_ADD_WIDE_BOX)
    with pytest.raises(pytest.fail.Exception, match="too-wide"):
        check_reflow(page)


def test_the_keyboard_check_fails_when_focus_is_invisible(page):
    visit_and_check(page, "/")
    page.evaluate(_ADD_BUTTON_WITHOUT_FOCUS_STYLE)
    with pytest.raises(AssertionError, match="focus is not visible"):
        tab_to(page, "Invisible focus")


def test_the_password_rules_are_read_out_with_the_password_field(page):
    visit_and_check(page, "/accounts/signup/")
    described_by = page.get_by_label("Password", exact=True).get_attribute("aria-describedby")
    rules = page.locator(f"#{described_by}").inner_text()
    assert "at least 10 characters" in rules


def test_a_form_with_mistakes_leads_to_each_field_from_its_error_summary(signed_in_page):
    page = signed_in_page(UserFactory())
    visit_and_check(page, "/onboarding/")
    submit_and_check(page, lambda: page.get_by_role("button", name="Continue").click())

    summary = page.locator("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.get_by_role("link")
    assert links.count() == 3
    for index in range(links.count()):
        links.nth(index).focus()
        page.keyboard.press("Enter")
        target = links.nth(index).get_attribute("href")
        assert page.evaluate("document.activeElement.id") == target.removeprefix("#")
    check_a11y(page)
