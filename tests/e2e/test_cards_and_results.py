"""Issue 15, items 1, 2 and photos: person cards, results first, filters in a panel, "show more", shortlist and
"I'm interested" in place, at a phone's width (390 px) and a desktop's (1280 px), with the keyboard alone and
without JavaScript. Screenshots for the README go to docs/screenshots/."""

from __future__ import annotations

import asyncio
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageDraw, ImageFilter

from marketplace.management.commands.seed_demo import give_demo_pictures
from matching import live
from profiles import services
from tests.e2e.helpers import _FOCUSED_NAME_JS, check_a11y, submit_and_check, tab_to, visit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FIRST_NAMES = ["Wendy Walker", "Ned Nearby", "Priya Shah", "Tom Jones", "Kasia Nowak", "Ama Mensah", "Iain Ross"]


def wait_for_focus(page, name: str) -> None:
    """Wait until the focused element's accessible name is ``name`` (htmx moves focus once a swap settles)."""
    page.wait_for_function(f"() => ({_FOCUSED_NAME_JS})() === {json.dumps(name)}")


def photo_upload(seed: int) -> SimpleUploadedFile:
    """A photo-like picture (soft shapes and gradients, some grain), as a phone would send: a 1200 px JPEG."""
    image = Image.new("RGB", (1200, 1200), (40 + seed * 20 % 180, 90, 140))
    draw = ImageDraw.Draw(image)
    for i in range(30):
        x, y = (seed * 97 + i * 131) % 1200, (seed * 53 + i * 211) % 1200
        draw.ellipse((x - 150, y - 150, x + 150, y + 150), fill=((i * 40) % 255, (seed * 30 + i * 7) % 255, 120))
    image = image.filter(ImageFilter.GaussianBlur(12)).effect_spread(2)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files on disk and served by the live server (the test settings keep them in memory)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.ROOT_URLCONF = "tests.e2e.media_urls"
    return tmp_path


@pytest.fixture
def register(transactional_db, media):
    """A seeker in BB1 and 45 personal assistants near them: most with a drawn demo picture, three with photos."""
    live.reset_index()
    seeker = UserFactory()
    make_profile(
        seeker,
        role="seeker",
        postcode="BB1",
        listed=False,
        languages=["pl"],
        seeking={
            "interests": ["walking"],
            "skills": ["personal_care"],
            "availability": ["mon 09:00-12:00"],
            "max_km": 30,
        },
    )
    supporters = []
    for i in range(45):
        name = FIRST_NAMES[i] if i < len(FIRST_NAMES) else f"Helper {i + 1:02d}"
        supporters.append(
            make_profile(
                role="pa",
                postcode=("BB1", "BB2", "BB3")[i % 3],
                display_name=name,
                travel_km=30,
                skills=["personal_care"],
                interests=["walking"] if i % 2 == 0 else ["music"],
                languages=["en", "pl"] if i % 4 == 0 else ["en"],
                availability=["mon 09:00-13:00"] if i % 3 else ["tue 09:00-13:00"],
                hourly_rate=Decimal("14.00") + i % 5,
                dbs_level="enhanced" if i % 2 else "",
            )
        )
    give_demo_pictures()
    for n, profile in enumerate(supporters[1:4]):
        services.photo_set(
            profile=profile,
            actor=profile.user,
            upload=photo_upload(n),
            alt_text=f"{profile.display_name} smiling in a park",
        )
    yield seeker
    live.reset_index()


@pytest.fixture
def person_page(new_context, live_server):
    def make(user, viewport, **options):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = new_context(viewport=viewport, **options)
        context.set_default_timeout(30_000)  # a ceiling, not a wait: the first search builds the index
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return make


def navigate(page, action) -> None:
    """Do something that loads a new page and wait for it (without JavaScript: no axe-core check)."""
    with page.expect_navigation():
        action()


def first_card_is_visible(page) -> None:
    box = page.locator(".card-grid > li").first.locator("h3").bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"], box


def mark_page(page) -> None:
    """Something only this page load has: if the page reloads, it is gone."""
    page.evaluate("window.__sameLoad = true")


def same_load(page) -> bool:
    return page.evaluate("window.__sameLoad === true")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=False)
    with Image.open(path) as taken:  # a small PNG for the README: 64 colours are plenty for a page
        small = taken.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_first_result_is_in_view_without_scrolling_on_both_pages(register, person_page, viewport):
    page = person_page(register, viewport)
    visit_and_check(page, "/matches/")
    first_card_is_visible(page)
    card = page.locator("article.match-card").first
    assert card.locator("img, .avatar-initials").count() == 1
    assert re.search(
        r"You both enjoy walking|Free when you need|Speaks your language", page.locator("main").inner_text()
    )
    width = viewport["width"]
    columns = page.evaluate(
        "getComputedStyle(document.querySelector('.card-grid')).gridTemplateColumns.split(' ').length"
    )
    assert columns == (1 if width == 390 else 3)
    shot(page, f"matches-{width}.png")
    visit_and_check(page, "/register/?postcode=BB1&within_km=16")
    first_card_is_visible(page)
    assert page.get_by_text("Demo picture").first.is_visible()
    shot(page, f"register-{width}.png")
    helper = page.locator("article.profile-card").filter(has=page.locator('img[alt$="smiling in a park"]')).first
    submit_and_check(page, lambda: helper.locator(".card-link").click())
    shot(page, f"profile-{width}.png")


