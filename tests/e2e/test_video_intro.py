"""A supporter adds a BSL video introduction in a real browser; a visitor sees the Signs BSL badge in search and
plays the video with captions and a transcript on the profile page; axe-core clean at 1280 and 390 px (issue 17,
item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import check_a11y, check_axe, submit_and_check
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIXTURES = Path(__file__).parent.parent / "inclusion" / "fixtures"
CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:01.500\nHello, I am Sam.\n\n00:01.500 --> 00:02.000\nI sign BSL.\n"


def check_both_widths(page) -> None:
    check_a11y(page)  # axe at the page's width (1280 px), and no sideways scrolling at 640 and 390 px
    page.set_viewport_size(PHONE)
    try:
        check_axe(page)
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def test_a_bsl_video_with_captions_is_shown_played_and_badged(signed_in_page, new_context, tmp_path):
    sam = make_profile(UserFactory(preferred_name="Sam Signer"), role="pa", display_name="Sam Signer", postcode="BB1")
    make_profile(role="pa", display_name="Ed Speaks", postcode="BB1", languages=["en"])
    captions = tmp_path / "sam.vtt"
    captions.write_text(CAPTIONS)

    page = signed_in_page(sam.user)
    page.goto(f"/me/profiles/{sam.pk}/edit/")
    submit_and_check(page, lambda: page.get_by_role("link", name="Video introduction (BSL or spoken)").click())
    check_both_widths(page)

    # First without captions or transcript: saved, but not shown.
    page.get_by_label("In British Sign Language (BSL)").check()
    page.get_by_label("Your video (MP4)").set_input_files(str(FIXTURES / "intro.mp4"))
    submit_and_check(page, lambda: page.get_by_role("button", name="Upload video").click())
    assert page.get_by_text("not shown yet: add captions or a transcript").first.is_visible()

    # A PNG called .mp4 is refused in plain words, beside the field.
    fake = tmp_path / "holiday.mp4"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    page.get_by_label("In British Sign Language (BSL)").check()
    page.get_by_label("Your video (MP4)").set_input_files(str(fake))
    submit_and_check(page, lambda: page.get_by_role("button", name="Upload video").click())
    assert page.get_by_role("alert").get_by_text("We could not read that file as a video").is_visible()
    check_both_widths(page)

    # Captions and a transcript: now shown.
    page.get_by_label("Captions (a WebVTT .vtt file)").set_input_files(str(captions))
    page.get_by_role("textbox", name="Transcript (optional)", exact=True).fill("Hello, I am Sam. I sign BSL.")
    submit_and_check(page, lambda: page.get_by_role("button", name="Save captions and transcript").click())
    assert page.get_by_text("saved and shown on your listing").is_visible()

    # A visitor: the badge in search, then the video on the profile page.
    visitor = new_context().new_page()
    visitor.goto("/register/")
    card = visitor.locator("article.card", has_text="Sam Signer")
    assert card.get_by_text("Signs BSL").is_visible()
    assert visitor.locator("article.card", has_text="Ed Speaks").get_by_text("Signs BSL").count() == 0
    check_both_widths(visitor)
    visitor.goto(sam.get_absolute_url())
    assert visitor.get_by_text("Signs BSL").first.is_visible()
    player = visitor.locator("video")
    assert player.get_attribute("autoplay") is None and player.get_attribute("controls") is not None
    assert "British Sign Language" in player.get_attribute("aria-label")
    assert visitor.locator('video track[kind="captions"]').count() == 1
    visitor.wait_for_function("document.querySelector('video').readyState >= 1", timeout=10_000)
    duration = visitor.evaluate("document.querySelector('video').duration")
    assert 1.5 < duration < 2.5  # the browser read the file we served (with byte ranges)
    assert visitor.evaluate("document.querySelector('video').paused")
    visitor.get_by_text("Read the transcript").click()
    assert visitor.get_by_text("Hello, I am Sam. I sign BSL.").is_visible()
    check_both_widths(visitor)
