"""Reads with permission rules for the matching pages and API: matches as cards, shortlists, adverts.

Everything here filters by the viewer: another person's shortlist entry or a blocked person's
advert answers 404, so that existence does not leak.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.sql import column, table
from profiles import locality
from profiles.models import Block, Profile, ProxyLink, TrustClaim, User
from profiles.services import can_edit

from . import live, services
from .index import IndexStats
from .models import Advert, ModelChange, ModelVersion, Shortlist
from .quality import quality_for
from .scoring import explain, pairwise
from .scoring import features as F
from .scoring.records import SUPPORTER_ROLES, MatchQuery, candidate_from_profile, make_query, pence


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogues (makemessages knows the name) without translating it; Django's own
    needs settings at import, and this module is imported without them in worker subprocesses."""
    return message


TOP = 20
FACTOR_NAMES = {
    "lived_experience": _("Shared lived experience"),
    "locality": _("How close they are"),
    "skills": _("Skills you asked for"),
    "interests": _("Shared interests"),
    "languages": _("Languages"),
    "availability": _("When they are free"),
    "price": _("Price"),
    "quality": _("Ratings from other people"),
}
SORTS = {"best": _("Best match"), "distance": _("Nearest first"), "rate": _("Lowest hourly rate first")}


# Seekers and supporters the viewer may act as ---------------------------------------------


def seeker_profiles_for(viewer: User) -> list[Profile]:
    """The viewer's own seeker profiles, then those of people they act for (active proxy links)."""
    acting_for = ProxyLink.objects.filter(proxy=viewer, revoked_at__isnull=True).values("seeker_id")
    rows = Profile.objects.filter(role=Profile.Role.SEEKER).filter(Q(user=viewer) | Q(user_id__in=acting_for))
    return sorted(rows, key=lambda p: (p.user_id != viewer.pk, p.pk))


def seeker_profile_for(viewer: User, pk: int | None, profiles: list[Profile] | None = None) -> Profile | None:
    profiles = seeker_profiles_for(viewer) if profiles is None else profiles
    if pk is None:
        return profiles[0] if profiles else None
    chosen = next((p for p in profiles if p.pk == pk), None)
    if chosen is None:
        raise Http404
    return chosen


# What a match query reads from the seeker's profile (query_from_seeker, match_query, the viewer context).
MATCH_QUERY_FIELDS = (
    "id",
    "user_id",
    "role",
    "latitude",
    "longitude",
    "seeking",
    "lived_experience",
    "sensitive_consent_at",
    "interests",
    "languages",
    "availability",
    "about",
)


def own_seeker_profile(user: User) -> Profile | None:
    """The person's own first seeker profile (lowest id), as ``user.profiles.filter(role=seeker).first()``.

    The matches API asks this on every request, and the ORM query cost six times the statement it
    runs, so it is one fixed statement with only the fields a match query reads; any other field
    still loads when something reads it (a deferred field), so callers see an ordinary Profile.
    """
    return next(iter(Profile.objects.raw(_own_seeker_profile_sql(), [user.pk, Profile.Role.SEEKER.value])), None)


@functools.cache
def _own_seeker_profile_sql() -> str:
    columns = ", ".join(column(Profile, name) for name in MATCH_QUERY_FIELDS)
    return (
        f"SELECT {columns} FROM {table(Profile)} "
        f"WHERE {column(Profile, 'user')} = %s AND {column(Profile, 'role')} = %s ORDER BY {column(Profile, 'pk')} LIMIT 1"
    )


def supporter_profiles_for(viewer: User) -> list[Profile]:
    return list(Profile.objects.listed().supporters().filter(user=viewer).order_by("pk"))


# Matches as cards -------------------------------------------------------------------------


@dataclass
class MatchFilters:
    role: str = ""
    max_km: int | None = None
    language: str = ""
    max_rate: Decimal | None = None
    must: list[str] | None = None  # None: the seeker's stored choice
    sort: str = "best"


@dataclass
class FactorRow:
    name: str
    importance: str
    strength: str
    points: float


@dataclass
class Card:
    result: services.MatchResult
    profile: Profile
    distance_km: float
    factors: list[FactorRow] = field(default_factory=list)
    shortlist_id: int | None = None

    @property
    def top_reasons(self) -> list[str]:
        return self.result.reasons[:3]


