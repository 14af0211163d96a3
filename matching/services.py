"""Matching's service API: rank supporters for a seeker, explain who was left out, record outcomes.

Privacy decision on lived experience (special-category data): a supporter's lived experience
counts in a viewer's ranking only when the supporter's chosen visibility lets that viewer see
it (``Profile.sensitive_visible_to``, mirrored on the index's columns). Counting hidden
experience would let the score, the factor numbers or even the order reveal what the person
chose not to show; so when it is hidden it neither counts nor is mentioned. When visible,
the reason names it ("both visually impaired"). The index holds it only while consent stands.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sklearn
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.sql import column, table
from profiles import changelog, locality
from profiles.models import Block, Connection, OrganisationMembership, Profile, User

from . import live
from .index import IndexStats
from .models import Engagement, ModelChange, ModelVersion, Outcome
from .scoring import explain, pairwise, training
from .scoring import features as F
from .scoring.model import reset_cache, serving_weights
from .scoring.records import SUPPORTER_ROLES, MatchQuery, candidate_from_profile, query_from_seeker

MAX_TOP = 100
DEFAULT_LABELS: dict[str, float] = {
    Outcome.Kind.CONTACT_ACCEPTED: 1.0,
    Outcome.Kind.CONTACT_DECLINED: 0.0,
    Outcome.Kind.COORDINATOR_MATCH_ACCEPTED: 1.0,
    Outcome.Kind.ENGAGEMENT_COMPLETED: 1.0,
}


@dataclass
class MatchResult:
    ref: str
    profile_id: int
    display_name: str
    role: str
    distance: str
    score: float
    reasons: list[str]
    factors: dict[str, float]

    def as_dict(self) -> dict:
        # The same dict as dataclasses.asdict (fields in order, fresh list and dict), without its
        # recursive deep copy: that cost more per page of results than scoring them.
        return {
            "ref": self.ref,
            "profile_id": self.profile_id,
            "display_name": self.display_name,
            "role": self.role,
            "distance": self.distance,
            "score": self.score,
            "reasons": list(self.reasons),
            "factors": dict(self.factors),
        }


@dataclass
class Exclusion:
    ref: str
    excluded: bool
    reasons: list[str]


def engagement_record(
    *, seeker: User, supporter: User, source: str, source_ref: str, supporter_profile: Profile | None = None
) -> Engagement:
    """Record that two people worked together. Idempotent on (source, source_ref)."""
    if seeker.pk == supporter.pk:
        raise ValidationError(gettext("An engagement is between two different people."))
    engagement, _ = Engagement.objects.get_or_create(
        source=source,
        source_ref=source_ref,
        defaults={"seeker": seeker, "supporter": supporter, "supporter_profile": supporter_profile},
    )
    return engagement


# Weights ---------------------------------------------------------------------------------


def parse_weights(value) -> dict[str, float]:
    """Multipliers per factor from "locality:2,price:0.5" or a dict. Raises ValidationError."""
    if not value:
        return {}
    items = value.items() if isinstance(value, dict) else (part.partition(":")[::2] for part in str(value).split(","))
    multipliers = {}
    for name, raw in items:
        name = str(name).strip()
        if name not in F.FACTORS:
            raise ValidationError(
                {
                    "weights": [
                        gettext("“%(name)s” is not something we match on. Use any of: %(factors)s.")
                        % {"name": name, "factors": ", ".join(F.FACTORS)}
                    ]
                }
            )
        try:
            number = float(raw)
        except (TypeError, ValueError):
            number = -1.0
        if not 0 <= number <= F.MAX_WEIGHT_MULTIPLIER:
            raise ValidationError(
                {
                    "weights": [
                        gettext("Give %(name)s a number from 0 to %(max)s, like %(name)s:2 for twice as important.")
                        % {"name": name, "max": f"{F.MAX_WEIGHT_MULTIPLIER:g}"}
                    ]
                }
            )
        multipliers[name] = number
    return multipliers


def effective_weights(multipliers: dict[str, float] | None = None) -> dict[str, float]:
    weights, _ = serving_weights()
    return {f: weights[f] * (multipliers or {}).get(f, 1.0) for f in F.FACTORS}


# Queries ---------------------------------------------------------------------------------


def _viewer_context(viewer: User | None, seeker_profile: Profile) -> dict:
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    people = {u for u in (viewer_id, seeker_profile.user_id) if u}
    hidden, connection_ids, coordinator_org_ids = _relations(people, viewer_id)
    context: dict[str, Any] = {"excluded_user_ids": hidden | people}
    if viewer_id is not None:
        context.update(
            viewer_id=viewer_id, viewer_connection_ids=connection_ids, viewer_coordinator_org_ids=coordinator_org_ids
        )
    return context


def _relations(people: set[int], viewer_id: int | None) -> tuple[set[int], set[int], set[int]]:
    """Who is hidden from any of ``people`` (blocks, both ways), and the viewer's connections and
    coordinator organisations: the same reads as ``Block.user_ids_hidden_from`` and the Connection
    and OrganisationMembership filters, in one fixed statement.

    Every search needs them, and three ORM queries cost more than the ranking itself (most of it in
    building the SQL). They are read fresh on every search, never cached, so a block, an unblock or
    a new connection counts from the very next search in every worker process.
    """
    if not people:
        return set(), set(), set()
    params: list = [*people, *people]
    if viewer_id is not None:
        params += [viewer_id, viewer_id, viewer_id, OrganisationMembership.Role.COORDINATOR.value]
    hidden, connection_ids, coordinator_org_ids = set(), set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_relations_sql(len(people), viewer_id is not None), params)
        for kind, a, b in cursor.fetchall():
            if kind == "b":
                if a in people:
                    hidden.add(b)
                if b in people:
                    hidden.add(a)
            elif kind == "c":
                connection_ids.add(a if b == viewer_id else b)
            else:
                coordinator_org_ids.add(a)
    return hidden, connection_ids, coordinator_org_ids


@functools.cache
def _relations_sql(people: int, with_viewer: bool) -> str:
    marks = ", ".join(["%s"] * people)
    blocker, blocked = column(Block, "blocker"), column(Block, "blocked")
    sql = [
        f"SELECT 'b', {blocker}, {blocked} FROM {table(Block)} WHERE {blocker} IN ({marks}) OR {blocked} IN ({marks})"
    ]
    if with_viewer:
        low, high = column(Connection, "user_low"), column(Connection, "user_high")
        organisation = column(OrganisationMembership, "organisation")
        sql.append(f"SELECT 'c', {low}, {high} FROM {table(Connection)} WHERE {low} = %s OR {high} = %s")
        sql.append(
            f"SELECT 'm', {organisation}, {organisation} FROM {table(OrganisationMembership)} "
            f"WHERE {column(OrganisationMembership, 'user')} = %s AND {column(OrganisationMembership, 'role')} = %s"
        )
    return " UNION ALL ".join(sql)


_record_holder: Callable[[Profile], User | None] | None = None


def register_record_holder(holder: Callable[[Profile], User | None]) -> None:
    """Peer support registers who holds a seeker record without an account (its coordinator)."""
    global _record_holder
    _record_holder = holder


def record_holder(profile: Profile) -> User | None:
    """Whose view ranks a seeker record that has no account: the coordinator holding it, if any."""
    if profile.user_id is not None or _record_holder is None:
        return None
    return _record_holder(profile)


def match_query(*, seeker_profile: Profile, viewer: User | None, roles=None, must=None) -> MatchQuery:
    if seeker_profile.role != Profile.Role.SEEKER:
        raise ValidationError(
            gettext("Matching starts from a profile that is looking for support. Choose that profile, or create one.")
        )
    if roles and not set(roles) <= set(SUPPORTER_ROLES):
        raise ValidationError(
            {"role": [gettext("Choose roles from: %(roles)s.") % {"roles": ", ".join(SUPPORTER_ROLES)}]}
        )
    return query_from_seeker(seeker_profile, roles=roles, must=must, **_viewer_context(viewer, seeker_profile))


def match_rank(
    *, seeker_profile_or_query, viewer: User | None, top: int = 20, weights: dict[str, float] | None = None, roles=None
) -> list[MatchResult]:
    """The best supporters for a seeker, each with its factors' contributions and reasons."""
    query = seeker_profile_or_query
    if isinstance(query, Profile):
        query = match_query(seeker_profile=query, viewer=viewer, roles=roles)
    top = max(1, min(int(top), MAX_TOP))
    index = live.get_index()  # first: catching up with the change log reloads weights that changed
    used = effective_weights(weights)
    stats = IndexStats(index)
    return [_result(query, item, used, stats) for item in index.search(query, weights=used, top=top)]


