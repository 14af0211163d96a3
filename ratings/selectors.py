"""Reads that carry permission rules, the quality factor for matching, and the published aggregates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from matching.models import Engagement
from matching.quality import Quality
from profiles.models import Block, OrganisationMembership, Profile, User

from .models import (
    PRIOR_MEAN,
    PRIOR_WEIGHT,
    Badge,
    BadgeProposal,
    Panel,
    PollAnswer,
    Rating,
    SafeguardingConcern,
)
from .services import postcode_area

DROP_POINTS = Decimal("1.5")  # an alert when the last 3 average this far below the earlier ones
RECENT_COUNT = 3
FLAGGED_ALERT = 2


# Quality -----------------------------------------------------------------------------------


def bayesian_mean(total: int, count: int) -> Decimal:
    """Pull a small number of ratings towards the prior, so one rating cannot make or break anyone."""
    return (PRIOR_MEAN * PRIOR_WEIGHT + Decimal(total)) / (PRIOR_WEIGHT + count)


def factor_from_mean(mean: Decimal) -> float:
    """Scale a mean on 1-5 to [0, 1] with the prior at 0.5, matching's neutral.

    Monotonic, so the order is the order of the Bayesian averages; 1 maps to 0 and 5 to 1.
    The prior sits at 0.5 because matching shrinks the factor towards 0.5 again by count:
    were the prior anywhere else, a newcomer (held at 0.5) would fall below someone with a
    single rating of 1.
    """
    if mean <= PRIOR_MEAN:
        return float((mean - 1) / (PRIOR_MEAN - 1)) / 2
    return 0.5 + float((mean - PRIOR_MEAN) / (5 - PRIOR_MEAN)) / 2


def quality_scores(profile_ids: Iterable[int]) -> dict[int, Quality]:
    """The provider for matching.quality: every id asked for, newcomers at the prior (0.5), not at 0."""
    ids = list(profile_ids)
    rows = (
        Rating.objects.visible()
        .filter(rated_profile_id__in=ids, direction=Rating.Direction.OF_SUPPORTER)
        .values("rated_profile_id")
        .annotate(total=Sum("overall"), n=Count("id"))
    )
    known = {row["rated_profile_id"]: (row["total"], row["n"]) for row in rows}
    result = {}
    for pid in ids:
        total, n = known.get(pid, (0, 0))
        result[pid] = Quality(factor_from_mean(bayesian_mean(total, n)), n)
    return result


def rated_quality_scores() -> dict[int, Quality]:
    """The quality of every listing with at least one visible rating of its supporter, in one grouped read
    (the rest are at the prior: ``quality_scores`` gives them ``NEUTRAL``'s score). For the index build."""
    rows = (
        Rating.objects.visible()
        .filter(direction=Rating.Direction.OF_SUPPORTER)
        .values("rated_profile_id")
        .annotate(total=Sum("overall"), n=Count("id"))
        .values_list("rated_profile_id", "total", "n")
    )
    return {pid: Quality(factor_from_mean(bayesian_mean(total, n)), n) for pid, total, n in rows}


@dataclass
class Summary:
    mean: Decimal | None
    count: int
    badges: list = field(default_factory=list)

    @property
    def label(self) -> str:
        if not self.count:
            return "New to the register: no ratings yet"
        plural = "rating" if self.count == 1 else "ratings"
        return f"{self.mean} out of 5 from {self.count} {plural}"


def summary_for(profile: Profile) -> Summary:
    return summaries_for([profile])[profile.pk]


def summaries_for(profiles: Iterable[Profile]) -> dict[int, Summary]:
    """Rating summaries for many listings in two queries (search results show one per card)."""
    ids = [profile.pk for profile in profiles]
    totals = {
        row["rated_profile_id"]: (row["total"], row["n"])
        for row in Rating.objects.visible()
        .filter(rated_profile_id__in=ids, direction=Rating.Direction.OF_SUPPORTER)
        .values("rated_profile_id")
        .annotate(total=Sum("overall"), n=Count("id"))
    }
    badges = defaultdict(list)
    for badge in Badge.objects.filter(profile_id__in=ids, withdrawn_at__isnull=True).select_related("panel"):
        badges[badge.profile_id].append(badge)
    summaries = {}
    for pk in ids:
        total, n = totals.get(pk, (0, 0))
        mean = bayesian_mean(total or 0, n).quantize(Decimal("0.1"), ROUND_HALF_UP) if n else None
        summaries[pk] = Summary(mean=mean, count=n, badges=badges[pk])
    return summaries


# Ratings a viewer may read ---------------------------------------------------------------------


def public_ratings(profile: Profile, viewer: User | None = None):
    hidden = Block.user_ids_hidden_from(viewer.pk) if viewer and viewer.is_authenticated else set()
    return (
        Rating.objects.visible()
        .filter(rated_profile=profile, direction=Rating.Direction.OF_SUPPORTER)
        .exclude(rater_id__in=hidden)
        .select_related("rater", "reply")
    )


def rating_for_viewer(*, viewer: User, pk: int) -> Rating:
    """The rater, moderators, and (once revealed and published) the rated person and the public.

    Ratings of the experience (by a supporter) are read only by the rater, the seeker and moderators.
    Anything else answers 404.
    """
    rating = Rating.objects.select_related("rater", "rated", "rated_profile", "engagement").filter(pk=pk).first()
    if rating is None or not viewer.is_authenticated:
        raise Http404
    if rating.rater_id == viewer.pk or viewer.is_moderator:
        return rating
    visible = Rating.objects.visible().filter(pk=pk).exists()
    if visible and rating.rated_id == viewer.pk:
        return rating
    hidden = Block.user_ids_hidden_from(viewer.pk)
    if visible and rating.direction == Rating.Direction.OF_SUPPORTER and rating.rater_id not in hidden:
        return rating
    raise Http404


def own_rating(*, viewer: User, pk: int) -> Rating:
    rating = Rating.objects.filter(pk=pk, rater=viewer).select_related("rated", "engagement").first()
    if rating is None:
        raise Http404
    return rating


def engagement_for_party(*, viewer: User, pk: int) -> Engagement:
    engagement = (
        Engagement.objects.filter(pk=pk)
        .filter(Q(seeker=viewer) | Q(supporter=viewer))
        .select_related("seeker", "supporter", "supporter_profile")
        .first()
    )
    if engagement is None:
        raise Http404
    return engagement


def my_engagements(viewer: User) -> list[dict]:
    """Each engagement with what the viewer has and has not done about it yet."""
    engagements = (
        Engagement.objects.filter(Q(seeker=viewer) | Q(supporter=viewer))
        .select_related("seeker", "supporter", "supporter_profile")
        .order_by("-started_at")
    )
    given = {r.engagement_id: r for r in Rating.objects.filter(rater=viewer, engagement__in=engagements)}
    answered = set(PollAnswer.objects.filter(respondent=viewer).values_list("engagement_id", flat=True))
    return [
        {
            "engagement": e,
            "other": e.other_party(viewer),
            "my_rating": given.get(e.pk),
            "can_answer_poll": e.seeker_id == viewer.pk and e.pk not in answered,
        }
        for e in engagements
    ]


def ratings_received(viewer: User):
    return Rating.objects.visible().filter(rated=viewer).select_related("rater", "reply")


# Moderation ------------------------------------------------------------------------------------


def review_queue(viewer: User):
    if not viewer.is_moderator:
        raise Http404
    return (
        Rating.objects.filter(Q(status=Rating.Status.PENDING_REVIEW) | Q(comment_held=True))
        .select_related("rated_profile")
        .prefetch_related("flags")
        .order_by("created_at")
    )


def safeguarding_queue(viewer: User):
    if not viewer.is_moderator:
        raise Http404
    return SafeguardingConcern.objects.filter(status=SafeguardingConcern.Status.OPEN).order_by("created_at")


@dataclass
class Alert:
    profile: Profile
    reasons: list[str]


def _drop_reason(scores: list[int]) -> str | None:
    """Scores newest first. A sharp fall: the last 3 average DROP_POINTS or more below the earlier ones."""
    if len(scores) <= RECENT_COUNT:
        return None
    recent, earlier = scores[:RECENT_COUNT], scores[RECENT_COUNT:]
    recent_mean, earlier_mean = Decimal(sum(recent)) / len(recent), Decimal(sum(earlier)) / len(earlier)
    if earlier_mean - recent_mean >= DROP_POINTS:
        return f"Ratings have fallen: the last {RECENT_COUNT} average {recent_mean:.1f}, down from {earlier_mean:.1f}."
    return None


def alerts_for(viewer: User) -> list[Alert]:
    """Supporters whose ratings fell sharply or whose reviews were flagged, for their coordinator or a moderator."""
    profiles = Profile.objects.supporters()
    if not viewer.is_moderator:
        orgs = viewer.memberships.filter(role=OrganisationMembership.Role.COORDINATOR).values("organisation_id")
        profiles = profiles.filter(organisation_id__in=orgs)
    scores = defaultdict(list)
    ratings = Rating.objects.filter(rated_profile__in=profiles, status=Rating.Status.PUBLISHED)
    for pid, overall in ratings.order_by("-created_at").values_list("rated_profile_id", "overall"):
        scores[pid].append(overall)
    flagged = Counter(
        pid
        for pid, _ in Rating.objects.filter(rated_profile__in=profiles, flags__resolved_at__isnull=True)
        .values_list("rated_profile_id", "id")
        .distinct()
    )
    alerts = []
    for profile in profiles.filter(pk__in=set(scores) | set(flagged)).order_by("display_name"):
        reasons = [r for r in [_drop_reason(scores[profile.pk])] if r]
        if flagged[profile.pk] >= FLAGGED_ALERT:
            reasons.append(f"{flagged[profile.pk]} reviews of them have been flagged and are waiting for a moderator.")
        if reasons:
            alerts.append(Alert(profile, reasons))
    return alerts


# Area quality pages ------------------------------------------------------------------------------


def _area_ratings(area: str, role: str):
    return Rating.objects.visible().filter(
        direction=Rating.Direction.OF_SUPPORTER,
        rated_profile__role=role,
        rated_profile__outcode__regex=rf"^{area}[0-9]",
    )


def publish_min_count() -> int:
    """The one threshold for every published aggregate (settings.PUBLISH_MIN_COUNT): fewer would identify people."""
    return settings.PUBLISH_MIN_COUNT


def area_quality(area: str, role: str) -> dict:
    """Distribution, monthly trend and poll results for one postcode area and support type.

    Each figure is published only when it is made from at least ``publish_min_count()`` answers
    (a distribution of one review is that person's review); fewer are withheld, not rounded.
    """
    minimum = publish_min_count()
    area = postcode_area(area)
    ratings = _area_ratings(area, role)
    counts = dict(ratings.values_list("overall").annotate(n=Count("id")))
    ratings_total = sum(counts.values())
    distribution = []
    if ratings_total == 0 or ratings_total >= minimum:  # nothing to reveal, or enough to hide anyone
        distribution = [{"score": s, "count": counts.get(s, 0)} for s in range(1, 6)]
    trend = [
        {"month": row["month"], "count": row["n"], "mean": (Decimal(row["total"]) / row["n"]).quantize(Decimal("0.1"))}
        for row in ratings.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("id"), total=Sum("overall"))
        .order_by("month")
        if row["n"] >= minimum
    ]
    answers = Counter(PollAnswer.objects.filter(area=area, role=role).values_list("answer", flat=True))
    total = sum(answers.values())
    poll = None
    if total >= minimum:
        poll = [
            {"answer": label, "count": answers.get(value, 0), "percent": round(100 * answers.get(value, 0) / total)}
            for value, label in PollAnswer.Answer.choices
        ]
    return {
        "area": area,
        "role": role,
        "distribution": distribution,
        "trend": trend,
        "poll": poll,
        "ratings_withheld": 0 < ratings_total < minimum,
        "poll_total": total,
        "poll_min": minimum,
        "publish_min": minimum,
        "as_of": timezone.now(),
    }


def panels_that_may_propose(viewer, profile: Profile) -> list:
    """The panels the viewer sits on that cover this supporter and have no vote open on them: where "Propose
    for community recommended" is offered on the listing's page."""
    if not (getattr(viewer, "is_authenticated", False) and profile.is_supporter) or viewer.pk == profile.user_id:
        return []
    panels = Panel.objects.filter(members__user=viewer, members__left_at__isnull=True).exclude(
        proposals__profile=profile, proposals__outcome=BadgeProposal.Outcome.OPEN
    )
    return [panel for panel in panels.select_related("organisation").distinct() if panel.covers(profile)]
