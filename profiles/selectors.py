"""Reads that carry permission rules: the public register and one listing as a given person sees it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
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
    # "you both ..." chips for the whole page, worked out once and only when a page shows them (the API
    # never asks): set by the engine for a signed-in seeker.
    page_chips: Callable[[], dict[int, list[str]]] | None = None

    @property
    def chips(self) -> list[str]:
        return self.page_chips().get(self.profile.pk, []) if self.page_chips else []

    @property
    def distance_label(self) -> str:
        return locality.rounded_distance(self.distance_km) if self.distance_km is not None else ""


def _hidden_user_ids(viewer: User | None) -> set[int]:
    if viewer is None or not viewer.is_authenticated:
        return set()
    return Block.user_ids_hidden_from(viewer.pk)


class RegisterResults(Protocol):
    """Search results as a sequence: ``len()`` is the count, a slice loads just those listings."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: slice) -> list[Listing]: ...


RegisterEngine = Callable[..., RegisterResults]
_engine: RegisterEngine | None = None


def register_engine(engine: RegisterEngine) -> None:
    """The search engine (``matching.register``) registers itself here at start-up, so that the
    register's pages and API read through the one engine without profiles importing matching."""
    global _engine
    _engine = engine


def register_search(*, viewer: User | None, query: RegisterQuery) -> RegisterResults:
    """Listed supporters that fit the filters, never anyone blocked either way, in the chosen order."""
    if _engine is None:
        raise ImproperlyConfigured("No register search engine is installed (add matching to INSTALLED_APPS).")
    return _engine(viewer=viewer, query=query)


def profile_for_viewer(*, ref: str, viewer: User | None) -> Profile:
    """A listing if the viewer may see it; 404 otherwise, so that existence does not leak."""
    if not _REF.fullmatch(ref or ""):
        raise Http404  # not a ref at all (PostgreSQL also refuses NUL bytes in a lookup)
    profile = Profile.objects.select_related("organisation", "user").filter(ref=ref).first()
    if profile is None:
        raise Http404
    is_owner = viewer is not None and viewer.is_authenticated and profile.user_id == viewer.pk
    if is_owner:
        return profile
    if not profile.is_listed or not profile.page_open_to(viewer):
        raise Http404  # seekers are private: never shown to visitors who are not signed in
    if profile.user_id and profile.user_id in _hidden_user_ids(viewer):
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
