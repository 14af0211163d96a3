"""The peer-support coordinator's workflow, one write path per step, used by pages and the API alike.

referral -> proposal -> both answer -> introduction -> check-ins at 2 and 6 weeks -> close or rematch.
Every step is a ReferralEvent (who, when, what) so the referral page can show a timeline.
``what_would_help`` is the person's own words: it is never logged, emailed or put in an event.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import services as engine
from matching.models import Engagement, Outcome
from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles import ports
from profiles.models import Block, Connection, Organisation, OrganisationMembership, Profile, User
from profiles.services import can_edit, connection_create, connection_remove
from profiles.signals import match_introduced

from . import selectors
from .models import LIVE_PROPOSAL, OPEN_REFERRAL, CheckIn, MatchProposal, Referral, ReferralEvent
from .organisations import approved_organisations

CHECK_IN_WEEKS = (2, 6)


# Rules shared by the steps -----------------------------------------------------------------


def is_coordinator(user: User, organisation_id: int) -> bool:
    return (
        bool(user and user.is_authenticated)
        and OrganisationMembership.objects.filter(
            user=user, organisation_id=organisation_id, role=OrganisationMembership.Role.COORDINATOR
        ).exists()
    )


def _require_coordinator(referral: Referral, actor: User) -> None:
    if not is_coordinator(actor, referral.organisation_id):
        raise PermissionDenied(_("Only a coordinator of this organisation can do that."))


def supporter_load(profile: Profile) -> int:
    """How many people a peer advisor is supporting now, or has been proposed to and not yet answered."""
    return MatchProposal.objects.filter(supporter_profile=profile, status__in=LIVE_PROPOSAL).count()


def _event(referral: Referral, actor: User | None, action: str, detail: str = "") -> ReferralEvent:
    return ReferralEvent.objects.create(referral=referral, actor=actor, action=action, detail=detail[:300])


def _locked(referral: Referral) -> Referral:
    """The referral as it is now, locked until the step's transaction ends (two coordinators may click at once)."""
    return Referral.objects.select_for_update().select_related("organisation", "seeker_profile").get(pk=referral.pk)


def _live_proposal(referral: Referral) -> MatchProposal | None:
    return referral.proposals.filter(status__in=LIVE_PROPOSAL).first()


# Referral ---------------------------------------------------------------------------------


def referral_create(
    *, actor: User, seeker_profile: Profile, organisation: Organisation, what_would_help: str
) -> Referral:
    """A person (or someone acting for them) asks an organisation for a peer advisor."""
    if not can_edit(seeker_profile, actor):
        raise PermissionDenied(_("You can only ask for a peer advisor for yourself, or for someone you act for."))
    if seeker_profile.role != Profile.Role.SEEKER:
        raise ValidationError({"seeker_profile": [_("Choose the profile that says what support you are looking for.")]})
    if not approved_organisations().filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": [_("Choose an organisation from the list.")]})
    if Referral.objects.filter(
        seeker_profile=seeker_profile, organisation=organisation, status__in=OPEN_REFERRAL
    ).exists():
        raise ValidationError(
            {
                "organisation": [
                    _(
                        "You have already asked %(organisation)s for a peer advisor. They will be in touch; "
                        "you can see where it is on your peer support page."
                    )
                    % {"organisation": organisation}
                ]
            }
        )
    referral = Referral(
        organisation=organisation,
        seeker_profile=seeker_profile,
        requested_by=actor,
        what_would_help=what_would_help.strip(),
    )
    referral.full_clean()
    with transaction.atomic():
        referral.save()
        _event(referral, actor, "requested", f"Asked {organisation} for a peer advisor.")
    return referral


# Proposal ---------------------------------------------------------------------------------


