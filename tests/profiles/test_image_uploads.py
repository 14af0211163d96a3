"""Photo uploads: a pixel limit checked before decoding, the byte limit, and no metadata kept (issue 12, item 5)."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _huge_blank_png(side: int) -> bytes:
    """A valid 1-bit PNG of side x side white pixels: a few hundred KB on disk, gigabytes once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    parts = [compressor.compress(row) for _ in range(side)]
    idat = b"".join(parts) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


@pytest.fixture
def owner_client(client):
    user = UserFactory()
    profile = make_profile(user)
    client.force_login(user)
    return client, profile


def _upload(client, profile, name, data, content_type):
    return client.post(
        reverse("profiles:photo", args=[profile.pk]),
        {"photo": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_a_small_file_of_too_many_pixels_is_refused_before_it_is_decoded(owner_client, monkeypatch):
    client, profile = owner_client
    data = _huge_blank_png(13_000)
    assert len(data) < 1024 * 1024
    decoded = []
    original_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size) or original_load(self))
    response = _upload(client, profile, "big.png", data, "image/png")
    assert response.status_code == 200
    page = response.content.decode()
    assert "too large for us to handle" in page and "at most 25 megapixels (for example 5,000 by 5,000)" in page
    assert (13_000, 13_000) not in decoded
    profile.refresh_from_db()
    assert not profile.photo


def test_the_pixel_limit_is_one_setting(owner_client, settings):
    client, profile = owner_client
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "teal").save(buffer, format="PNG")
    response = _upload(client, profile, "me.png", buffer.getvalue(), "image/png")
    assert "at most 0.01 megapixels (for example 100 by 100)" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.photo


def test_the_byte_limit_still_applies(owner_client, settings):
    client, profile = owner_client
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    response = _upload(client, profile, "me.jpg", b"\xff\xd8" + b"\0" * (1024 * 1024 + 10), "image/jpeg")
    assert "That photo is too big. Choose one under 1 MB." in response.content.decode()


def test_no_comment_exif_icc_or_text_survives(owner_client):
    client, profile = owner_client
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    Image.new("RGB", (300, 200), "orange").save(
        buffer,
        format="JPEG",
        comment=b"home: 12 Secret Street",
        exif=exif,
        icc_profile=b"SECRETICC" * 4,
    )
    assert b"12 Secret Street" in buffer.getvalue()
    assert _upload(client, profile, "me.jpg", buffer.getvalue(), "image/jpeg").status_code == 302
    profile.refresh_from_db()
    with profile.photo.open("rb") as stored:
        data = stored.read()
    for secret in (b"Secret Street", b"SecretCamera", b"SECRETICC"):
        assert secret not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "comment" not in image.info and "icc_profile" not in image.info and not image.getexif()

    png = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "lives at 12 Secret Street")
    Image.new("RGBA", (50, 50), "blue").save(png, format="PNG", pnginfo=text)
    assert _upload(client, profile, "me.png", png.getvalue(), "image/png").status_code == 302
    second = profile.photos.last()  # a second upload is the listing's second photo
    for stored_file in (second.image, second.small, second.large):
        with stored_file.open("rb") as stored:
            assert b"Secret Street" not in stored.read()


def test_a_sideways_phone_photo_is_stored_upright(owner_client):
    client, profile = owner_client
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "green").save(buffer, format="JPEG", exif=exif)
    assert _upload(client, profile, "me.jpg", buffer.getvalue(), "image/jpeg").status_code == 302
    profile.refresh_from_db()
    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (200, 400)
