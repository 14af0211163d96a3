"""Reads that carry permission rules: the public register and one listing as a given person sees it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from . import locality
from . import vocabulary as vocab
from .models import Block, Profile, User
from .register_format import profile_record


_REF = re.compile(r"[-a-zA-Z0-9_]{1,64}")


@dataclass
class RegisterQuery:
    role: str = ""
    near: locality.Place | None = None
    within_km: float | None = None
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    day: str = ""
    max_rate: Decimal | None = None
    sort: str = "distance"


@dataclass
class Listing:
    profile: Profile
    distance_km: float | None

    @property
    def distance_label(self) -> str:
        return locality.rounded_distance(self.distance_km) if self.distance_km is not None else ""


def _hidden_user_ids(viewer: User | None) -> set[int]:
    if viewer is None or not viewer.is_authenticated:
        return set()
    return Block.user_ids_hidden_from(viewer.pk)


def _bounding_box(queryset, place: locality.Place, km: float):
    dlat = km / 111.0
    dlon = km / max(1e-6, 111.320 * math.cos(math.radians(place.latitude)))
    return queryset.filter(
        latitude__gte=place.latitude - dlat,
        latitude__lte=place.latitude + dlat,
        longitude__gte=place.longitude - dlon,
        longitude__lte=place.longitude + dlon,
    )


def _matches_tags(profile: Profile, query: RegisterQuery) -> bool:
    if query.skills and not set(query.skills) <= set(profile.skills):
        return False
    if query.languages and not set(query.languages) <= set(profile.languages):
        return False
    if query.interests and not set(query.interests) & set(profile.interests):
        return False
    if query.day and not any(slot.startswith(query.day) for slot in profile.availability):
        return False
    return True


def register_search(*, viewer: User | None, query: RegisterQuery) -> list[Listing]:
    """Listed supporters (or seekers, when asked for) that fit the filters, never anyone blocked either way."""
    queryset = Profile.objects.listed().select_related("organisation").prefetch_related("claims")
    queryset = queryset.filter(role=query.role) if query.role else queryset.supporters()
    hidden = _hidden_user_ids(viewer)
    if hidden:
        queryset = queryset.exclude(user_id__in=hidden)
    if query.max_rate is not None:
        queryset = queryset.exclude(hourly_rate__gt=query.max_rate)
    if query.near and query.within_km:
        queryset = _bounding_box(queryset, query.near, query.within_km)
    listings = []
    for profile in queryset.iterator(chunk_size=2000):
        if not _matches_tags(profile, query):
            continue
        distance = None
        if query.near:
            distance = locality.distance_km(query.near.latitude, query.near.longitude, profile.latitude, profile.longitude)
            if query.within_km and distance > query.within_km:
                continue
        listings.append(Listing(profile, distance))
    return sorted(listings, key=_sort_key(query.sort))


def _sort_key(sort: str):
    if sort == "rate":
        return lambda item: (item.profile.hourly_rate is None, item.profile.hourly_rate or 0, item.profile.pk)
    if sort == "newest":
        return lambda item: (-item.profile.created_at.timestamp(), item.profile.pk)
    return lambda item: (item.distance_km is None, item.distance_km or 0, item.profile.pk)


def profile_for_viewer(*, ref: str, viewer: User | None) -> Profile:
    """A listing if the viewer may see it; 404 otherwise, so that existence does not leak."""
    if not _REF.fullmatch(ref or ""):
        raise Http404  # not a ref at all (PostgreSQL also refuses NUL bytes in a lookup)
    profile = Profile.objects.select_related("organisation", "user").filter(ref=ref).first()
    if profile is None:
        raise Http404
    is_owner = viewer is not None and viewer.is_authenticated and profile.user_id == viewer.pk
    if not is_owner:
        if not profile.is_listed or (profile.user_id and profile.user_id in _hidden_user_ids(viewer)):
            raise Http404
    return profile


def owned_profile(*, viewer: User, pk: int) -> Profile:
    """One of the viewer's own listings (or one they act for); 404 for anyone else's."""
    from .services import can_edit

    profile = Profile.objects.filter(pk=pk).first()
    if profile is None or not can_edit(profile, viewer):
        raise Http404
    return profile


def profile_public_data(profile: Profile, viewer: User | None) -> dict:
    """The interchange-format view of a listing, with sensitive fields only as the person chose."""
    sensitive = profile.sensitive_visible_to(viewer, profile.lived_experience_visibility)
    return profile_record(profile, sensitive=sensitive)


def vocabulary_choices(vocabulary: dict) -> list[tuple[str, str]]:
    return [(key, vocab.label(vocabulary, key)) for key in vocabulary]
