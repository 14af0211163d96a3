"""Easy read: a switch on the main pages, written text with a picture beside each point (issue 17, item 3)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from inclusion.easyread import JOURNEYS
from inclusion.models import DisplayPreferences
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_switch_turns_easy_read_on_and_off_and_returns_to_the_page(client):
    page = client.get(reverse("inclusion:staying-safe")).content.decode()
    assert "Easy read" in page and "Easy read: Staying safe" not in page

    switched = client.post(reverse("inclusion:easy-read"), {"easy_read": "on", "next": "/staying-safe/"})
    assert switched["Location"] == "/staying-safe/"
    page = client.get("/staying-safe/").content.decode()
    assert "Easy read: Staying safe" in page
    assert "If you are in danger now, call 999." in page
    assert 'class="easy-read"' in page[: page.index(">", page.index("<html")) + 1]

    client.post(reverse("inclusion:easy-read"), {"easy_read": "off", "next": "/staying-safe/"})
    assert "Easy read: Staying safe" not in client.get("/staying-safe/").content.decode()


def test_a_signed_in_persons_easy_read_keeps_their_other_choices(client):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("inclusion:display"), {"text_size": "150", "contrast": "high", "reading": "standard"})
    client.post(reverse("inclusion:easy-read"), {"easy_read": "on"})
    saved = DisplayPreferences.objects.get(user=person)
    assert (saved.text_size, saved.contrast, saved.easy_read) == (150, "high", True)


def test_every_point_has_a_picture_made_for_the_project_and_a_text_alternative():
    for journey in JOURNEYS.values():
        assert journey.points
        for point in journey.points:
            assert finders.find(f"easy_read/{point.picture}.svg"), point.picture
            assert point.alt.strip()
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", str(point.text)) if s]  # str: marked for translation
            assert all(len(s.split()) <= 16 for s in sentences), point.text  # short sentences


def test_the_switch_only_goes_back_to_this_site(client):
    response = client.post(reverse("inclusion:easy-read"), {"easy_read": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_main_journeys_carry_their_easy_read(client):
    from tests.factories import make_profile

    person = UserFactory()
    listing = make_profile(UserFactory(), role="pa", display_name="Priya Patel", hourly_rate="15.00")
    make_profile(person, role="seeker", display_name="Sam Seeker")
    client.force_login(person)
    client.post(reverse("inclusion:easy-read"), {"easy_read": "on"})
    pages = {
        "/register/": "Easy read: Finding support",
        reverse("matching:matches"): "Easy read: Finding support",
        listing.get_absolute_url(): "Easy read: About this person",
        reverse("messaging:contact-request-create", args=[listing.ref]): "Easy read: Getting in touch",
        reverse("planning:home"): "Easy read: Writing your plan",
    }
    for url, heading in pages.items():
        assert heading in client.get(url).content.decode(), url
