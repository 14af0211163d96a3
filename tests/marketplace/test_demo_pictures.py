"""The demo register shows drawn demo pictures (never photos) on most supporters' cards, marked as such."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from profiles import privacy
from profiles.models import Profile, ProfilePhoto

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", profiles=150, seed=2, stdout=StringIO(), stderr=StringIO())


def test_most_demo_supporters_show_a_drawn_picture_marked_as_a_demo(client, seeded):
    supporters = Profile.objects.filter(role__in=("pa", "peer_advisor", "broker"))
    pictured = supporters.filter(photos__demo=True).distinct().count()
    assert pictured >= 0.7 * supporters.count()
    photo = ProfilePhoto.objects.filter(demo=True).select_related("profile").first()
    with default_storage.open(photo.small.name) as small, Image.open(small) as image:
        assert image.format == "WEBP" and image.size == (160, 160)
    page = client.get("/register/", {"sort": "newest"}).content.decode()
    assert "Demo picture" in page
    assert "Demo picture: a drawing, not a photo of" in page
    assert 'loading="lazy"' in page and 'width="160" height="160"' in page


def test_running_it_again_adds_no_second_picture_and_deleting_an_account_keeps_the_shared_files(
    seeded, django_capture_on_commit_callbacks
):
    count = ProfilePhoto.objects.count()
    call_command("seed_demo", profiles=150, seed=2, stdout=StringIO(), stderr=StringIO())
    assert ProfilePhoto.objects.count() == count
    photo = ProfilePhoto.objects.filter(demo=True, profile__user__isnull=False).select_related("profile__user").first()
    user = photo.profile.user
    with django_capture_on_commit_callbacks(execute=True):
        privacy.user_delete(user=user, actor=user)
    assert not ProfilePhoto.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.small.name) and default_storage.exists(photo.large.name)