def filtered_query(seeker_profile: Profile, viewer: User, filters: MatchFilters) -> MatchQuery:
    """The seeker's stored query (lived experience, interests: never from the URL), narrowed by the filters."""
    roles = [filters.role] if filters.role else None
    query = services.match_query(seeker_profile=seeker_profile, viewer=viewer, roles=roles, must=filters.must)
    changes: dict[str, Any] = {}
    if filters.max_km:
        changes["max_km"] = float(min(filters.max_km, query.max_km or math.inf))
    if filters.max_rate is not None:
        changes["max_rate_pence"] = min(pence(filters.max_rate), query.max_rate_pence or 10**9)
    if filters.language:
        changes["languages"] = frozenset({filters.language})
        changes["must"] = query.must | {"languages"}
    return dataclasses.replace(query, **changes) if changes else query


def strength_words(feature: float, multiplier: float, weight: float | None = None) -> str:
    """A factor whose weight is zero is "not counted", never "no match": it was not compared."""
    if multiplier == 0:
        return gettext("Not counted: you said this doesn't matter")
    if weight == 0:
        return gettext("Not counted in the score at the moment")
    if feature >= 0.75:
        return gettext("Strong match")
    if feature >= 0.4:
        return gettext("Partly matches")
    if feature > 0:
        return gettext("Matches a little")
    return gettext("No match, adds nothing")


def importance_words(multiplier: float) -> str:
    words = {0: gettext("Doesn't matter"), 0.5: gettext("Less"), 1: gettext("Normal"), 2: gettext("More")}
    return words.get(multiplier) or gettext("%(multiplier)s times normal") % {"multiplier": f"{multiplier:g}"}


def factor_rows(result: services.MatchResult, weights: dict[str, float]) -> list[FactorRow]:
    used = services.effective_weights(weights)
    rows = []
    for factor in F.FACTORS:
        points = result.factors.get(factor, 0.0)
        feature = points / used[factor] if used[factor] else 0.0
        multiplier = weights.get(factor, 1.0)
        rows.append(
            FactorRow(
                str(FACTOR_NAMES[factor]),
                importance_words(multiplier),
                strength_words(feature, multiplier, used[factor]),
                round(points, 2),
            )
        )
    return rows


def _profiles_by_id(ids: list[int]) -> dict[int, Profile]:
    """One query for the listings (plus one for their claims), however many cards there are."""
    claims = Prefetch("claims", queryset=TrustClaim.objects.select_related("checked_by", "checked_by_organisation"))
    return {p.pk: p for p in Profile.objects.filter(pk__in=ids).prefetch_related(claims, "photos")}


def _sort(cards: list[Card], sort: str) -> list[Card]:
    if sort == "distance":
        return sorted(cards, key=lambda c: (c.distance_km, -c.result.score))
    if sort == "rate":
        return sorted(cards, key=lambda c: (c.profile.hourly_rate or Decimal(0), -c.result.score))
    return cards  # best match: the order match_rank gave, highest score first


def match_cards(
    *, seeker_profile: Profile, viewer: User, filters: MatchFilters, weights: dict[str, float], top: int = TOP
) -> list[Card]:
    query = filtered_query(seeker_profile, viewer, filters)
    results = services.match_rank(seeker_profile_or_query=query, viewer=viewer, top=top, weights=weights)
    profiles = _profiles_by_id([r.profile_id for r in results])
    entries = shortlisted(viewer, profiles)
    cards = []
    for result in results:
        profile = profiles.get(result.profile_id)
        if profile is None:
            continue  # removed since the index last heard of it
        distance = locality.distance_km(
            seeker_profile.latitude, seeker_profile.longitude, profile.latitude, profile.longitude
        )
        cards.append(Card(result, profile, distance, factor_rows(result, weights), entries.get(profile.pk)))
    return _sort(cards, filters.sort)


# Shortlist --------------------------------------------------------------------------------


def shortlisted(viewer: User, profile_ids) -> dict[int, int]:
    """profile id -> the viewer's shortlist entry id, for the given listings."""
    rows = Shortlist.objects.filter(user=viewer, profile_id__in=list(profile_ids)).values_list("profile_id", "pk")
    return dict(rows)


def shortlist_for(viewer: User):
    hidden = Block.user_ids_hidden_from(viewer.pk)
    return (
        Shortlist.objects.filter(user=viewer, profile__status=Profile.Status.LISTED)
        .exclude(profile__user_id__in=hidden)
        .select_related("profile")
    )


