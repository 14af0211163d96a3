"""Reads for the coordinator's workflow, each filtered by who is asking (anyone else's row answers 404).

Suggestions: ``matching.services.match_rank`` (the one engine) ranks the organisation's peer advisors for the referral's
seeker as the coordinator sees them (a coordinator may see experience shared "only with me and
my coordinator", so it counts). Then, after ranking and shown in words:
- capacity: a volunteer whose places are all taken is left out, with that reason;
- fairness: a small penalty for the share of places taken and for each time they were proposed
  in the last 30 days, so the same popular volunteer is not always put forward.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from matching import services as engine
from matching.scoring.explain import LIVED_PHRASES
from profiles.models import Organisation, OrganisationMembership, Profile, ProxyLink, User

from .models import LIVE_PROPOSAL, OPEN_REFERRAL, CheckIn, MatchProposal, Referral

SHOWN = 5
RANKED = 30
RECENT_DAYS = 30
# The score is a sum of weights (13.5 at most); a full volunteer would lose 1.0, each recent
# proposal 0.25 (counted up to 4). Enough to separate near-equals, not to bury a clearly better match.
LOAD_PENALTY = 1.0
RECENT_PENALTY = 0.25
RECENT_CAP = 4
LIVED_PREFIXES = (*LIVED_PHRASES.values(), "both have lived experience of")


@dataclass
class Suggestion:
    profile: Profile
    result: engine.MatchResult
    load: int
    recent: int
    rank: int  # position before the fairness adjustment, from 1

    @property
    def capacity(self) -> int:
        return self.profile.capacity

    @property
    def penalty(self) -> float:
        return round(
            LOAD_PENALTY * self.load / max(1, self.capacity) + RECENT_PENALTY * min(self.recent, RECENT_CAP), 4
        )

    @property
    def adjusted(self) -> float:
        return round(self.result.score - self.penalty, 4)

    @property
    def places(self) -> str:
        return ngettext(
            "has %(load)s of %(capacity)s place taken", "has %(load)s of %(capacity)s places taken", self.capacity
        ) % {"load": self.load, "capacity": self.capacity}

    @property
    def recent_note(self) -> str:
        if not self.recent:
            return gettext("not proposed in the last %(days)s days") % {"days": RECENT_DAYS}
        return ngettext(
            "proposed %(count)s time in the last %(days)s days",
            "proposed %(count)s times in the last %(days)s days",
            self.recent,
        ) % {"count": self.recent, "days": RECENT_DAYS}

    def as_dict(self) -> dict:
        return {
            "ref": self.profile.ref,
            "display_name": self.profile.display_name,
            "distance": self.result.distance,
            "score": self.result.score,
            "fairness_penalty": self.penalty,
            "adjusted_score": self.adjusted,
            "rank_before_fairness": self.rank,
            "places_taken": self.load,
            "capacity": self.capacity,
            "proposed_recently": self.recent,
            "reasons": self.result.reasons,
            "fairness": f"{self.places}; {self.recent_note}",
        }


@dataclass
class LeftOut:
    profile: Profile
    reason: str

    def as_dict(self) -> dict:
        return {"ref": self.profile.ref, "display_name": self.profile.display_name, "reason": self.reason}


@dataclass
class Suggestions:
    shown: list[Suggestion] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


# Who may see what ----------------------------------------------------------------------------


def coordinator_organisations(viewer: User) -> QuerySet[Organisation]:
    if not viewer.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=viewer, memberships__role=OrganisationMembership.Role.COORDINATOR
    ).distinct()


def referral_queue(*, viewer: User, include_closed: bool = False) -> QuerySet[Referral]:
    """The referrals of the organisations the viewer coordinates, oldest first."""
    referrals = Referral.objects.filter(organisation__in=coordinator_organisations(viewer))
    if not include_closed:
        referrals = referrals.filter(status__in=OPEN_REFERRAL)
    return referrals.select_related("organisation", "seeker_profile").prefetch_related("proposals__supporter_profile")


def check_ins_due(*, viewer: User, on=None) -> QuerySet[CheckIn]:
    """Check-ins not yet recorded whose day has come, for the viewer's organisations."""
    return CheckIn.objects.filter(
        done_at__isnull=True,
        due_on__lte=on or timezone.localdate(),
        proposal__status=MatchProposal.Status.INTRODUCED,
        proposal__referral__organisation__in=coordinator_organisations(viewer),
    ).select_related("proposal__referral__seeker_profile", "proposal__supporter_profile")


def referral_for_coordinator(*, viewer: User, pk: int) -> Referral:
    referral = referral_queue(viewer=viewer, include_closed=True).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def check_in_for_coordinator(*, viewer: User, pk: int) -> CheckIn:
    check_in = (
        CheckIn.objects.filter(pk=pk, proposal__referral__organisation__in=coordinator_organisations(viewer))
        .select_related("proposal__referral")
        .first()
    )
    if check_in is None:
        raise Http404
    return check_in


def _seeker_user_ids(viewer: User) -> list[int]:
    acting_for = ProxyLink.objects.filter(proxy=viewer, revoked_at__isnull=True).values_list("seeker_id", flat=True)
    return [viewer.pk, *acting_for]


