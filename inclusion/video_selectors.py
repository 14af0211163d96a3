"""Who may see a video introduction (docs/inclusion.md): reads with permissions, in one place.

Others see a video only when it is shown (it has captions or a transcript) and the listing itself may be
seen by them (``profiles.selectors.profile_for_viewer``: hidden, paused, blocked and private listings are a
404). The listing's editors always see their own, so they can check it before it is shown.
"""

from __future__ import annotations

from django.http import Http404

from profiles.models import Profile, User
from profiles.selectors import profile_for_viewer
from profiles.services import can_edit

from .video_models import VideoIntroduction


def video_for_viewer(*, ref: str, pk: int, viewer: User | None) -> VideoIntroduction:
    profile = profile_for_viewer(ref=ref, viewer=viewer)
    intro = VideoIntroduction.objects.filter(pk=pk, profile=profile).select_related("profile").first()
    if intro is None:
        raise Http404
    if not intro.is_shown and not (viewer is not None and can_edit(profile, viewer)):
        raise Http404
    return intro


def shown_video(profile: Profile) -> VideoIntroduction | None:
    """The listing's video if it is shown to others (the caller has already checked the listing may be seen)."""
    return VideoIntroduction.objects.filter(profile=profile, status=VideoIntroduction.Status.SHOWN).first()


def own_video(profile: Profile) -> VideoIntroduction | None:
    """The listing's video whatever its status: for the listing's own editors only."""
    return VideoIntroduction.objects.filter(profile=profile).first()


def signs_bsl_by_listing(profile: Profile) -> bool:
    """What the listing itself says: British Sign Language among its languages or skills."""
    return "bfi" in (profile.languages or []) or "bsl" in (getattr(profile, "skills", None) or [])


def bsl_video_profile_ids(profile_ids) -> set[int]:
    """Of these listings, the ones with a shown BSL video introduction (one indexed query)."""
    ids = [pid for pid in profile_ids if pid]
    if not ids:
        return set()
    return set(
        VideoIntroduction.objects.filter(
            profile_id__in=ids, kind=VideoIntroduction.Kind.BSL, status=VideoIntroduction.Status.SHOWN
        ).values_list("profile_id", flat=True)
    )
