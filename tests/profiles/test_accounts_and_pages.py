import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from profiles import services
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["seeker", "pa", "peer_advisor", "broker"])
def test_every_page_of_a_profile_renders_for_its_owner(client, user, role):
    profile = make_profile(user, role=role, lived_experience=["deaf"])
    client.force_login(user)
    for name in ("profiles:edit", "profiles:sensitive", "profiles:photo", "profiles:claims", "profiles:remove"):
        response = client.get(reverse(name, args=[profile.pk]))
        assert response.status_code == 200, name
        assert response.content.decode().count("<h1") == 1, name
    for url in (
        reverse("profiles:dashboard"),
        reverse("profiles:detail", args=[profile.ref]),
        reverse("profiles:account-delete"),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/register/",
        "/about-the-data/",
        "/accessibility/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/login/code/",
    ],
)
def test_public_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en-GB"' in page and "Skip to main content" in page


def test_signed_in_account_pages_render(client, user):
    client.force_login(user)
    for url in (
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/onboarding/",
        "/accounts/reauthenticate/",
    ):
        assert client.get(url).status_code == 200, url
    # Turning on two-step verification asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")


def test_sign_up_sends_a_verification_email_and_then_onboards(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "name": "New Person",
            "email": "new.person@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "new.person@example.org" in mailoutbox[0].to


def test_the_admin_login_is_the_protected_site_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_repeated_failed_logins_are_rate_limited(client):
    person = UserFactory()
    pages = [
        client.post("/accounts/login/", {"login": person.email, "password": "wrong password"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts. Try again later." in pages[-1]


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (1600, 1200), "orange")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {1: "N", 2: (53.0, 45.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_is_resized_and_stripped_of_metadata(client, user):
    profile = make_profile(user)
    client.force_login(user)
    upload = SimpleUploadedFile("me.jpg", _photo_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("profiles:photo", args=[profile.pk]), {"photo": upload})
    assert response.status_code == 302
    profile.refresh_from_db()
    with profile.photo.open("rb") as stored:
        data = stored.read()
    assert b"SecretCamera" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= 1024
        assert not image.getexif()


def test_a_file_that_is_not_a_photo_gets_a_clear_error(client, user):
    profile = make_profile(user)
    client.force_login(user)
    upload = SimpleUploadedFile("me.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(reverse("profiles:photo", args=[profile.pk]), {"photo": upload})
    assert response.status_code == 200
    assert "Choose a JPEG, PNG or WebP photo" in response.content.decode()


def test_a_listing_never_says_vetted_or_approved(client, user):
    profile = make_profile(user, dbs_level="enhanced")
    services.claim_add(profile=profile, actor=user, kind="qualification", detail="Care Certificate")
    page = client.get(reverse("profiles:detail", args=[profile.ref])).content.decode().lower()
    assert "self-declared" in page
    assert "vetted" not in page and "approved" not in page