def test_the_whole_card_is_one_link_and_its_actions_still_work(register, person_page):
    page = person_page(register, DESKTOP)
    visit_and_check(page, "/matches/")
    card = page.locator("article.match-card").first
    assert card.get_by_role("link").first.get_attribute("class") == "card-link"
    assert card.locator("a a, a button, button a").count() == 0  # nothing interactive inside the link
    name = card.locator("h3").inner_text()
    box = card.locator(".chips").bounding_box() or card.locator(".meta").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)  # not on the name: anywhere on the card
    assert page.locator("h1").inner_text().startswith(name)


def test_filters_open_over_the_results_on_a_phone_apply_and_the_address_keeps_them(register, person_page):
    page = person_page(register, PHONE)
    visit_and_check(page, "/matches/")
    start = page.url
    assert not page.get_by_label("Things in common").is_visible()
    page.get_by_text("Filters and what matters to you").click()
    panel = page.locator("#filters")
    box = panel.bounding_box()
    assert box["y"] <= 1 and box["height"] >= PHONE["height"] - 1  # over the results, the whole screen
    check_a11y(page)
    page.get_by_label("Things in common").check()
    page.get_by_label("At least one shared interest").check()
    submit_and_check(page, lambda: page.get_by_role("button", name="Show matches").click())
    assert "matters=interests" in page.url and "must=interests" in page.url
    first_card_is_visible(page)
    cards = page.locator("article.match-card")
    assert all("walking" in cards.nth(i).inner_text().lower() for i in range(cards.count()))
    page.go_back()
    page.wait_for_url(start)
    shared = page.url
    page.goto(shared)  # the same address gives the same search (shareable)
    assert page.locator("article.match-card").count() == 20


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_shortlist_and_interest_act_in_place_and_keep_the_place(register, person_page, viewport):
    page = person_page(register, viewport)
    visit_and_check(page, "/matches/")
    mark_page(page)
    card = page.locator("article.match-card").nth(4)
    name = card.locator("h3").inner_text()
    card.scroll_into_view_if_needed()
    before = card.bounding_box()["y"]
    card.get_by_role("button", name=f"Add to shortlist: {name}").click()
    card.get_by_role("button", name=f"Remove from shortlist: {name}").wait_for()
    assert f"{name} is on your shortlist." in card.inner_text()
    assert same_load(page) and abs(card.bounding_box()["y"] - before) < 40  # the card stays where it was on screen
    wait_for_focus(page, f"Remove from shortlist: {name}")

    card.get_by_role("link", name=f"I'm interested: contact {name}").click()
    card.get_by_label("Your message").wait_for()
    wait_for_focus(page, "Your message")
    card.get_by_label("Your message").fill("Hello, I would like a walking companion on Monday mornings.")
    card.get_by_role("button", name="Send request").click()
    card.get_by_text(f"Your request is sent to {name}").wait_for()
    assert same_load(page) and "/matches/" in page.url
    check_a11y(page)


def test_show_more_adds_the_next_cards_in_place_and_moves_focus_to_the_first_new_one(register, person_page):
    page = person_page(register, PHONE)
    visit_and_check(page, "/matches/")
    mark_page(page)
    more = page.get_by_role("link", name="Show more matches")
    more.scroll_into_view_if_needed()
    more.click()
    page.locator("article.match-card").nth(20).wait_for()
    cards = page.locator("article.match-card")
    assert cards.count() > 20 and same_load(page)
    wait_for_focus(page, cards.nth(20).locator("h3").inner_text())
    assert page.evaluate("window.scrollY") > 1000  # still down the list, not back at the top
    check_a11y(page)


def test_keyboard_only(register, person_page):
    page = person_page(register, DESKTOP)
    visit_and_check(page, "/matches/")
    keys = page.keyboard
    tab_to(page, "Things in common")
    keys.press("Space")
    tab_to(page, "Show matches")
    submit_and_check(page, lambda: keys.press("Enter"))
    assert "matters=interests" in page.url
    name = page.locator("article.match-card").nth(1).locator("h3").inner_text()
    tab_to(page, f"Add to shortlist: {name}")
    keys.press("Enter")
    page.get_by_role("button", name=f"Remove from shortlist: {name}").wait_for()
    wait_for_focus(page, f"Remove from shortlist: {name}")
    tab_to(page, f"I'm interested: contact {name}")
    keys.press("Enter")
    page.get_by_label("Your message").wait_for()
    keys.type("Hello, could we meet for a walk?")
    tab_to(page, "Send request")
    keys.press("Enter")
    page.get_by_text(f"Your request is sent to {name}").wait_for()
    tab_to(page, "Show more matches")
    keys.press("Enter")
    page.locator("article.match-card").nth(20).wait_for()
    wait_for_focus(page, page.locator("article.match-card").nth(20).locator("h3").inner_text())


