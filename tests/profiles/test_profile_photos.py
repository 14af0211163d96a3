"""Up to four photos a listing, thumbnails made once at upload (WebP, two sizes), in "download my data",
deleted with the account (issue 15, item 4)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from profiles import images, privacy, services
from profiles.models import ProfilePhoto
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def jpeg(colour="teal", size=(900, 600), **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", **save)
    return SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def owner():
    user = UserFactory()
    return user, make_profile(user)


def test_an_upload_gets_two_webp_thumbnails_made_there_and_then(owner, monkeypatch):
    user, profile = owner
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    photo = services.photo_add(profile=profile, actor=user, upload=jpeg(exif=exif), alt_text="Me on a walk")
    with photo.small.open("rb") as small, Image.open(small) as image:
        assert image.format == "WEBP" and image.size == (ProfilePhoto.SMALL, ProfilePhoto.SMALL)
        assert not image.getexif()
    with photo.large.open("rb") as large, Image.open(large) as image:
        assert image.format == "WEBP" and image.size == (640, 427)
    assert (photo.small_width, photo.large_width, photo.large_height) == (160, 640, 427)
    for stored in (photo.image, photo.small, photo.large):
        with stored.open("rb") as handle:
            assert b"SecretCamera" not in handle.read()
    # Never on request: showing the photos does not make thumbnails.
    made = []
    monkeypatch.setattr(images, "webp_thumbnails", lambda *a, **k: made.append(1))
    client_page = profile.get_absolute_url()
    from django.test import Client

    Client().get(client_page)
    assert made == []


def test_a_listing_holds_at_most_four_photos_in_the_order_chosen(owner):
    user, profile = owner
    photos = [services.photo_add(profile=profile, actor=user, upload=jpeg(c)) for c in ("red", "green", "blue", "gray")]
    with pytest.raises(ValidationError, match="4 photos, the most a profile can show"):
        services.photo_add(profile=profile, actor=user, upload=jpeg())
    assert profile.first_photo == photos[0] and profile.photo == photos[0].image
    services.photo_move(photo=photos[2], actor=user, to=0)
    assert [p.pk for p in profile.photos.all()] == [photos[2].pk, photos[0].pk, photos[1].pk, photos[3].pk]
    services.photo_delete(photo=photos[0], actor=user)
    assert [p.order for p in profile.photos.all()] == [0, 1, 2]


def test_the_photo_page_adds_describes_reorders_and_removes(client, owner, django_capture_on_commit_callbacks):
    user, profile = owner
    client.force_login(user)
    url = reverse("profiles:photo", args=[profile.pk])
    assert client.post(url, {"photo": jpeg("red"), "alt_text": "Me in the garden"}).status_code == 302
    assert client.post(url, {"photo": jpeg("blue")}).status_code == 302
    first, second = profile.photos.all()
    assert first.alt_text == "Me in the garden"
    page = client.get(url).content.decode()
    assert 'alt="Me in the garden"' in page and "Photo 1 (on your card)" in page
    client.post(url, {"photo_id": second.pk, "alt_text": "My dog"})
    client.post(url, {"photo_id": second.pk, "move": "first"})
    assert [p.alt_text for p in profile.photos.all()] == ["My dog", "Me in the garden"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"photo_id": first.pk, "remove": "1"})
    assert [p.pk for p in profile.photos.all()] == [second.pk]
    assert not default_storage.exists(first.small.name)


def test_someone_elses_photo_is_not_found(client, owner):
    user, profile = owner
    photo = services.photo_add(profile=profile, actor=user, upload=jpeg())
    stranger = UserFactory()
    theirs = make_profile(stranger)
    client.force_login(stranger)
    response = client.post(reverse("profiles:photo", args=[theirs.pk]), {"photo_id": photo.pk, "remove": "1"})
    assert response.status_code == 404
    assert client.post(reverse("profiles:photo", args=[profile.pk]), {"photo": jpeg()}).status_code == 404
    assert ProfilePhoto.objects.filter(pk=photo.pk).exists()


def test_download_my_data_lists_the_photos_and_deleting_the_account_deletes_their_files(
    client, owner, django_capture_on_commit_callbacks
):
    user, profile = owner
    photo = services.photo_add(profile=profile, actor=user, upload=jpeg(), alt_text="Me")
    client.force_login(user)
    export = json.loads(client.get(reverse("profiles:data-download")).content)
    exported = export["profiles"][0]["photos"]
    assert exported == [
        {
            "order": 0,
            "description": "Me",
            "demo_picture": False,
            "files": [photo.image.name, photo.small.name, photo.large.name],
        }
    ]
    names = exported[0]["files"]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.user_delete(user=user, actor=user)
    assert not ProfilePhoto.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_the_gallery_shows_every_photo_lazily_with_sizes(client, owner):
    from django.template.loader import render_to_string

    user, profile = owner
    for alt in ("One", "Two"):
        services.photo_add(profile=profile, actor=user, upload=jpeg(), alt_text=alt)
    html = render_to_string("profiles/includes/photo_gallery.html", {"profile": profile})
    assert html.count("<img") == 2 and html.count('loading="lazy"') == 2
    assert 'alt="One"' in html and 'width="640" height="427"' in html and " 160w, " in html
