"""The name others see (issue 13 item 2): asked for at sign-up, changed on the account page, and shown
everywhere a person is named. Never "Member N"."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching.services import engagement_record
from messaging import services as messaging_services
from profiles import services
from profiles.models import User
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase 42"


def _sign_up(client, name: str, email: str = "alex.brown@example.org"):
    return client.post(
        "/accounts/signup/", {"name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_the_sign_up_page_asks_for_the_name_others_will_see_first(client):
    page = client.get("/accounts/signup/").content.decode()
    label = re.search(r'<label for="id_name">([^<]*)', page)
    assert label and label.group(1).strip() == "Your name, as others will see it"
    assert page.index('id="id_name"') < page.index('id="id_email"')


def test_sign_up_without_a_name_is_refused_with_a_message(client):
    response = _sign_up(client, "   ")
    assert response.status_code == 200
    assert "Enter your name, as you would like others to see it" in response.content.decode()
    assert not User.objects.filter(email="alex.brown@example.org").exists()


def test_a_new_member_is_named_in_the_email_the_welcome_banner_and_conversation_titles(client, mailoutbox):
    assert _sign_up(client, "  Alex   Brown ").status_code == 302
    alex = User.objects.get(email="alex.brown@example.org")
    assert alex.preferred_name == "Alex Brown" and str(alex) == "Alex Brown"

    # The verification email names them (allauth's "user ... has given your email address").
    assert len(mailoutbox) == 1
    assert "Alex Brown" in mailoutbox[0].subject + mailoutbox[0].body
    assert f"Member {alex.pk}" not in mailoutbox[0].body

    client.force_login(alex)
    assert "Welcome to Open Circle, Alex Brown." in client.get("/onboarding/").content.decode()
    dashboard = client.get("/me/").content.decode()
    assert "Welcome, Alex Brown." in dashboard

    # A conversation: the other person's page is titled with Alex's name.
    supporter = UserFactory(preferred_name="Sam Supporter")
    listing = make_profile(supporter, role="pa", postcode="BB1")
    request = messaging_services.contact_request_create(
        sender=alex, profile=listing, message="Hello, are you free on Tuesdays?"
    )
    conversation = messaging_services.contact_request_accept(contact_request=request, actor=supporter)
    client.force_login(supporter)
    page = client.get(f"/messages/{conversation.pk}/").content.decode()
    assert "<title>Conversation with Alex Brown" in page and "<h1>Conversation with Alex Brown</h1>" in page
    assert "Alex Brown" in client.get("/messages/").content.decode()
    assert f"Member {alex.pk}" not in page


def test_a_new_member_is_named_on_the_ratings_page_and_in_proxy_lists(client):
    assert _sign_up(client, "Alex Brown").status_code == 302
    alex = User.objects.get(email="alex.brown@example.org")

    supporter_profile = make_profile(UserFactory(preferred_name="Ben Lowe"), role="pa", postcode="BB1")
    engagement = engagement_record(
        seeker=alex,
        supporter=supporter_profile.user,
        supporter_profile=supporter_profile,
        source="booking",
        source_ref="booking:names-1",
    )
    client.force_login(supporter_profile.user)
    rate_page = client.get(f"/ratings/engagements/{engagement.pk}/rate/").content.decode()
    assert "Rate Alex Brown" in rate_page
    assert "Alex Brown" in client.get("/ratings/").content.decode()

    # Alex acts for a seeker: both the seeker's and Alex's account pages name the other.
    seeker = UserFactory(preferred_name="Dev Patel")
    services.proxy_link_create(seeker=seeker, proxy_email=alex.email, relationship="friend")
    client.force_login(seeker)
    assert "Alex Brown (friend)" in client.get("/me/").content.decode()
    client.force_login(alex)
    assert "Stop acting for Dev Patel" in client.get("/me/").content.decode()


def test_the_account_page_changes_the_name_through_the_service(client):
    person = UserFactory(preferred_name="Old Name")
    client.force_login(person)
    page = client.get("/me/name/").content.decode()
    assert "Your name, as others will see it" in page and 'value="Old Name"' in page
    response = client.post("/me/name/", {"name": "Nia Jones"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    person.refresh_from_db()
    assert person.display_name == "Nia Jones"
    assert "Others see you as <strong>Nia Jones</strong>" in client.get("/me/").content.decode()

    refused = client.post("/me/name/", {"name": "x" * 61})
    assert refused.status_code == 200
    assert "Use 60 characters or fewer for your name. Yours has 61." in refused.content.decode()


def test_user_rename_is_the_one_write_path_and_only_for_yourself():
    person, other = UserFactory(preferred_name="A"), UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_rename(user=person, actor=other, name="Taken Over")
    with pytest.raises(ValidationError):
        services.user_rename(user=person, actor=person, name="")
    assert services.user_rename(user=person, actor=person, name=" Ria  Das ").display_name == "Ria Das"


def test_people_without_a_name_fall_back_to_their_first_profile_then_a_member_never_member_n():
    nameless = UserFactory(preferred_name="")
    assert nameless.display_name == "A member" and str(nameless) == "A member"
    make_profile(nameless, role="pa", display_name="Priya S.")
    make_profile(nameless, role="peer_advisor", display_name="Priya (peer)")
    fresh = User.objects.get(pk=nameless.pk)
    assert fresh.display_name == "Priya S." and str(fresh) == "Priya S."
    assert f"Member {nameless.pk}" not in str(fresh)


def test_no_template_or_code_makes_member_n_names():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"Member \{|Member \{\{|\"Member \" *\+")
    offenders = [
        str(path.relative_to(root))
        for folder in (
            "profiles",
            "messaging",
            "payments",
            "ratings",
            "matching",
            "peer_support",
            "notifications",
            "marketplace",
        )
        if (root / folder).exists()
        for path in (root / folder).rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
        and "migrations" not in path.parts
        and pattern.search(path.read_text(errors="ignore"))
    ]
    assert offenders == []