def _result(query: MatchQuery, item: pairwise.Scored, weights, stats) -> MatchResult:
    c = item.candidate
    contributions = item.contributions(weights)
    return MatchResult(
        ref=c.ref,
        profile_id=c.profile_id,
        display_name=c.display_name,
        role=c.role,
        distance=locality.rounded_distance(item.distance_km),
        score=round(item.score, 4),
        reasons=explain.reasons(query, item, weights, stats.lived_idf, contributions),
        factors={f: round(v, 4) for f, v in contributions.items()},
    )


def match_explain_exclusion(*, seeker_profile: Profile, viewer: User | None, ref: str, roles=None) -> Exclusion:
    """Why a listing is not in someone's results, in words. Listings they may not see answer 404."""
    from profiles.selectors import profile_for_viewer

    query = match_query(seeker_profile=seeker_profile, viewer=viewer, roles=roles)
    profile = profile_for_viewer(ref=ref, viewer=viewer)
    if profile.user_id and profile.user_id in query.excluded_user_ids:
        raise Http404
    if profile.role not in SUPPORTER_ROLES:
        return Exclusion(
            ref, True, [gettext("They are looking for support themselves, so they are not offered as a match.")]
        )
    candidate = candidate_from_profile(profile)
    reasons = pairwise.exclusions(query, candidate, pairwise.distance_km(query, candidate))
    if reasons:
        return Exclusion(ref, True, reasons)
    return Exclusion(
        ref,
        False,
        [
            gettext(
                "Nothing you set leaves them out: they rank below the results shown. Ask for more results, or change what matters most."
            )
        ],
    )