def shortlist_entry_for(*, viewer: User, pk: int) -> Shortlist:
    entry = Shortlist.objects.filter(pk=pk, user=viewer).select_related("profile").first()
    if entry is None:
        raise Http404
    return entry


# Adverts ----------------------------------------------------------------------------------


@dataclass
class AdvertMatch:
    advert: Advert
    score: float
    distance: str
    reasons: list[str]


def _hidden_from(viewer: User) -> set[int]:
    return Block.user_ids_hidden_from(viewer.pk)


def advert_for_viewer(*, viewer: User, pk: int) -> Advert:
    """Its owner (or their proxy) always; anyone else only while it is open and nobody is blocked."""
    advert = Advert.objects.select_related("seeker_profile").filter(pk=pk).first()
    if advert is None:
        raise Http404
    if can_edit(advert.seeker_profile, viewer):
        return advert
    owners = {advert.seeker_profile.user_id, advert.created_by_id} - {None}
    if advert.status != Advert.Status.OPEN or owners & _hidden_from(viewer):
        raise Http404
    return advert


def adverts_owned(viewer: User):
    ids = [p.pk for p in seeker_profiles_for(viewer)]
    return (
        Advert.objects.filter(seeker_profile_id__in=ids).select_related("seeker_profile").prefetch_related("responses")
    )


def advert_responses(*, advert: Advert, viewer: User):
    """Responses for the advert's owner, leaving out anyone blocked since they responded."""
    if not can_edit(advert.seeker_profile, viewer):
        raise Http404
    return advert.responses.exclude(supporter_profile__user_id__in=_hidden_from(viewer)).select_related(
        "supporter_profile"
    )


def advert_query(advert: Advert, viewer: User) -> MatchQuery:
    """The advert as a match query, the way query_from_seeker builds one from a seeking block.

    The seeker's lived experience is left out on purpose: the reader is a supporter, and a
    reason like "both Deaf" would tell them what the seeker has not chosen to show them.
    """
    seeker = advert.seeker_profile
    return make_query(
        lat=seeker.latitude,
        lon=seeker.longitude,
        roles=[r for r in advert.roles if r in SUPPORTER_ROLES] or SUPPORTER_ROLES,
        max_km=float(advert.max_km) if advert.max_km else None,
        max_rate_pence=pence(advert.max_rate),
        skills=advert.skills,
        interests=advert.interests,
        languages=advert.languages,
        availability=advert.availability,
        about=advert.what,
        viewer_id=viewer.pk,
    )


SUPPORTER_VOICE = (
    ("offers ", "you offer "),
    ("speaks ", "you speak "),
    ("free on ", "you are free on "),
    ("both enjoy ", "you both enjoy "),
    ("rated by ", "you are rated by "),
    ("writes about similar things to you", "what you wrote about yourself is close to what they ask for"),
    ("a volunteer, so", "you volunteer, so"),
)


SUPPORTER_SENTENCES = {
    "skills": gettext_noop("you offer %(skills)s"),
    "languages": gettext_noop("you speak %(languages)s"),
    "availability": gettext_noop("you are free on %(times)s"),
    "interests": gettext_noop("you both enjoy %(interests)s"),
    "about": gettext_noop("what you wrote about yourself is close to what they ask for"),
    "volunteer": gettext_noop("you volunteer, so there is no charge"),
    "rate_under": gettext_noop("%(rate)s an hour, under their %(limit)s limit"),
}


def supporter_voice(reason: str) -> str:
    """Matching's reasons speak to the seeker; on adverts the reader is the supporter."""
    kind = getattr(reason, "kind", "")
    values = getattr(reason, "values", {})
    if kind == "quality":
        count = values["count"]
        return ngettext("you are rated by %(count)s person", "you are rated by %(count)s people", count) % {
            "count": count
        }
    if kind in SUPPORTER_SENTENCES:
        return gettext(SUPPORTER_SENTENCES[kind]) % values
    if kind:
        return str(reason)
    for seeker_words, supporter_words in SUPPORTER_VOICE:
        if reason.startswith(seeker_words):
            return supporter_words + reason[len(seeker_words) :]
    return reason.replace(" under your ", " under their ")


def score_advert(advert: Advert, supporter: Profile, viewer: User, stats, weights) -> AdvertMatch | None:
    query = advert_query(advert, viewer)
    candidate = candidate_from_profile(supporter, quality_for([supporter.pk])[supporter.pk])
    distance = pairwise.distance_km(query, candidate)
    if not pairwise.passes(query, candidate, distance):
        return None
    features = pairwise.feature_vector(query, candidate, distance, stats)
    item = pairwise.Scored(candidate, distance, features, pairwise.total(features, weights))
    reasons = [supporter_voice(r) for r in explain.reasons(query, item, weights, stats.lived_idf)]
    return AdvertMatch(advert, round(item.score, 4), locality.rounded_distance(distance), reasons)


