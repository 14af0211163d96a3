"""Template pieces for video introductions: the BSL badge on cards and profile pages, and the shown video."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from ..video_models import VideoIntroduction
from ..video_selectors import bsl_video_profile_ids, shown_video, signs_bsl_by_listing

register = template.Library()


def signs_bsl(profile) -> bool:
    """BSL among the listing's languages or skills, or a shown BSL video introduction.

    A list page answers for all its cards at once with ``prefetch_bsl_badges`` (one query). Otherwise the
    listing's own fields need no query; without them, one lookup on the one-video-per-listing index.
    """
    known = getattr(profile, "_signs_bsl", None)
    if known is not None:
        return known
    if signs_bsl_by_listing(profile):
        return True
    prefetched = getattr(profile, "_prefetched_objects_cache", {}).get("video_introductions")
    if prefetched is not None:
        return any(v.kind == VideoIntroduction.Kind.BSL and v.is_shown for v in prefetched)
    return VideoIntroduction.objects.filter(
        profile_id=profile.pk, kind=VideoIntroduction.Kind.BSL, status=VideoIntroduction.Status.SHOWN
    ).exists()


@register.simple_tag
def bsl_badge(profile):
    """``{% bsl_badge profile %}``: "Signs BSL" when the supporter signs; nothing otherwise."""
    if profile is None or not getattr(profile, "is_supporter", False) or not signs_bsl(profile):
        return ""
    return render_to_string("inclusion/includes/bsl_badge.html", {"profile": profile})


@register.simple_tag
def shown_video_for(profile):
    """``{% shown_video_for profile as intro %}``: the listing's video if others may see it, else None."""
    if profile is None or not getattr(profile, "is_supporter", False):
        return None
    return shown_video(profile)


@register.simple_tag
def prefetch_bsl_badges(items) -> str:
    """``{% prefetch_bsl_badges page %}`` before a page of cards (profiles, or objects with a .profile): one query."""
    profiles = [getattr(item, "profile", item) for item in items]
    needing = [p for p in profiles if p is not None and not signs_bsl_by_listing(p)]
    with_video = bsl_video_profile_ids([p.pk for p in needing])
    for profile in profiles:
        if profile is not None:
            profile._signs_bsl = signs_bsl_by_listing(profile) or profile.pk in with_video
    return ""