# Outcomes --------------------------------------------------------------------------------


def outcome_record(
    *, seeker_profile: Profile, supporter_profile: Profile, kind: str, label: float | None = None
) -> Outcome:
    """Record what happened after a match, with the features as they are now. Other apps call this."""
    if kind not in Outcome.Kind.values:
        raise ValidationError({"kind": [gettext("Use one of: %(kinds)s.") % {"kinds": ", ".join(Outcome.Kind.values)}]})
    label = DEFAULT_LABELS.get(kind) if label is None else float(label)
    if label is None or not 0 <= label <= 1:
        raise ValidationError(
            {
                "label": [
                    gettext(
                        "Give a label from 0 (poor outcome) to 1 (good outcome), for example a rating divided by 5."
                    )
                ]
            }
        )
    query = match_query(seeker_profile=seeker_profile, viewer=seeker_profile.user, roles=list(SUPPORTER_ROLES))
    candidate = candidate_from_profile(supporter_profile)
    stats = IndexStats(live.get_index())
    features = pairwise.feature_vector(query, candidate, pairwise.distance_km(query, candidate), stats)
    return Outcome.objects.create(
        seeker_profile=seeker_profile,
        supporter_profile=supporter_profile,
        seeker_key=f"profile:{seeker_profile.pk}",
        kind=kind,
        label=label,
        features={f: round(v, 6) for f, v in features.items()},
    )


