"""Video introductions (BSL or spoken): upload checks, shown only with captions or a transcript, only to
people who may see the listing, another person's id is a 404, gone with the account, in "download my data"."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inclusion import video
from inclusion.video_models import VideoIntroduction
from profiles import privacy, services
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "intro.mp4"
CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:01.500\nHello, I am Sam.\n\n00:01.500 --> 00:02.000\nI work in Blackburn.\n"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_lasting(seconds: int, *, location: bytes = b"") -> bytes:
    """An MP4 whose header says it lasts ``seconds`` (only the boxes a length check reads, plus a location)."""
    mvhd = box(b"mvhd", struct.pack(">B3xIIII", 0, 0, 0, 1000, seconds * 1000) + b"\x00" * 80)
    udta = box(b"udta", box(b"\xa9xyz", location)) if location else b""
    return box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + box(b"moov", mvhd + udta) + box(b"mdat", b"\x00" * 64)


def mp4_upload(data: bytes | None = None, name: str = "me.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, FIXTURE.read_bytes() if data is None else data, content_type="video/mp4")


def vtt(data: bytes = CAPTIONS) -> SimpleUploadedFile:
    return SimpleUploadedFile("captions.vtt", data, content_type="text/vtt")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def upload_page(client, profile, **fields):
    data = {"action": "upload", "upload-kind": "bsl", "upload-video": mp4_upload()}
    data.update({f"upload-{key}": value for key, value in fields.items()})
    return client.post(reverse("inclusion:video", args=[profile.pk]), data)


@pytest.fixture
def supporter():
    return make_profile(role="pa", display_name="Sam Signer")


@pytest.fixture
def owner_client(client, supporter):
    client.force_login(supporter.user)
    return client


def watch_url(intro) -> str:
    return reverse("inclusion:video-file", args=[intro.profile.ref, intro.pk])


def test_a_png_renamed_mp4_is_refused_with_a_plain_message(owner_client, supporter):
    response = upload_page(owner_client, supporter, video=mp4_upload(png_bytes(), name="me.mp4"))
    assert response.status_code == 200
    assert "We could not read that file as a video. Choose an MP4 video" in response.content.decode()
    assert not VideoIntroduction.objects.exists()


def test_webm_is_refused_saying_to_save_it_as_mp4(owner_client, supporter):
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 200
    response = upload_page(owner_client, supporter, video=mp4_upload(webm, name="me.webm"))
    assert "Save or export it as MP4" in response.content.decode()
    assert not VideoIntroduction.objects.exists()


def test_a_video_longer_than_three_minutes_is_refused(owner_client, supporter):
    response = upload_page(owner_client, supporter, video=mp4_upload(mp4_lasting(3 * 60 + 10)))
    assert "That video is 3 minutes 10 seconds long. Keep it to 3 minutes or less" in response.content.decode()
    assert not VideoIntroduction.objects.exists()


def test_a_video_over_the_size_limit_is_refused(owner_client, supporter, settings):
    settings.VIDEO_MAX_BYTES = 2 * 2**20
    big = mp4_lasting(20)[:-64] + struct.pack(">I4s", 8 + 3 * 2**20, b"mdat") + b"\x00" * (3 * 2**20)
    response = upload_page(owner_client, supporter, video=mp4_upload(big))
    assert "That video is too big. Choose one under 2 MB" in response.content.decode()
    assert not VideoIntroduction.objects.exists()


def test_captions_that_are_not_webvtt_are_refused(owner_client, supporter):
    response = upload_page(owner_client, supporter, captions=vtt(b"1\n00:00:00,000 --> 00:00:01,000\nHi\n"))
    assert "its first line must be WEBVTT" in response.content.decode()
    bad_timing = upload_page(owner_client, supporter, captions=vtt(b"WEBVTT\n\n00:02.000 --> 00:01.000\nHi\n"))
    assert "a caption ends before it starts" in bad_timing.content.decode()
    assert not VideoIntroduction.objects.exists()


def test_without_captions_or_transcript_it_is_not_shown_to_others(owner_client, supporter):
    response = upload_page(owner_client, supporter)
    assert response.status_code == 302
    intro = VideoIntroduction.objects.get()
    assert intro.status == VideoIntroduction.Status.WAITING and intro.seconds == 2
    page = owner_client.get(response["Location"])
    assert "not shown yet: add captions or a transcript" in page.content.decode()
    assert owner_client.get(watch_url(intro)).status_code == 200  # the owner can check it first

    seeker = make_profile(role="seeker").user
    owner_client.force_login(seeker)
    assert owner_client.get(watch_url(intro)).status_code == 404
    detail = owner_client.get(supporter.get_absolute_url()).content.decode()
    assert "<video" not in detail


def test_with_captions_it_is_shown_with_a_captions_track_and_no_autoplay(owner_client, supporter):
    upload_page(owner_client, supporter, captions=vtt(), transcript="Hello, I am Sam. I work in Blackburn.")
    intro = VideoIntroduction.objects.get()
    assert intro.is_shown

    owner_client.logout()
    body = owner_client.get(watch_url(intro))
    assert body.status_code == 200 and body["Content-Type"] == "video/mp4"
    served = b"".join(body.streaming_content)
    assert len(served) == FIXTURE.stat().st_size and b"Lavf" in FIXTURE.read_bytes() and b"Lavf" not in served
    assert video.check_video(mp4_upload(served)) == 2  # still a readable two-second video, its encoder tag gone
    part = owner_client.get(watch_url(intro), headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part["Content-Range"] == f"bytes 0-99/{FIXTURE.stat().st_size}"
    captions = owner_client.get(reverse("inclusion:video-captions", args=[supporter.ref, intro.pk]))
    assert captions.content.startswith(b"WEBVTT") and captions["Content-Type"].startswith("text/vtt")

    html = render_include(supporter)
    assert "<video controls" in html and "autoplay" not in html
    assert '<track kind="captions"' in html
    assert "<details>" in html and "Hello, I am Sam. I work in Blackburn." in html


def test_a_transcript_alone_shows_it_and_adding_one_later_shows_it(owner_client, supporter):
    upload_page(owner_client, supporter)
    intro = VideoIntroduction.objects.get()
    owner_client.post(
        reverse("inclusion:video", args=[supporter.pk]),
        {"action": "text", "text-transcript": "Hello, I am Sam."},
    )
    intro.refresh_from_db()
    assert intro.is_shown
    owner_client.logout()
    assert owner_client.get(watch_url(intro)).status_code == 200


def test_a_paused_listing_hides_its_video(owner_client, supporter):
    upload_page(owner_client, supporter, captions=vtt())
    intro = VideoIntroduction.objects.get()
    services.profile_pause(profile=supporter, actor=supporter.user)
    owner_client.logout()
    assert owner_client.get(watch_url(intro)).status_code == 404


def test_another_persons_video_id_gives_404(owner_client, supporter):
    upload_page(owner_client, supporter, captions=vtt())
    intro = VideoIntroduction.objects.get()
    someone = make_profile(role="pa")
    owner_client.force_login(someone.user)
    assert owner_client.get(reverse("inclusion:video", args=[supporter.pk])).status_code == 404
    response = owner_client.post(reverse("inclusion:video", args=[supporter.pk]), {"action": "remove"})
    assert response.status_code == 404
    # another listing's ref with this video's id
    assert owner_client.get(reverse("inclusion:video-file", args=[someone.ref, intro.pk])).status_code == 404
    assert VideoIntroduction.objects.filter(pk=intro.pk).exists()


def test_location_metadata_is_removed_from_the_stored_file(owner_client, supporter):
    data = mp4_lasting(5, location=b"+53.7480-002.4820/")
    upload_page(owner_client, supporter, video=mp4_upload(data), transcript="Hello")
    stored = VideoIntroduction.objects.get().video
    with stored.open("rb") as handle:
        kept = handle.read()
    assert len(kept) == len(data)
    assert b"53.7480" not in kept and b"udta" not in kept
    assert stored.name.startswith("videos/") and "Sam" not in stored.name


def test_deleting_the_account_takes_the_video_and_its_file(owner_client, supporter, django_capture_on_commit_callbacks):
    upload_page(owner_client, supporter, captions=vtt())
    intro = VideoIntroduction.objects.get()
    storage, name = intro.video.storage, intro.video.name
    assert storage.exists(name)
    export = privacy.user_export_data(supporter.user)
    assert export["video_introductions"][0]["captions"].startswith("WEBVTT")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("profiles:account-delete"), {"confirm": "yes"})
    assert response.status_code == 302
    assert not VideoIntroduction.objects.exists()
    assert not storage.exists(name)


def test_removing_or_replacing_the_video_deletes_its_file(owner_client, supporter, django_capture_on_commit_callbacks):
    upload_page(owner_client, supporter, captions=vtt())
    first = VideoIntroduction.objects.get().video
    with django_capture_on_commit_callbacks(execute=True):
        upload_page(owner_client, supporter, kind="spoken")
    intro = VideoIntroduction.objects.get()
    assert intro.kind == "spoken" and not intro.is_shown  # a new video: its captions start again
    assert not first.storage.exists(first.name)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("inclusion:video", args=[supporter.pk]), {"action": "remove"})
    assert not VideoIntroduction.objects.exists()
    assert not intro.video.storage.exists(intro.video.name)


def test_bsl_badge_from_a_shown_bsl_video_or_the_listings_languages(owner_client, supporter):
    assert "Signs BSL" not in render_badge(supporter)
    upload_page(owner_client, supporter)  # BSL, but waiting for captions
    assert "Signs BSL" not in render_badge(supporter)
    owner_client.post(reverse("inclusion:video", args=[supporter.pk]), {"action": "text", "text-transcript": "Hi"})
    assert "Signs BSL" in render_badge(supporter)
    other = make_profile(role="pa", languages=["en", "bfi"])
    assert "Signs BSL" in render_badge(other)


def test_the_register_language_filter_already_finds_bsl_signers(client):
    signer = make_profile(role="pa", languages=["bfi"], display_name="Bea Signs")
    make_profile(role="pa", languages=["en"], display_name="Ed Speaks")
    page = client.get(reverse("profiles:browse"), {"language": "bfi"}).content.decode()
    assert signer.display_name in page and "Ed Speaks" not in page


def test_a_stranger_cannot_upload_through_the_service(supporter):
    stranger = UserFactory()
    from django.core.exceptions import PermissionDenied

    from inclusion import video_services

    with pytest.raises(PermissionDenied):
        video_services.video_upload(profile=supporter, actor=stranger, upload=mp4_upload(), kind="bsl")


def test_check_video_reads_the_real_fixture():
    assert video.check_video(mp4_upload()) == 2


def render_include(profile) -> str:
    from django.template.loader import render_to_string

    return render_to_string("inclusion/includes/video_intro.html", {"profile": profile})


def render_badge(profile) -> str:
    from django.template import Context, Template

    return Template("{% load video_tags %}{% bsl_badge profile %}").render(Context({"profile": profile}))


def test_the_register_page_badges_a_video_signer_without_a_query_per_card(owner_client, supporter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matching import live

    upload_page(owner_client, supporter, captions=vtt())
    owner_client.logout()
    for _ in range(3):
        make_profile(role="pa", postcode="BB1")
    live.get_index()
    with CaptureQueriesContext(connection) as few:
        owner_client.get("/register/?postcode=BB1")
    for _ in range(8):
        make_profile(role="pa", postcode="BB1")
    live.get_index()
    with CaptureQueriesContext(connection) as many:
        page = owner_client.get("/register/?postcode=BB1").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("Signs BSL") == 1 and "Sam Signer" in page
