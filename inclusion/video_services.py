"""The one write path for video introductions: upload, captions and transcript, remove (docs/inclusion.md).

Only the listing's owner, or someone who may edit it (``profiles.services.can_edit``), may change it; anyone
else gets ``PermissionDenied`` (views turn another person's id into a 404 before this). A video is shown
only once it has captions or a transcript; the status is worked out here, nowhere else. Files are deleted
after the transaction commits, by the ``post_delete`` receiver below, so a removal, a replacement, a
deleted listing and a deleted account all take the file with them.
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from profiles.models import Profile, User
from profiles.services import can_edit

from . import video
from .video_models import VideoIntroduction


def _require_editor(profile: Profile, actor: User) -> None:
    if not can_edit(profile, actor):
        raise PermissionDenied(_("You can only change your own listing, or one you act for."))


def _status(intro: VideoIntroduction) -> str:
    has_text = bool(intro.captions.strip() or intro.transcript.strip())
    return VideoIntroduction.Status.SHOWN if has_text else VideoIntroduction.Status.WAITING


@transaction.atomic
def video_upload(
    *, profile: Profile, actor: User, upload, kind: str, captions=None, transcript: str = ""
) -> VideoIntroduction:
    """Add the listing's video introduction, or replace the one it has (its captions and transcript go with it)."""
    _require_editor(profile, actor)
    if not profile.is_supporter:
        raise PermissionDenied(_("Only supporters' listings have a video introduction."))
    if kind not in VideoIntroduction.Kind.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"kind": [_("Choose whether the video is in BSL or spoken.")]})
    seconds = video.check_video(upload)
    captions_text = video.check_captions(captions) if captions else ""
    transcript = video.clean_transcript(transcript)
    Profile.objects.select_for_update().filter(pk=profile.pk).first()  # one upload at a time per listing
    old = VideoIntroduction.objects.filter(profile=profile).first()
    if old is not None:
        old.delete()  # its file goes after commit (receiver below)
    intro = VideoIntroduction(
        profile=profile,
        kind=kind,
        seconds=seconds,
        size_bytes=upload.size,
        captions=captions_text,
        transcript=transcript,
    )
    intro.status = _status(intro)
    with tempfile.TemporaryFile() as copy:
        upload.seek(0)
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 16), b""):
            copy.write(chunk)
        video.strip_metadata(copy)
        intro.video.save("video.mp4", File(copy), save=False)
    saved = intro.video
    try:
        intro.save()
    except Exception:
        saved.delete(save=False)
        raise
    return intro


@transaction.atomic
def video_text_set(
    *,
    intro: VideoIntroduction,
    actor: User,
    captions=None,
    transcript: str | None = None,
    remove_captions: bool = False,
) -> VideoIntroduction:
    """Add or replace the captions (a WebVTT upload) and/or the transcript; the video is shown once either exists."""
    _require_editor(intro.profile, actor)
    if captions:
        intro.captions = video.check_captions(captions)
    elif remove_captions:
        intro.captions = ""
    if transcript is not None:
        intro.transcript = video.clean_transcript(transcript)
    intro.status = _status(intro)
    intro.save(update_fields=["captions", "transcript", "status", "updated_at"])
    return intro


@transaction.atomic
def video_remove(*, intro: VideoIntroduction, actor: User) -> None:
    _require_editor(intro.profile, actor)
    intro.delete()


@receiver(post_delete, sender=VideoIntroduction, dispatch_uid="inclusion_video_file_delete")
def _delete_file(sender, instance: VideoIntroduction, **kwargs) -> None:
    """However the row goes (removed, replaced, listing or account deleted), its file goes once that commits."""
    name, storage = instance.video.name, instance.video.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def user_video_data(user: User) -> list[dict]:
    """For "download my data": each of the person's video introductions, with its captions and transcript."""
    return [
        {
            "listing": intro.profile.ref,
            "kind": intro.get_kind_display(),
            "status": intro.get_status_display(),
            "seconds": intro.seconds,
            "file": intro.video.name,
            "captions": intro.captions,
            "transcript": intro.transcript,
            "uploaded_at": intro.uploaded_at.isoformat(),
        }
        for intro in VideoIntroduction.objects.filter(profile__user=user).select_related("profile")
    ]