def outcomes_synthetic_create(
    *, count: int, seed: int = 7, preference: dict[str, float] | None = None, noise: float = 0.15
) -> int:
    """Synthetic outcomes from a seeded register, for demos and tests (marked synthetic)."""
    examples = training.synthetic_examples(count, seed=seed, preference=preference, noise=noise)
    Outcome.objects.bulk_create(
        Outcome(
            seeker_key=e.seeker_key,
            kind=Outcome.Kind.CONTACT_ACCEPTED if e.label else Outcome.Kind.CONTACT_DECLINED,
            label=e.label,
            features=e.features,
            synthetic=True,
        )
        for e in examples
    )
    return len(examples)


# The matching model: weights in the database, changed only here ------------------------------
# The rule (docs/decisions/learning-safeguards.md): made-up outcomes never put weights live; trained
# weights go live only from enough real outcomes, and only if they win on held-out real outcomes;
# a factor pushed below its floor waits for a member of staff to approve it.


def min_real_outcomes() -> int:
    return int(getattr(settings, "MATCHING_MIN_REAL_OUTCOMES", 200))


def weight_floor() -> float:
    return float(getattr(settings, "MATCHING_WEIGHT_FLOOR", training.DEFAULT_FLOOR))


def _factor_names(factors) -> str:
    names = [F.FACTOR_LABELS[f] for f in factors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _factor_names_shown(factors) -> str:
    """``_factor_names`` in the reader's language (for messages shown on the model page)."""
    names = [str(F.FACTOR_LABELS[f]) for f in factors]
    if len(names) == 1:
        return names[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _baseline_version() -> ModelVersion:
    """Version 0: the hand-set weights, kept in the history so that they can be restored too."""
    row, _ = ModelVersion.objects.get_or_create(
        version=0,
        defaults={
            "source": ModelVersion.Source.HAND_SET,
            "weights": dict(F.DEFAULT_WEIGHTS),
            "decision": "The hand-set weights the site started with.",
            "live": not ModelVersion.objects.filter(live=True).exists(),
        },
    )
    return row


def _put_live(row: ModelVersion, action: str, actor: User | None, note: str = "") -> None:
    """Make ``row`` the weights every worker ranks with, and say so in the change log."""
    ModelVersion.objects.filter(live=True).exclude(pk=row.pk).update(live=False)
    if not row.live:
        row.live = True
        row.save(update_fields=["live"])
    ModelChange.objects.create(model_version=row, action=action, actor=actor, note=note[:300])
    changelog.record(changelog.Kind.MODEL)  # every process reloads the weights before its next search
    transaction.on_commit(reset_cache)


@transaction.atomic
def model_train(*, synthetic: bool = False, seed: int = 0) -> ModelVersion:
    """Train and record a version. ``synthetic``: train on every outcome, made-up ones included, and
    only record it (it can never serve). Otherwise train on real outcomes alone and put the weights
    live if they pass the rule; a version that wins but pushes a factor below its floor is held."""
    reset_cache()
    _baseline_version()
    serving, _ = serving_weights()
    outcomes = Outcome.objects.all() if synthetic else Outcome.objects.filter(synthetic=False)
    examples = [training.Example(o.seeker_key, o.features, o.label) for o in outcomes]
    minimum = training.MIN_OUTCOMES if synthetic else min_real_outcomes()
    result = training.train(examples, serving=serving, seed=seed, min_outcomes=minimum)
    if result.weights is None:
        if not synthetic and len(examples) < minimum:
            raise ValidationError(
                f"Not trained: adopting new weights needs at least {minimum} real outcomes "
                f"(MATCHING_MIN_REAL_OUTCOMES), and there are {len(examples)}. Made-up outcomes do not count."
            )
        raise ValidationError(result.decision)
    floors = training.below_floor(result.weights, weight_floor())
    if synthetic:
        source, action = ModelVersion.Source.SYNTHETIC, ModelChange.Action.RECORDED
        decision = "Trained on made-up outcomes: recorded for comparison, never used for ranking."
    elif not result.adopt:
        source, action, decision = ModelVersion.Source.TRAINED, ModelChange.Action.RECORDED, result.decision
    elif floors:
        source, action = ModelVersion.Source.TRAINED, ModelChange.Action.HELD
        decision = (
            f"{result.decision} Held: it would give {_factor_names(floors)} less than the floor "
            f"({weight_floor():.0%} of the hand-set share), so a member of staff must approve it first."
        )
    else:
        source, action = ModelVersion.Source.TRAINED, ModelChange.Action.ADOPTED
        decision = f"Adopted: {result.decision[:1].lower()}{result.decision[1:]}"
    version = (ModelVersion.objects.aggregate(latest=Max("version"))["latest"] or 0) + 1
    row = ModelVersion.objects.create(
        version=version,
        source=source,
        weights=result.weights,
        sklearn_version=sklearn.__version__,
        metrics={**result.metrics, "real_outcomes": not synthetic},
        below_floor=floors,
        decision=decision,
    )
    if action == ModelChange.Action.ADOPTED:
        _put_live(row, action, None)
    else:
        ModelChange.objects.create(model_version=row, action=action)
    return row


def _previous_version(live: ModelVersion) -> ModelVersion | None:
    """The latest version before the live one that has served (the hand-set version 0 always has)."""
    served = ModelChange.objects.filter(
        action__in=[ModelChange.Action.ADOPTED, ModelChange.Action.APPROVED, ModelChange.Action.RESTORED]
    ).values("model_version")
    return (
        ModelVersion.objects.filter(version__lt=live.version)
        .filter(Q(pk__in=served) | Q(version=0))
        .exclude(source=ModelVersion.Source.SYNTHETIC)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def model_restore(
    *, version: int | None = None, actor: User | None = None, approve: bool = False, note: str = ""
) -> ModelVersion:
    """Put a recorded version live again: ``version``, or (None) the one that served before the live one.

    ``actor`` is the member of staff on the model page; None is the operator's ``train_matching
    --rollback``. A version that puts a factor below its floor needs ``approve`` from a member of staff
    (the approval is recorded with their name). Made-up-outcome versions can never serve."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied
    baseline = _baseline_version()
    live = ModelVersion.objects.select_for_update().filter(live=True).first() or baseline
    if version is None:
        row = _previous_version(live)
        if row is None:
            raise ValidationError(
                gettext("Version %(version)s is the first one: there is no earlier version to go back to.")
                % {"version": live.version}
            )
    else:
        row = ModelVersion.objects.select_for_update().filter(version=version).first()
        if row is None:
            raise ValidationError(
                gettext("There is no version %(version)s. The model page lists every version.") % {"version": version}
            )
    if row.source == ModelVersion.Source.SYNTHETIC:
        raise ValidationError(
            gettext("Version %(version)s was trained on made-up outcomes, so it can never be used for ranking.")
            % {"version": row.version}
        )
    if row.live:
        raise ValidationError(gettext("Version %(version)s is already the one in use.") % {"version": row.version})
    action = ModelChange.Action.RESTORED
    if row.held_for_approval:
        if not (approve and actor is not None):
            raise ValidationError(
                gettext(
                    "Version %(version)s gives %(factors)s less than the floor: "
                    "a member of staff must approve it on the model page, saying why."
                )
                % {"version": row.version, "factors": _factor_names_shown(row.below_floor)}
            )
        if not note.strip():
            raise ValidationError(
                {"note": [gettext("Say why it is right to give these factors less weight than the floor.")]}
            )
        row.approved_by, row.approved_at = actor, timezone.now()
        row.save(update_fields=["approved_by", "approved_at"])
        action = ModelChange.Action.APPROVED
    _put_live(row, action, actor, note)
    return row