def _near(queryset, profile: Profile, km: float):
    dlat = km / 111.0
    dlon = km / max(1e-6, 111.32 * math.cos(math.radians(profile.latitude)))
    return queryset.filter(
        seeker_profile__latitude__range=(profile.latitude - dlat, profile.latitude + dlat),
        seeker_profile__longitude__range=(profile.longitude - dlon, profile.longitude + dlon),
    )


def advert_fit(*, advert: Advert, supporter: Profile, viewer: User) -> AdvertMatch | None:
    """How one advert suits one supporter (None: a hard filter leaves them out)."""
    return score_advert(advert, supporter, viewer, IndexStats(live.get_index()), services.effective_weights())


def is_advert_owner(advert: Advert, viewer: User) -> bool:
    return can_edit(advert.seeker_profile, viewer)


def adverts_for_supporter(*, viewer: User, supporter: Profile, top: int = TOP) -> list[AdvertMatch]:
    """Open adverts this supporter fits, ranked with the same features and hard filters as matches."""
    reach = float(supporter.travel_km or F.DEFAULT_RADIUS_KM)
    hidden = _hidden_from(viewer) | {viewer.pk}
    adverts = (
        _near(Advert.objects.filter(status=Advert.Status.OPEN), supporter, reach)
        .exclude(seeker_profile__user_id__in=hidden)
        .exclude(created_by_id__in=hidden)
        .select_related("seeker_profile")[:500]
    )
    stats, weights = IndexStats(live.get_index()), services.effective_weights()
    scored = [m for m in (score_advert(a, supporter, viewer, stats, weights) for a in adverts) if m]
    scored.sort(key=lambda m: (-m.score, -m.advert.pk))
    return scored[:top]


# "Why is someone not in my matches?" ----------------------------------------------------------

WHY_NOT_LIMIT = 10


@dataclass
class WhyNotSearch:
    not_shown: list[Profile]  # people found by name who are not in the seeker's matches: the only choices
    shown: list[Profile]  # people found who are in them already


def why_not_people(*, viewer: User, seeker_profile: Profile, name: str) -> WhyNotSearch:
    """Listed supporters whose name contains ``name``, as the register shows them to this viewer (listed,
    nobody blocked either way, never the viewer's own), split by whether the seeker's matches show them."""
    query = services.match_query(seeker_profile=seeker_profile, viewer=viewer)
    shown = {r.profile_id for r in services.match_rank(seeker_profile_or_query=query, viewer=viewer, top=TOP)}
    found = [
        p
        for p in live.indexable()
        .filter(display_name__icontains=name.strip())
        .exclude(user_id__in=query.excluded_user_ids)  # blocks either way, the viewer and the seeker themselves
        .order_by("display_name", "pk")[: WHY_NOT_LIMIT * 3]
        if p.page_open_to(viewer)
    ]
    return WhyNotSearch(
        [p for p in found if p.pk not in shown][:WHY_NOT_LIMIT], [p for p in found if p.pk in shown][:WHY_NOT_LIMIT]
    )


# The matching model's history (staff) ------------------------------------------------------


@dataclass
class WeightRow:
    factor: str
    name: str
    weight: float
    hand_set: float
    below_floor: bool


def model_history():
    """Every version of the weights, newest first, each with what happened to it and who did it."""
    changes = Prefetch("changes", queryset=ModelChange.objects.select_related("actor"))
    return ModelVersion.objects.select_related("approved_by").prefetch_related(changes).order_by("-version")


def model_history_for(viewer: User):
    """The model page is for staff only: anyone else gets a 404 (the second factor is the middleware's)."""
    if not (viewer.is_authenticated and viewer.is_staff):
        raise Http404
    return model_history()


def weight_rows(version: ModelVersion) -> list[WeightRow]:
    weights = version.weights if isinstance(version.weights, dict) else {}
    return [
        WeightRow(
            f,
            str(FACTOR_NAMES[f]),
            round(float(weights.get(f, 0.0)), 2),
            F.DEFAULT_WEIGHTS[f],
            f in (version.below_floor or []),
        )
        for f in F.FACTORS
    ]
