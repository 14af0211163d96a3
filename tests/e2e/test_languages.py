"""Languages in the browser (issue 17, items 1 and 2): choosing Urdu with the footer switcher, the page
right to left and mirrored at phone width, axe-core clean and no sideways scrolling."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.helpers import check_a11y, visit_and_check

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def choose_language(page, name: str) -> None:
    page.get_by_label("Language").select_option(label=name)
    with page.expect_navigation():
        page.locator(".language-switcher button").click()


def html_attrs(page) -> list[str]:
    return page.evaluate("[document.documentElement.lang, document.documentElement.dir]")


def test_home_and_sign_up_in_urdu_at_phone_width(new_context):
    page = new_context(viewport=PHONE).new_page()
    visit_and_check(page, "/")
    choose_language(page, "اردو")
    assert html_attrs(page) == ["ur", "rtl"]
    assert page.get_by_role("heading", level=1).inner_text() == "اپنے لیے مناسب مدد تلاش کریں"
    # The layout mirrors: the search panel's coloured edge is on the right, where Urdu lines start.
    edges = page.locator(".panel").first.evaluate(
        "el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]"
    )
    assert edges == ["6px", "0px"]
    # The footer says the translation is an unreviewed draft and where to send corrections.
    assert page.locator(".translation-note a").get_attribute("href") == "/accessibility/"
    check_a11y(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "urdu-home-390.png"), full_page=True)

    visit_and_check(page, "/accounts/signup/")
    assert html_attrs(page) == ["ur", "rtl"]


def test_arabic_is_right_to_left_and_english_comes_back(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    choose_language(page, "العربية")
    assert html_attrs(page) == ["ar", "rtl"]
    check_a11y(page)
    choose_language(page, "English")
    assert html_attrs(page) == ["en-GB", "ltr"]
