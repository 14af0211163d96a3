"""Reading and seeing: text size, colours, a reading font and easy read, remembered per person (issue 17, item 4)."""

import pytest
from django.test import Client
from django.urls import reverse

from inclusion.models import DisplayPreferences
from inclusion.preferences import COOKIE
from profiles.privacy import user_export_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOICE = {"text_size": "200", "contrast": "high", "reading": "spaced", "easy_read": "on"}


def html_tag(response) -> str:
    page = response.content.decode()
    return page[page.index("<html") : page.index(">", page.index("<html")) + 1]


def test_every_page_links_to_the_settings_and_starts_standard(client):
    home = client.get("/")
    assert reverse("inclusion:display") in home.content.decode()
    assert "class=" not in html_tag(home)


def test_a_visitors_choice_is_remembered_by_their_browser(client):
    response = client.post(reverse("inclusion:display"), {**CHOICE, "next": "/register/"})
    assert response.status_code == 302 and response["Location"] == "/register/"
    assert response.cookies[COOKIE]["httponly"]
    tag = html_tag(client.get("/"))
    for css_class in ("text-200", "contrast-high", "reading-spaced", "easy-read"):
        assert css_class in tag
    assert html_tag(Client().get("/")).count("text-200") == 0  # another browser is not affected


def test_a_signed_in_persons_choice_follows_them_to_another_device(client):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("inclusion:display"), {**CHOICE, "easy_read": ""})
    saved = DisplayPreferences.objects.get(user=person)
    assert (saved.text_size, saved.contrast, saved.reading, saved.easy_read) == (200, "high", "spaced", False)

    other_device = Client()
    other_device.force_login(person)
    tag = html_tag(other_device.get("/"))
    assert "text-200" in tag and "contrast-high" in tag and "easy-read" not in tag
    assert user_export_data(person)["display_settings"]["display_settings"]["text_size"] == 200


def test_going_back_to_standard_clears_the_cookie(client):
    client.post(reverse("inclusion:display"), CHOICE)
    response = client.post(
        reverse("inclusion:display"), {"text_size": "100", "contrast": "standard", "reading": "standard"}
    )
    assert response.cookies[COOKIE].value == ""
    assert "class=" not in html_tag(client.get("/"))


def test_a_bad_choice_says_what_to_do_and_a_tampered_cookie_is_ignored(client):
    page = client.post(reverse("inclusion:display"), {**CHOICE, "text_size": "900"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    client.cookies[COOKIE] = "not-signed"
    assert client.get("/").status_code == 200
    assert "class=" not in html_tag(client.get("/"))


def test_off_site_next_is_not_followed(client):
    response = client.post(reverse("inclusion:display"), {**CHOICE, "next": "https://evil.example/"})
    assert response["Location"] == reverse("inclusion:display")
