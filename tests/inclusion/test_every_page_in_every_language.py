"""Every page a seeker reaches renders in each of the seven languages: no template or format error from a
translation (a placeholder a translator changed would raise here), the page is marked with the language,
and none of them says it is not translated."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES if not code.startswith("en")]
PAGES = [
    "/",
    "/register/?postcode=BB1&within_km=40",
    "/matches/",
    "/shortlist/",
    "/searches/",
    "/adverts/",
    "/adverts/new/",
    "/messages/",
    "/messages/requests/",
    "/messages/settings/",
    "/notifications/",
    "/notifications/settings/",
    "/me/",
    "/me/delete/",
    "/me/name/",
    "/me/budget/",
    "/me/api-tokens/",
    "/bookings/",
    "/plan/",
    "/peer-support/",
    "/peer-support/ask/",
    "/community/?postcode=BB1",
    "/community/suggest/",
    "/community/areas/",
    "/quality/",
    "/ratings/",
    "/community-recommended/",
    "/staying-safe/",
    "/settings/display/",
    "/assisted/",
    "/about-the-data/",
    "/accessibility/",
    "/safeguarding/report/",
    "/onboarding/",
    "/accounts/email/",
    "/accounts/password/change/",
]


@pytest.fixture
def seeker(db):
    user = UserFactory(preferred_name="Rosa")
    make_profile(user, role="seeker", postcode="BB1", listed=False, interests=["walking"], languages=["pl"])
    return user


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_seekers_pages_render_in_the_language(client, seeker, lang):
    pa = make_profile(role="pa", postcode="BB2", display_name="Sam", skills=["personal_care"], interests=["walking"])
    client.force_login(seeker)
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    with translation.override(lang):
        not_translated = translation.gettext("This page is not translated yet, so it is shown in English.")
    problems = []
    for path in [*PAGES, pa.get_absolute_url(), f"/register/{pa.ref}/contact/", f"/register/{pa.ref}/report/"]:
        response = client.get(path, follow=True)
        page = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{path}: {response.status_code}")
        elif f'lang="{lang}"' not in page:
            problems.append(f"{path}: not marked {lang}")
        elif not_translated in page:
            problems.append(f"{path}: says it is not translated")
    assert not problems, problems