def test_the_same_journey_without_javascript(register, person_page):
    page = person_page(register, PHONE, java_script_enabled=False)
    assert page.goto("/matches/").ok  # axe-core needs JavaScript: the pages are checked in the runs with it
    page.get_by_text("Filters and what matters to you").click()  # <details> opens without JavaScript
    page.get_by_label("Things in common").check()
    navigate(page, lambda: page.get_by_role("button", name="Show matches").click())
    assert "matters=interests" in page.url
    name = page.locator("article.match-card").nth(2).locator("h3").inner_text()
    url = page.url
    navigate(page, lambda: page.get_by_role("button", name=f"Add to shortlist: {name}").click())
    assert page.url == url and f"{name} is on your shortlist." in page.locator("main").inner_text()
    navigate(page, lambda: page.get_by_role("link", name=f"I'm interested: contact {name}").click())
    page.get_by_label("Your message").fill("Hello from a browser without JavaScript.")
    navigate(page, lambda: page.get_by_role("button", name="Send request").click())
    assert f"Your request is sent to {name}" in page.locator("main").inner_text()
    page.goto(url)
    navigate(page, lambda: page.get_by_role("link", name="Show more matches").click())
    assert "page=2" in page.url and page.locator("article.match-card").count() > 20


_WEIGHT_JS = """() => {
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
  const out = {images: 0, other: 0, files: []};
  for (const e of entries) {
    const bytes = e.transferSize || e.encodedBodySize || 0;
    const image = e.initiatorType === "img" || /\\.(webp|jpe?g|png)(\\?|$)/.test(e.name);
    if (image) out.images += bytes; else out.other += bytes;
    out.files.push([e.name.replace(location.origin, ""), bytes]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """Our static files as production serves them: ``collectstatic`` with production's compressed storage
    (``settings.PRODUCTION_STATICFILES``), served by ServeStatic from STATIC_ROOT. The test server sends static files
    from the apps' folders uncompressed, so the page's static files are fetched again from here."""
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static")
    prod = {
        "STATIC_ROOT": root,
        "STORAGES": {**django_settings.STORAGES, "staticfiles": django_settings.PRODUCTION_STATICFILES},
        "SERVESTATIC_USE_FINDERS": False,
        "SERVESTATIC_AUTOREFRESH": False,
    }
    with override_settings(**prod):
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "rest_framework"])
    return prod


def _static_bytes_in_production(production_static, path: str) -> int:
    """The bytes production sends for one of our static files to a browser that accepts compression."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import override_settings

    with override_settings(**production_static):  # Django's test signals reset the storage for the block
        url = staticfiles_storage.url(path.removeprefix(django_settings.STATIC_URL))  # the hashed name
        response = Client(headers={"accept-encoding": "br, gzip"}).get(url)
        assert response.status_code == 200, (path, url, response.status_code)
        assert response.headers.get("Content-Encoding") in {"br", "gzip"}, (url, response.headers)
        if not response.streaming:
            return len(response.content)
        if not response.is_async:
            return len(b"".join(response.streaming_content))

        async def read():  # ServeStatic answers with an async file response
            return b"".join([chunk async for chunk in response.streaming_content])

        return len(asyncio.run(read()))


def phone_page_weight(register, person_page, production_static=None) -> dict:
    page = person_page(register, PHONE)
    visit_and_check(page, "/register/?postcode=BB1&within_km=40")
    assert page.locator("article.profile-card").count() == 20
    for i in range(20):  # scroll through, so every lazy image loads
        page.locator("article.profile-card").nth(i).scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    weight = page.evaluate(_WEIGHT_JS)
    if production_static is not None:  # static files counted as production sends them (compressed)
        weight["other"] = 0
        files = []
        for name, size in weight["files"]:
            if name.startswith(django_settings.STATIC_URL):  # the test client, off Playwright's event loop
                with ThreadPoolExecutor(1) as pool:
                    size = pool.submit(_static_bytes_in_production, production_static, name.split("?")[0]).result()
            if not re.search(r"\.(webp|jpe?g|png)(\?|$)", name):
                weight["other"] += size
            files.append((name, size))
        weight["files"] = files
    print(f"\nphone page of 20 cards: {weight['other']} bytes without images, {weight['images']} of images")
    for name, size in weight["files"]:
        print(f"  {size:>8}  {name}")
    return weight


def test_a_phone_page_of_twenty_cards_with_their_images_is_at_most_400_kb(register, person_page):
    weight = phone_page_weight(register, person_page)
    assert weight["images"] > 0 and weight["other"] + weight["images"] <= 400 * 1024, weight


def test_a_phone_page_of_twenty_cards_without_images_is_at_most_60_kb(register, person_page, production_static):
    """The page as the browser received it (compressed by the site), and its static files as production
    sends them."""
    weight = phone_page_weight(register, person_page, production_static)
    assert weight["other"] <= 60 * 1024, weight