def _check_supporter(referral: Referral, supporter: Profile) -> None:
    if not selectors.supporter_pool(referral.organisation).filter(pk=supporter.pk).exists():
        raise ValidationError(
            {"supporter": [_("Choose a listed peer advisor of your organisation from the suggestions.")]}
        )
    if supporter.user_id == referral.seeker_profile.user_id:
        raise ValidationError({"supporter": [_("A person cannot be matched with themselves. Choose someone else.")]})
    if supporter.user_id in Block.user_ids_hidden_from(referral.seeker_profile.user_id):
        raise ValidationError({"supporter": [_("These two people cannot be matched. Choose someone else.")]})
    if supporter_load(supporter) >= supporter.capacity:
        raise ValidationError(
            {
                "supporter": [
                    _("%(name)s has no places left (%(capacity)s of %(capacity)s taken). Choose someone else.")
                    % {"name": supporter.display_name, "capacity": supporter.capacity}
                ]
            }
        )


@transaction.atomic
def proposal_create(*, referral: Referral, supporter_profile: Profile, actor: User) -> MatchProposal:
    """The coordinator proposes a peer advisor; both people are then asked."""
    referral = _locked(referral)
    _require_coordinator(referral, actor)
    if referral.status != Referral.Status.WAITING:
        raise ValidationError(
            _("This referral is %(status)s, so a new match cannot be proposed. Use “Find someone else” first.")
            % {"status": referral.get_status_display().lower()}
        )
    # Lock the volunteer too, so two coordinators proposing them at once cannot overfill their places.
    supporter_profile = Profile.objects.select_for_update().get(pk=supporter_profile.pk)
    _check_supporter(referral, supporter_profile)
    proposal = MatchProposal(
        referral=referral,
        supporter_profile=supporter_profile,
        proposed_by=actor,
        reasons=selectors.shared_reasons(referral=referral, supporter_profile=supporter_profile, viewer=actor),
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ValidationError(
            _("A match has already been proposed for this referral. Refresh the page to see it.")
        ) from None
    referral.status = Referral.Status.PROPOSED
    referral.save(update_fields=["status"])
    _event(referral, actor, "proposed", f"Proposed {supporter_profile.display_name} as a peer advisor.")
    for person in (referral.seeker_profile.user_id, supporter_profile.user_id):
        notification_send(
            recipient=person,
            kind=NotificationKind.MATCH_PROPOSAL,
            link=reverse("peer_support:proposal-detail", args=[proposal.pk]),
        )
    return proposal


def _answer_side(proposal: MatchProposal, actor: User) -> str:
    if proposal.supporter_profile.user_id == actor.pk:
        return "supporter"
    if can_edit(proposal.referral.seeker_profile, actor):
        return "seeker"
    raise PermissionDenied(_("Only the two people in this proposed match can answer it."))


@transaction.atomic
def proposal_answer(*, proposal: MatchProposal, actor: User, answer: str) -> MatchProposal:
    """Yes or no from the seeker (or their proxy) or the peer advisor. Two yeses make an introduction."""
    proposal = (
        MatchProposal.objects.select_for_update()
        .select_related("referral__seeker_profile", "supporter_profile")
        .get(pk=proposal.pk)
    )
    side = _answer_side(proposal, actor)
    if answer not in (MatchProposal.Answer.YES, MatchProposal.Answer.NO):
        raise ValidationError({"answer": [_("Choose yes or no.")]})
    if proposal.status != MatchProposal.Status.PROPOSED:
        raise ValidationError(
            _("This proposal is already %(status)s, so it cannot be answered again.")
            % {"status": proposal.get_status_display().lower()}
        )
    setattr(proposal, f"{side}_answer", answer)
    proposal.save(update_fields=[f"{side}_answer"])
    who = "The person asking for support" if side == "seeker" else proposal.supporter_profile.display_name
    _event(proposal.referral, actor, f"answered_{answer}", f"{who} said {answer}.")
    if answer == MatchProposal.Answer.NO:
        return _decline(proposal, actor)
    if proposal.both_agreed:
        proposal.status = MatchProposal.Status.AGREED
        proposal.save(update_fields=["status"])
        return proposal_introduce(proposal=proposal)
    return proposal


def _decline(proposal: MatchProposal, actor: User) -> MatchProposal:
    proposal.status = MatchProposal.Status.DECLINED
    proposal.ended_at = timezone.now()
    proposal.save(update_fields=["status", "ended_at"])
    referral = proposal.referral
    referral.status = Referral.Status.WAITING
    referral.save(update_fields=["status"])
    engine.outcome_record(
        seeker_profile=referral.seeker_profile,
        supporter_profile=proposal.supporter_profile,
        kind=Outcome.Kind.COORDINATOR_MATCH_ACCEPTED,
        label=0.0,
    )
    _event(referral, actor, "back_to_waiting", "The proposal ended, so the referral is waiting for a new match.")
    return proposal


def _introducer(proposal: MatchProposal) -> User | None:
    if proposal.proposed_by_id and is_coordinator(proposal.proposed_by, proposal.referral.organisation_id):
        return proposal.proposed_by
    membership = (
        OrganisationMembership.objects.filter(
            organisation_id=proposal.referral.organisation_id, role=OrganisationMembership.Role.COORDINATOR
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def proposal_introduce(*, proposal: MatchProposal) -> MatchProposal:
    """Both said yes: introduce them, book the check-ins, record the engagement and the outcome."""
    if proposal.status != MatchProposal.Status.AGREED:
        raise ValidationError(_("An introduction follows only when both people have said yes."))
    now = timezone.now()
    proposal.status, proposal.introduced_at = MatchProposal.Status.INTRODUCED, now
    proposal.save(update_fields=["status", "introduced_at"])
    referral = proposal.referral
    referral.status = Referral.Status.INTRODUCED
    referral.save(update_fields=["status"])
    CheckIn.objects.bulk_create(
        CheckIn(proposal=proposal, week=week, due_on=timezone.localdate(now) + timedelta(weeks=week))
        for week in CHECK_IN_WEEKS
    )
    _record_match(proposal)
    _event(
        referral,
        _introducer(proposal),
        "introduced",
        f"Introduced to {proposal.supporter_profile.display_name}. Check-ins booked at 2 and 6 weeks.",
    )
    _announce_introduction(proposal)
    for person in (referral.seeker_profile.user_id, proposal.supporter_profile.user_id):
        notification_send(
            recipient=person, kind=NotificationKind.INTRODUCTION, link=reverse("peer_support:peer-support")
        )
    return proposal


def _record_match(proposal: MatchProposal) -> None:
    seeker_profile, supporter_profile = proposal.referral.seeker_profile, proposal.supporter_profile
    engine.engagement_record(
        seeker=seeker_profile.user,
        supporter=supporter_profile.user,
        supporter_profile=supporter_profile,
        source=Engagement.Source.COORDINATOR_MATCH,
        source_ref=f"proposal:{proposal.pk}",
    )
    engine.outcome_record(
        seeker_profile=seeker_profile, supporter_profile=supporter_profile, kind=Outcome.Kind.COORDINATOR_MATCH_ACCEPTED
    )
    proposal.granted_connection = not Connection.between(seeker_profile.user_id, supporter_profile.user_id).exists()
    proposal.save(update_fields=["granted_connection"])
    connection_create(a=seeker_profile.user, b=supporter_profile.user)


def _announce_introduction(proposal: MatchProposal) -> None:
    coordinator = _introducer(proposal)
    payload = {
        "coordinator_id": coordinator.pk if coordinator else None,
        "seeker_id": proposal.referral.seeker_profile.user_id,
        "supporter_id": proposal.supporter_profile.user_id,
        "proposal_id": proposal.pk,
    }
    # After commit: messaging opens the introduction conversation only once the match is really saved.
    transaction.on_commit(lambda: match_introduced.send(sender=MatchProposal, **payload), robust=True)


# After the introduction ------------------------------------------------------------------


@transaction.atomic
def check_in_record(*, check_in: CheckIn, actor: User, how_it_is_going: str, note: str = "") -> CheckIn:
    """The coordinator records how the match is going at a check-in."""
    referral = check_in.proposal.referral
    _require_coordinator(referral, actor)
    if check_in.done_at:
        raise ValidationError(_("This check-in is already recorded."))
    if check_in.proposal.status != MatchProposal.Status.INTRODUCED:
        raise ValidationError(_("This match has ended, so its check-ins can no longer be recorded."))
    check_in.how_it_is_going, check_in.note = how_it_is_going, note.strip()
    check_in.done_at, check_in.done_by = timezone.now(), actor
    check_in.full_clean()
    check_in.save()
    _event(referral, actor, "checked_in", f"Week {check_in.week} check-in: {check_in.get_how_it_is_going_display()}.")
    return check_in


def _end_live_proposal(referral: Referral) -> MatchProposal | None:
    proposal = _live_proposal(referral)
    if proposal is not None:
        now = timezone.now()
        was_introduced = proposal.status == MatchProposal.Status.INTRODUCED
        proposal.status, proposal.ended_at = MatchProposal.Status.ENDED, now
        proposal.save(update_fields=["status", "ended_at"])
        Engagement.objects.filter(
            source=Engagement.Source.COORDINATOR_MATCH, source_ref=f"proposal:{proposal.pk}"
        ).update(ended_at=now)
        if was_introduced:
            _end_access(proposal)
    return proposal


def _end_access(proposal: MatchProposal) -> None:
    """The match is over: the peer advisor loses what the match gave them, in the same transaction.

    They leave the introduction thread (the seeker and coordinator keep it), and the connection the
    introduction made ends, so what the seeker shared "only with people I have connected with" is
    hidden from them again. A connection they had before the match, or that another live match
    between the same two people still needs, is kept.
    """
    seeker, supporter = proposal.referral.seeker_profile.user, proposal.supporter_profile.user
    ports.introductions_leave(seeker.pk, supporter.pk)  # messaging answers: peer_support does not import it
    still_matched = (
        MatchProposal.objects.filter(
            status=MatchProposal.Status.INTRODUCED,
            supporter_profile__user=supporter,
            referral__seeker_profile__user=seeker,
        )
        .exclude(pk=proposal.pk)
        .exists()
    )
    if proposal.granted_connection and not still_matched:
        connection_remove(a=seeker, b=supporter)


@transaction.atomic
def referral_close(*, referral: Referral, actor: User, closing_note: str) -> Referral:
    """Close a referral with a note (the match has ended well, or help is no longer wanted)."""
    referral = _locked(referral)
    _require_coordinator(referral, actor)
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError(_("This referral is already closed."))
    if not closing_note.strip():
        raise ValidationError(
            {"closing_note": [_("Write a short closing note, for example why the referral is closing.")]}
        )
    _end_live_proposal(referral)
    referral.status, referral.closed_at, referral.closing_note = (
        Referral.Status.CLOSED,
        timezone.now(),
        closing_note.strip(),
    )
    referral.full_clean()
    referral.save(update_fields=["status", "closed_at", "closing_note"])
    _event(referral, actor, "closed", "Closed the referral.")
    return referral


def match_going_well(referral: Referral) -> bool:
    """True when the latest check-in recorded on the live match says it is going well."""
    latest = (
        CheckIn.objects.filter(proposal__referral=referral, proposal__status__in=LIVE_PROPOSAL, done_at__isnull=False)
        .order_by("-done_at")
        .first()
    )
    return latest is not None and latest.how_it_is_going == CheckIn.HowItIsGoing.WELL


@transaction.atomic
def referral_rematch(*, referral: Referral, actor: User, reason: str = "", confirmed: bool = False) -> Referral:
    """End the current match (or proposal) so that someone else can be proposed.

    A match whose latest check-in says it is going well ends only with a reason and a confirmation.
    """
    referral = _locked(referral)
    _require_coordinator(referral, actor)
    if referral.status not in (Referral.Status.PROPOSED, Referral.Status.INTRODUCED):
        raise ValidationError(_("There is no match to end: propose someone from the suggestions instead."))
    reason = reason.strip()
    if match_going_well(referral):
        problems = {}
        if not reason:
            problems["reason"] = [_("The last check-in said this match is going well. Say why you are ending it.")]
        if not confirmed:
            problems["confirm"] = [_("Tick the box to confirm you want to end a match that is going well.")]
        if problems:
            raise ValidationError(problems)
    ended = _end_live_proposal(referral)
    referral.status = Referral.Status.WAITING
    referral.save(update_fields=["status"])
    name = ended.supporter_profile.display_name if ended else "the peer advisor"
    detail = f"Ended the match with {name} to find someone else."
    _event(referral, actor, "rematch", f"{detail} Reason: {reason}" if reason else detail)
    return referral
