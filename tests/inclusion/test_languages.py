"""Languages (issue 17, items 1 and 2): the switcher, lang and dir on every page, a person's language
following them, and every translated string present in all seven catalogues."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from inclusion.languages import offered
from inclusion.models import DisplayPreferences
from profiles.privacy import user_export_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["cy", "pl", "ur", "pa", "bn", "ro", "ar"]


def html_tag(response) -> str:
    page = response.content.decode()
    return page[page.index("<html") : page.index(">", page.index("<html")) + 1]


def switch(client, code: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": code, "next": next_url})


def test_english_is_the_default_left_to_right(client):
    tag = html_tag(client.get("/"))
    assert 'lang="en-GB"' in tag and 'dir="ltr"' in tag


def test_switching_to_welsh_shows_welsh_navigation(client):
    response = switch(client, "cy")
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    tag = html_tag(page)
    assert 'lang="cy"' in tag and 'dir="ltr"' in tag
    text = page.content.decode()
    assert "Dod o hyd i gymorth" in text  # "Find support"
    assert "Neidio i&#x27;r prif gynnwys" in text or "Neidio i'r prif gynnwys" in text  # the skip link
    assert "Mewngofnodi" in text  # "Sign in"
    assert "Find support</a>" not in text


@pytest.mark.parametrize("code", ["ur", "ar"])
def test_urdu_and_arabic_pages_are_right_to_left(client, code):
    switch(client, code)
    tag = html_tag(client.get("/"))
    assert f'lang="{code}"' in tag and 'dir="rtl"' in tag


def test_display_classes_stay_on_the_html_tag_with_a_language(client):
    client.post(reverse("inclusion:display"), {"text_size": "200", "contrast": "high", "reading": "standard"})
    switch(client, "ar")
    tag = html_tag(client.get("/"))
    assert 'dir="rtl"' in tag and "text-200" in tag and "contrast-high" in tag


def test_the_switcher_names_each_language_in_itself_with_its_own_lang(client):
    page = client.get("/").content.decode()
    assert re.search(r'<label for="language-choice">Language', page)
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in page
        assert name in page


def test_only_languages_with_a_catalogue_are_offered():
    codes = [code for code, _ in offered()]
    assert codes[0] == "en-gb"
    for code in codes[1:]:
        assert (LOCALE / code / "LC_MESSAGES" / "django.mo").is_file()


def test_a_drafted_language_says_so_in_the_footer_and_english_does_not(client):
    assert "fluent speaker" not in client.get("/").content.decode()
    switch(client, "pl")
    page = client.get("/").content.decode()
    assert "Osoba biegle znająca język jeszcze go nie sprawdziła" in page
    assert f'href="{reverse("accessibility")}"' in page


def test_a_signed_in_persons_language_follows_them_to_another_client(client):
    person = UserFactory()
    client.force_login(person)
    switch(client, "ur")
    assert DisplayPreferences.objects.get(user=person).language == "ur"
    elsewhere = Client()  # another device: no language cookie, an English browser
    elsewhere.force_login(person)
    response = elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert 'lang="ur"' in html_tag(response) and 'dir="rtl"' in html_tag(response)
    assert "مدد تلاش کریں" in response.content.decode()  # "Find support"
    assert user_export_data(person)["display_settings"]["display_settings"]["language"] == "ur"


def test_saving_display_settings_keeps_the_saved_language(client):
    person = UserFactory()
    client.force_login(person)
    switch(client, "bn")
    client.post(reverse("inclusion:display"), {"text_size": "150", "contrast": "standard", "reading": "standard"})
    row = DisplayPreferences.objects.get(user=person)
    assert row.language == "bn" and row.text_size == 150


def test_an_unknown_language_is_ignored(client):
    person = UserFactory()
    client.force_login(person)
    switch(client, "xx")
    assert not DisplayPreferences.objects.filter(user=person, language="xx").exists()
    assert 'lang="en-GB"' in html_tag(client.get("/"))


def test_the_home_search_form_is_translated(client):
    switch(client, "ro")
    page = client.get("/").content.decode()
    assert "Lângă codul poștal" in page and "Asistenți personali" in page


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalogue_is_complete_and_says_it_is_unreviewed(code):
    """The same check as .ci/i18n-check, for one language: every string has a translation."""
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    header = po.read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "MACHINE-DRAFTED" in header and "NOT YET" in header
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_sign_up_and_sign_in_are_translated_where_the_packages_are_not(client):
    """allauth ships no Welsh or Urdu: our catalogue covers its strings on these two pages."""
    switch(client, "cy")
    page = client.get(reverse("account_signup")).content.decode()
    assert "Cofrestru" in page and "Cyfrinair" in page and "Eich enw, fel y bydd eraill yn ei weld" in page
    switch(client, "ur")
    page = client.get(reverse("account_login")).content.decode()
    assert "سائن ان کریں" in page and "پاس ورڈ" in page and "Forgot your password?" not in page


def test_a_page_not_translated_yet_is_marked_english_and_says_so(rf):
    """Every page is translated now; a new page is English until its author turns the notice off (the two
    blocks), and until then it says so and is marked English for screen readers."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines
    from django.utils import translation

    new_page = engines["django"].from_string('{% extends "base.html" %}{% block content %}<p>New</p>{% endblock %}')
    done_page = engines["django"].from_string(
        '{% extends "base.html" %}{% block untranslated_lang %}{% endblock %}'
        "{% block untranslated_notice %}{% endblock %}{% block content %}<p>Done</p>{% endblock %}"
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("ur"):
        request.LANGUAGE_CODE = "ur"
        page = new_page.render({}, request)
        done = done_page.render({}, request)
    assert '<main id="main" class="wrap" tabindex="-1" lang="en" dir="ltr">' in page
    assert "اس صفحے کا ابھی ترجمہ نہیں ہوا" in page
    assert '<main id="main" class="wrap" tabindex="-1">' in done and "اس صفحے کا ابھی ترجمہ نہیں ہوا" not in done


def test_no_page_of_the_site_is_left_marked_untranslated():
    """Every template that extends the site's frame turns the "not translated yet" notice off."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    frames = ('{% extends "base.html" %}', "{% extends 'base.html' %}")
    left = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if ".venv" not in path.parts
        and path.read_text(encoding="utf-8").lstrip().startswith(frames)
        and "{% block untranslated_notice %}{% endblock %}" not in path.read_text(encoding="utf-8")
    ]
    assert not left, left


def test_the_display_settings_page_and_its_message_are_translated(client):
    switch(client, "pl")
    page = client.get(reverse("inclusion:display")).content.decode()
    assert "Ustawienia wyświetlania" in page and "Rozmiar tekstu" in page and "Wysoki kontrast" in page
    response = client.post(
        reverse("inclusion:display"), {"text_size": "125", "contrast": "standard", "reading": "standard"}, follow=True
    )
    assert "Twoje ustawienia wyświetlania są zapisane w tej przeglądarce." in response.content.decode()


def test_allauths_emails_go_out_in_a_language_allauth_does_not_ship(client):
    """django-allauth has no Welsh; our catalogue carries its email texts (marketplace/third_party_strings.py),
    so a password reset asked for in Welsh is written in Welsh."""
    from django.core import mail
    from django.utils import translation

    from tests.factories import UserFactory

    UserFactory(email="rosa@example.org")
    switch(client, "cy")
    client.post("/accounts/password/reset/", {"email": "rosa@example.org"})
    with translation.override("cy"):
        hello = translation.gettext("Hello from %(site_name)s!") % {"site_name": "Open Circle"}
        subject = translation.gettext("Password Reset Email")
    assert hello != "Hello from Open Circle!" and hello in mail.outbox[-1].body
    assert subject in mail.outbox[-1].subject