def proposals_for_person(*, viewer: User) -> QuerySet[MatchProposal]:
    """Proposed matches the viewer is in: as the peer advisor, the seeker, or someone acting for the seeker."""
    if not viewer.is_authenticated:
        return MatchProposal.objects.none()
    return MatchProposal.objects.filter(
        Q(supporter_profile__user=viewer) | Q(referral__seeker_profile__user_id__in=_seeker_user_ids(viewer))
    ).select_related("referral__organisation", "referral__seeker_profile", "supporter_profile")


def proposal_for_participant(*, viewer: User, pk: int) -> MatchProposal:
    proposal = proposals_for_person(viewer=viewer).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def referrals_for_person(*, viewer: User) -> QuerySet[Referral]:
    return Referral.objects.filter(seeker_profile__user_id__in=_seeker_user_ids(viewer)).select_related(
        "organisation", "seeker_profile"
    )


def seeker_profiles_for(viewer: User) -> QuerySet[Profile]:
    return Profile.objects.filter(role=Profile.Role.SEEKER, user_id__in=_seeker_user_ids(viewer))


# Suggestions ---------------------------------------------------------------------------------


def supporter_pool(organisation: Organisation) -> QuerySet[Profile]:
    """Listed peer advisors with a login: the organisation's own if it has any, otherwise everyone's."""
    pool = Profile.objects.listed().filter(role=Profile.Role.PEER_ADVISOR, user__isnull=False)
    own = pool.filter(organisation=organisation)
    return own if own.exists() else pool


def _query(referral: Referral, viewer: User):
    query = engine.match_query(seeker_profile=referral.seeker_profile, viewer=viewer, roles=[Profile.Role.PEER_ADVISOR])
    # 0 is how the index stores "no login": such listings cannot say yes to a match.
    left_out = {0}
    if supporter_pool(referral.organisation).filter(organisation=referral.organisation).exists():
        left_out |= set(
            Profile.objects.listed()
            .filter(role=Profile.Role.PEER_ADVISOR, user__isnull=False)
            .exclude(organisation=referral.organisation)
            .values_list("user_id", flat=True)
        )
    return dataclasses.replace(query, excluded_user_ids=query.excluded_user_ids | left_out)


def _counts(profile_ids, **filters) -> dict[int, int]:
    rows = (
        MatchProposal.objects.filter(supporter_profile_id__in=profile_ids, **filters)
        .values("supporter_profile_id")
        .annotate(n=Count("id"))
    )
    return {row["supporter_profile_id"]: row["n"] for row in rows}


def referral_suggestions(*, referral: Referral, viewer: User, top: int = SHOWN) -> Suggestions:
    """The best peer advisors for a referral after capacity and fairness, and who was left out and why."""
    results = engine.match_rank(seeker_profile_or_query=_query(referral, viewer), viewer=viewer, top=RANKED)
    pool = {p.pk: p for p in supporter_pool(referral.organisation).filter(pk__in=[r.profile_id for r in results])}
    loads = _counts(pool, status__in=LIVE_PROPOSAL)
    recent = _counts(pool, proposed_at__gte=timezone.now() - timedelta(days=RECENT_DAYS))
    tried = set(referral.proposals.values_list("supporter_profile_id", flat=True))
    found = Suggestions()
    for rank, result in enumerate((r for r in results if r.profile_id in pool), start=1):
        profile, load = pool[result.profile_id], loads.get(result.profile_id, 0)
        if result.profile_id in tried:
            found.left_out.append(LeftOut(profile, gettext("already proposed for this referral")))
        elif load >= profile.capacity:
            found.left_out.append(
                LeftOut(
                    profile,
                    gettext("has %(load)s of %(capacity)s places taken, so has no room")
                    % {"load": load, "capacity": profile.capacity},
                )
            )
        else:
            found.shown.append(Suggestion(profile, result, load, recent.get(result.profile_id, 0), rank))
    found.shown.sort(key=lambda s: (-s.adjusted, s.rank))
    found.shown = found.shown[:top]
    return found


def _is_lived_reason(text: str) -> bool:
    """Whether a reason names lived experience: by what it is made of (``explain.Reason.kind``), so it holds
    in every language; a plain string (none is expected) by its English wording."""
    kind = getattr(text, "kind", None)
    if kind is not None:
        return kind == "lived"
    return text.startswith(LIVED_PREFIXES)


def shared_reasons(*, referral: Referral, supporter_profile: Profile, viewer: User) -> list[str]:
    """The reasons both people will read. Shared lived experience is named only if each may see the other's."""
    results = engine.match_rank(seeker_profile_or_query=_query(referral, viewer), viewer=viewer, top=engine.MAX_TOP)
    result = next((r for r in results if r.profile_id == supporter_profile.pk), None)
    if result is None:
        return [gettext("Your coordinator chose this match from what you both told them.")]
    seeker = referral.seeker_profile
    mutual = supporter_profile.sensitive_visible_to(seeker.user, supporter_profile.lived_experience_visibility) and (
        seeker.sensitive_visible_to(supporter_profile.user, seeker.lived_experience_visibility)
    )
    return [text for text in result.reasons if mutual or not _is_lived_reason(text)]
