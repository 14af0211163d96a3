"""A seeker's search-to-contact journey in Welsh, Polish and Urdu at a phone's width (issue 17, "Inclusion").

The seeker chooses the language with the footer's switcher, turns on easy read, the largest text (twice the
size) and high contrast on the display settings page, searches the register from the home page, opens a
PA's listing, reaches the contact form and sends a first message. On every page of the way:

- ``<html lang>`` and ``dir`` are the chosen language's (Urdu right to left) and the layout is mirrored for it
  (the header starts on the right; a panel's coloured edge is on the side where lines start);
- axe-core finds nothing serious or critical (with high contrast on);
- at 390 px with text twice the size the page does not scroll sideways (``scrollWidth <= innerWidth``), no
  text is cut off (a box hiding its overflow, a drop-down list too narrow for its chosen option) and no words
  are squeezed into a column under five characters wide (where they break mid-word);
- the words the catalogue already translates show in the chosen language.

The expected words are never written out here: ``expected(lang, "English source")`` asks the language's
catalogue (locale/<lang>/LC_MESSAGES/django.po) with ``gettext``, as the page does, so the test holds as
translators fill the catalogues in. A string nobody has translated yet is still English on the page and in
``gettext``, so listing it does no harm either; to check more words on a page, add their English source
text to that page's tuple below (``HOME``, ``DISPLAY``, ...), or call ``assert_shows(page, lang, "...")``.
Buttons and links whose words are not translated yet are found by where they lead, not by their words.

A full-page screenshot of each language's register results, and of the phone's first screen of it, goes to
docs/screenshots/.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from inclusion.forms import DisplayForm
from inclusion.models import Contrast, TextSize
from matching import live
from messaging.models import ContactRequest
from tests.e2e.helpers import check_axe
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PA_NAME = "Sam the PA"
MESSAGE = "Hello, I am looking for help with shopping on Monday mornings."

# (code, screenshot name, direction)
JOURNEYS = [
    pytest.param("cy", "welsh", "ltr", id="cy"),
    pytest.param("pl", "polish", "ltr", id="pl"),
    pytest.param("ur", "urdu", "rtl", id="ur"),
]

# English source strings (msgids) each page shows, translated in the catalogues today. Add more here as
# templates are marked for translation and the catalogues are filled in.
FRAME = (  # the navigation and the footer, on every page
    "Find support",
    "Messages",
    "Notifications",
    "More",
    "Quality in your area",
    "Community recommended",
    "About the data",
    "Staying safe",
    "Accessibility",
    "Display settings: text size and colours",
    "Open Circle is an open register: anyone can list themselves. We say exactly what has been checked, "
    "by whom and when.",
    "Language",
    "Change language",
)
HOME = (
    "Find support that fits you",
    "Search the register",
    "Looking for",
    "Near postcode",
    "For example BB1 or BB1 2AB.",
    "Search",
    "How Open Circle works",
    "Anyone can list themselves.",
    "We match on what you share.",
    "You choose who to talk to.",
)
DISPLAY = (
    "Display settings",
    "Change how pages look for you.",
    "We remember your choice on every device you sign in on.",
    "Text size",
    "Colours",
    "Reading",
    "Easy read",
    "Save display settings",
)
SAVED = ("Done:", "Your display settings are saved for every device you use.")
REGISTER = ("Find support", "Filters")
LISTING = ("A bit about me", "Skills", "Personal care")
CONTACT = ("Send request",)
SENT = ("Done:",)
# Every string the journey checks must be translated in all three catalogues (not English passing for it).
NAMES_AND_BRANDS = {"Open Circle"}


@pytest.mark.parametrize("lang", ["cy", "pl", "ur"])
def test_every_string_the_journey_checks_is_translated(lang):
    sources = [*FRAME, *HOME, *DISPLAY, *SAVED, *REGISTER, *LISTING, *CONTACT, *SENT]
    untranslated = [s for s in sources if s not in NAMES_AND_BRANDS and expected(lang, s) == s]
    assert not untranslated, untranslated


def expected(lang: str, english: str) -> str:
    """What the page should say for this English source string in `lang`: the catalogue's translation, or the
    English itself where there is none yet (the page falls back the same way)."""
    with translation.override(lang):
        return translation.gettext(english)


def choice_label(lang: str, field: str, value) -> str:
    """The display settings form's own label for one of its choices, in `lang` (the form's wording, whatever
    it is now, rather than a copy of it)."""
    with translation.override(lang):
        return str(dict(DisplayForm.base_fields[field].choices)[value])


def _normalised(text: str) -> str:
    return " ".join(text.split())


def assert_shows(page, lang: str, *english: str, within: str = "body") -> None:
    """Each string, as the catalogue gives it in `lang`, is visible text on the page (or in `within`)."""
    shown = _normalised(page.locator(within).inner_text())
    missing = [
        f"{source!r} -> {expected(lang, source)!r}"
        for source in english
        if _normalised(expected(lang, source)) not in shown
    ]
    assert not missing, f"{page.url} in {lang} does not show:\n  " + "\n  ".join(missing)


# The structural checks ----------------------------------------------------------------------------------

_LAYOUT_JS = """() => {
  const root = document.documentElement;
  const shown = el => !el.closest(".visually-hidden, [hidden]") && el.getClientRects().length > 0;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + Array.from(el.classList).join(".") : "");
  const words = el => ": " + JSON.stringify((el.innerText || "").replace(/\\s+/g, " ").trim().slice(0, 40));
  // Cut off: a box that hides what overflows it, with more text than fits.
  const clipped = [];
  for (const el of document.querySelectorAll("h1, h2, h3, label, legend, button, .button, a, summary, p, dt, dd, li")) {
    const style = getComputedStyle(el);
    if (!shown(el)) continue;
    const hides = ["hidden", "clip"].includes(style.overflowX) || ["hidden", "clip"].includes(style.overflowY);
    if (hides && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(name(el) + words(el));
    }
  }
  // A drop-down list shows its chosen option on one line and cuts off what does not fit.
  const measure = document.createElement("canvas").getContext("2d");
  for (const el of document.querySelectorAll("select")) {
    const style = getComputedStyle(el);
    if (!shown(el) || style.appearance === "base-select" || !el.selectedOptions.length) continue;
    measure.font = style.font;
    const text = el.selectedOptions[0].text;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;  // 16: the arrow
    if (measure.measureText(text).width > room) clipped.push("select#" + el.id + ": " + JSON.stringify(text));
  }
  // Squeezed: words in a column under five characters' widths (5em) wide break mid-word or one to a line.
  const squeezed = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display.startsWith("inline") || !shown(el) || ["IMG", "SVG", "SELECT", "INPUT", "TEXTAREA"].includes(el.tagName)) continue;
    const leaf = Array.from(el.children).every(child => getComputedStyle(child).display.startsWith("inline"));
    const text = (el.innerText || "").trim();
    if (!leaf || text.length < 12) continue;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (room > 0 && room < 5 * parseFloat(style.fontSize)) squeezed.push(name(el) + " (" + Math.round(room) + "px)" + words(el));
  }
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > window.innerWidth + 1 || box.left < -1) && !el.closest(".visually-hidden, .skip-link")) {
      wide.push(name(el) + " (" + Math.round(box.left) + " to " + Math.round(box.right) + "px)");
    }
  }
  const brand = document.querySelector(".site-header .brand").getBoundingClientRect();
  return {
    lang: root.lang, dir: root.dir, classes: root.className,
    scrollWidth: root.scrollWidth, innerWidth: window.innerWidth,
    brandCentre: (brand.left + brand.right) / 2,
    clipped: clipped.slice(0, 8), squeezed: squeezed.slice(0, 8), wide: wide.slice(0, 8),
  };
}"""


def check_page(page, lang: str, direction: str, *english: str, display_on: bool = True) -> None:
    """The structural checks every page of the journey passes, then its translated words."""
    assert page.viewport_size == PHONE
    found = page.evaluate(_LAYOUT_JS)
    where = f"{page.url} ({lang})"
    assert [found["lang"], found["dir"]] == [lang, direction], where
    if display_on:
        for name in ("text-200", "contrast-high", "easy-read"):
            assert name in found["classes"].split(), f"{where}: <html class> is {found['classes']!r}"
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{where} scrolls sideways at 390 px: {found['scrollWidth']}px wide; {found['wide']}"
    )
    assert not found["clipped"], f"{where}: text is cut off: {found['clipped']}"
    assert not found["squeezed"], f"{where}: words are squeezed into a narrow column: {found['squeezed']}"
    # Mirrored for right-to-left: the site's name starts the header on the right, where Urdu lines start.
    if direction == "rtl":
        assert found["brandCentre"] > found["innerWidth"] / 2, f"{where}: the header is not mirrored"
    else:
        assert found["brandCentre"] < found["innerWidth"] / 2, f"{where}: the header is mirrored"
    check_axe(page)
    assert_shows(page, lang, *FRAME, *english)


def assert_edge_at_line_start(page, selector: str) -> None:
    """A box's coloured edge marks where its lines start: on the left in left-to-right text and on the right in
    right-to-left text (CSS logical properties, so the layout mirrors). The box's own direction decides: a page
    not translated yet keeps its English content left to right inside an Urdu frame."""
    right, left, direction = page.locator(selector).first.evaluate(
        "el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth, getComputedStyle(el).direction]"
    )
    start, end = (right, left) if direction == "rtl" else (left, right)
    assert start != "0px" and end == "0px", (
        f"{selector} ({direction}) on {page.url}: left edge {left}, right edge {right}"
    )


def _navigate(page, action) -> None:
    with page.expect_navigation():
        action()
    page.wait_for_load_state()


# The journey --------------------------------------------------------------------------------------------


@pytest.fixture
def people(transactional_db):
    """A seeker in BB1 (not listed) and a PA nearby to find and contact."""
    live.reset_index()
    seeker = UserFactory(preferred_name="Rosa Martin")
    make_profile(seeker, role="seeker", postcode="BB1", display_name="Rosa M.", listed=False)
    pa = make_profile(
        role="pa",
        postcode="BB1",
        display_name=PA_NAME,
        travel_km=20,
        skills=["personal_care"],
        hourly_rate=Decimal("15.00"),
        about="Patient and calm. I enjoy walks and cooking together.",
    )
    yield seeker, pa
    live.reset_index()


@pytest.mark.parametrize(("lang", "screenshot", "direction"), JOURNEYS)
def test_a_seeker_searches_and_contacts_a_pa_in_their_language(signed_in_page, people, lang, screenshot, direction):
    seeker, pa = people
    # The catalogue is compiled and translates the navigation: otherwise every check below would pass in English.
    assert expected(lang, "Find support") != "Find support", f"locale/{lang} has no compiled catalogue"
    page = signed_in_page(seeker)
    page.set_viewport_size(PHONE)

    # 1. The home page in English; the footer's switcher changes the language (and saves it for the seeker).
    assert page.goto("/").ok
    page.get_by_label("Language").select_option(label=dict(settings.LANGUAGES)[lang])
    _navigate(page, lambda: page.locator(".language-switcher button").click())
    check_page(page, lang, direction, *HOME, display_on=False)
    assert_edge_at_line_start(page, "main .panel")  # the search panel (high contrast outlines it all round)

    # 2. Display settings, from the footer: easy read, the largest text and high contrast.
    _navigate(
        page,
        lambda: page.get_by_role("link", name=expected(lang, "Display settings: text size and colours")).click(),
    )
    assert urlparse(page.url).path == reverse("inclusion:display"), page.url
    check_page(page, lang, direction, *DISPLAY, display_on=False)
    largest, high_contrast = (
        choice_label(lang, "text_size", TextSize.LARGEST),
        choice_label(lang, "contrast", Contrast.HIGH),
    )
    choices = _normalised(page.locator("main").inner_text())
    assert largest in choices and high_contrast in choices, choices
    page.get_by_label(expected(lang, "Easy read"), exact=True).check()
    page.get_by_label(largest, exact=True).check()
    page.get_by_label(high_contrast, exact=True).check()
    _navigate(page, lambda: page.get_by_role("button", name=expected(lang, "Save display settings")).click())
    # Back where the seeker came from (the home page), with every choice on.
    assert urlparse(page.url).path == "/", page.url
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    check_page(page, lang, direction, *HOME, *SAVED)

    # 3. The home page's search: personal assistants near BB1.
    search = page.locator("form", has=page.get_by_label(expected(lang, "Looking for")))
    search.get_by_label(expected(lang, "Looking for")).select_option(label=expected(lang, "Personal assistants"))
    search.get_by_label(expected(lang, "Near postcode")).fill("BB1")
    _navigate(page, lambda: search.get_by_role("button", name=expected(lang, "Search"), exact=True).click())
    assert urlparse(page.url).path == reverse("profiles:browse"), page.url
    check_page(page, lang, direction, *REGISTER)
    assert_edge_at_line_start(page, ".filters-body")
    assert page.locator(".easy-read-box").is_visible(), "easy read is on, but the register shows no easy-read box"
    card_link = page.locator(f'#register-grid a.card-link[href="{pa.get_absolute_url()}"]')
    assert card_link.is_visible(), page.locator("main").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-journey-390.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-journey-390-screen.png"))  # what a phone shows first

    # 4. The PA's listing.
    _navigate(page, card_link.click)
    assert urlparse(page.url).path == pa.get_absolute_url(), page.url
    assert page.get_by_role("heading", level=1).inner_text() == PA_NAME
    check_page(page, lang, direction, *LISTING)

    # 5. The contact form, from the listing's contact button.
    contact_url = reverse("messaging:contact-request-create", args=[pa.ref])
    _navigate(page, lambda: page.locator(f'main form[action="{contact_url}"] button[type="submit"]').click())
    assert urlparse(page.url).path == contact_url, page.url
    check_page(page, lang, direction, *CONTACT)

    # 6. Sending the first message.
    form = page.locator("form.contact-request-form")
    form.locator("textarea").fill(MESSAGE)
    _navigate(page, lambda: form.locator('button[type="submit"]').click())
    assert urlparse(page.url).path == reverse("messaging:requests"), page.url
    check_page(page, lang, direction, *SENT)
    assert ContactRequest.objects.filter(sender=seeker, recipient=pa.user, message=MESSAGE).exists()
