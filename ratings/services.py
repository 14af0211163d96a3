"""Write paths for ratings, moderation, safeguarding concerns, polls and community accreditation.

Every HTML view and API view calls these; nothing else writes these tables.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Engagement
from matching.services import engagement_record
from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles import changelog
from profiles.models import Block, Profile, ProxyLink, User
from profiles.roles import active_user_by_email

from .models import (
    BLIND_DAYS,
    PANEL_QUORUM,
    SCORE_FIELDS,
    Appeal,
    Badge,
    BadgeProposal,
    EngagementConfirmation,
    ModerationDecision,
    Panel,
    PanelMember,
    PanelVote,
    PollAnswer,
    Rating,
    RatingFlag,
    RatingReply,
    SafeguardingConcern,
)

# Mail providers shared by millions: a shared domain here says nothing about two accounts.
COMMON_EMAIL_DOMAINS = frozenset(
    (
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "talktalk.net",
        "example.org",
        "example.com",
    )
)
NEW_ACCOUNT_DAYS = 7


class SafeguardingRoute(ValidationError):
    """Raised instead of saving a rating that is really a safeguarding concern."""


def _require_signed_in(actor: User) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))


def _proxy_linked(a: User, b: User) -> bool:
    return ProxyLink.objects.filter(Q(seeker=a, proxy=b) | Q(seeker=b, proxy=a), revoked_at__isnull=True).exists()


def second_account_signals(rater: User, rated: User, engagement: Engagement | None) -> list[str]:
    """Signs that rater and rated may be one person with two accounts (see README). Plain reasons."""
    reasons = []
    rater_domain, rated_domain = rater.email.rsplit("@", 1)[-1], rated.email.rsplit("@", 1)[-1]
    shared_outcodes = set(rater.profiles.values_list("outcode", flat=True)) & set(
        rated.profiles.values_list("outcode", flat=True)
    )
    newest_join = max(rater.date_joined, rated.date_joined)
    if (
        rater_domain == rated_domain
        and rater_domain not in COMMON_EMAIL_DOMAINS
        and shared_outcodes
        and engagement is not None  # a deleted engagement leaves no start date to compare
        and engagement.started_at - newest_join < timedelta(days=NEW_ACCOUNT_DAYS)
    ):
        reasons.append("Both accounts share an email domain and a postcode district, and one is new.")
    if Block.blocked_between(rater.pk, rated.pk):
        reasons.append("One of these two people has blocked the other.")
    return reasons


def _check_can_rate(actor: User, engagement: Engagement) -> User:
    """Return who the actor would rate, or raise. The rater must be a party and not proxy-linked."""
    if not engagement.involves(actor):
        raise PermissionDenied(_("You can only rate people you have worked with yourself."))
    rated = engagement.other_party(actor)
    if rated.pk == actor.pk:
        raise ValidationError(_("You cannot rate yourself."))
    if _proxy_linked(actor, rated):
        raise ValidationError(
            _(
                "You act for this person (or they act for you), so you cannot rate them. "
                "If something is wrong, contact a coordinator."
            )
        )
    if Rating.objects.filter(engagement=engagement, rater=actor).exists():
        raise ValidationError(_("You have already rated this engagement. You can change your rating instead."))
    return rated


def _clean_scores(data: dict) -> dict:
    errors = {}
    for name in SCORE_FIELDS:
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[name] = [_("Choose a score from 1 (poor) to 5 (excellent).")]
    if len(data.get("comment", "") or "") > 2000:
        errors["comment"] = [_("Keep your comment to 2,000 characters or fewer.")]
    if errors:
        raise ValidationError(errors)
    fields = {name: data[name] for name in SCORE_FIELDS}
    fields["comment"] = (data.get("comment") or "").strip()
    fields["attribution"] = data.get("attribution") or Rating.Attribution.FIRST_NAME
    fields["scores_anonymous"] = bool(data.get("scores_anonymous", True))
    if fields["attribution"] not in Rating.Attribution.values:
        raise ValidationError({"attribution": [_("Choose whether to show your first name with your comment.")]})
    return fields


def _review_state(rating: Rating, extra_reasons: list[str]) -> None:
    reasons = list(extra_reasons)
    if rating.needs_review:
        reasons.insert(0, "A low overall score is read by a moderator before it shows.")
    rating.status = Rating.Status.PENDING_REVIEW if reasons else Rating.Status.PUBLISHED
    rating.review_reason = " ".join(reasons)[:200]


def _refresh_quality(*ratings: Rating) -> None:
    """Log which supporters' quality factor may have changed, in the caller's transaction: every
    process's match index re-reads their scores before its next search."""
    changelog.record(changelog.Kind.QUALITY, sorted({r.rated_profile_id for r in ratings if r.rated_profile_id}))


def _refuse_if_safeguarding(about_safeguarding: bool) -> None:
    if about_safeguarding:
        raise SafeguardingRoute(
            _(
                "A safeguarding concern is not a rating, so we have not saved one. "
                "Please report the concern instead so a moderator can act on it."
            )
        )


@transaction.atomic
def rating_create(*, actor: User, engagement: Engagement, data: dict, about_safeguarding: bool = False) -> Rating:
    """Rate the other party of an engagement. Raises PermissionDenied, ValidationError, SafeguardingRoute."""
    _require_signed_in(actor)
    _refuse_if_safeguarding(about_safeguarding)
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    rated = _check_can_rate(actor, engagement)
    now = timezone.now()
    of_supporter = actor.pk == engagement.seeker_id
    rating = Rating(
        engagement=engagement,
        rater=actor,
        rated=rated,
        rated_profile=engagement.supporter_profile if of_supporter else None,
        direction=Rating.Direction.OF_SUPPORTER if of_supporter else Rating.Direction.OF_EXPERIENCE,
        created_at=now,
        updated_at=now,
        **_clean_scores(data),
    )
    counterpart = Rating.objects.filter(engagement=engagement, rater=rated).first()
    # Double blind: both are revealed when the second arrives, or BLIND_DAYS after the first.
    rating.visible_from = now if counterpart else now + timedelta(days=BLIND_DAYS)
    if counterpart and counterpart.visible_from > now:
        counterpart.visible_from = now
        counterpart.save(update_fields=["visible_from"])
    _review_state(rating, second_account_signals(actor, rated, engagement))
    try:
        with transaction.atomic():
            rating.save()
            if counterpart:
                _refresh_quality(rating, counterpart)
            else:  # the other person has not rated yet: theirs is the rating that reveals both
                notification_send(
                    recipient=rated,
                    kind=NotificationKind.RATING_TO_GIVE,
                    link=reverse("ratings:rate", args=[engagement.pk]),
                )
    except IntegrityError:
        raise ValidationError(
            _("You have already rated this engagement. You can change your rating instead.")
        ) from None
    return rating


@transaction.atomic
def rating_update(*, actor: User, rating: Rating, data: dict, about_safeguarding: bool = False) -> Rating:
    """Change your own rating while it is still blind and within EDIT_DAYS."""
    _refuse_if_safeguarding(about_safeguarding)
    if rating.rater_id != actor.pk:
        raise PermissionDenied(_("You can only change your own rating."))
    if not rating.is_editable():
        raise ValidationError(
            _(
                "This rating can no longer be changed: it has been shown to the other person or is more than 14 days old."
            )
        )
    for name, value in _clean_scores(data).items():
        setattr(rating, name, value)
    rating.updated_at = timezone.now()
    if not rating.decisions.exists():
        _review_state(rating, second_account_signals(actor, rating.rated, rating.engagement))
    rating.save()
    return rating


def rating_reply(*, actor: User, rating: Rating, body: str) -> RatingReply:
    """The rated person's reply, shown beside the review. Writing again replaces it."""
    if rating.rated_id != actor.pk:
        raise PermissionDenied(_("Only the person who was rated can reply."))
    body = (body or "").strip()
    if not body or len(body) > 2000:
        raise ValidationError({"body": [_("Write a reply of up to 2,000 characters.")]})
    reply, created = RatingReply.objects.get_or_create(rating=rating, defaults={"author": actor, "body": body})
    if not created:
        reply.body, reply.updated_at = body, timezone.now()
        reply.save(update_fields=["body", "updated_at"])
    return reply


def rating_flag(*, actor: User, rating: Rating, reason: str, detail: str = "") -> RatingFlag:
    """Anyone signed in can flag a review; a flagged comment is held until a moderator reads it."""
    _require_signed_in(actor)
    if reason not in RatingFlag.Reason.values:
        raise ValidationError({"reason": [_("Choose why you are flagging this review.")]})
    if rating.rater_id == actor.pk:
        raise ValidationError(_("This is your own review. You can change it instead of flagging it."))
    with transaction.atomic():
        flag, created = RatingFlag.objects.get_or_create(
            rating=rating, flagged_by=actor, defaults={"reason": reason, "detail": (detail or "")[:500]}
        )
        if not created:
            raise ValidationError(_("You have already flagged this review. A moderator will read it."))
        if rating.comment:
            Rating.objects.filter(pk=rating.pk).update(comment_held=True)
            rating.comment_held = True
    return flag


@transaction.atomic
def rating_moderate(*, actor: User, rating: Rating, decision: str, note: str) -> ModerationDecision:
    """Publish or hide a rating, recording who decided, when and why."""
    if not actor.is_moderator:
        raise PermissionDenied(_("Only moderators can publish or hide reviews."))
    if decision not in ModerationDecision.Decision.values:
        raise ValidationError({"decision": [_("Choose publish or hide.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Write a short note saying why, for the record.")]})
    record = ModerationDecision.objects.create(rating=rating, moderator=actor, decision=decision, note=note.strip())
    publish = decision == ModerationDecision.Decision.PUBLISH
    rating.status = Rating.Status.PUBLISHED if publish else Rating.Status.HIDDEN
    rating.comment_held = False
    rating.save(update_fields=["status", "comment_held"])
    rating.flags.filter(resolved_at__isnull=True).update(resolved_at=record.at)
    _refresh_quality(rating)
    return record


def safeguarding_report(
    *, actor: User, about: str, engagement: Engagement | None = None, someone_in_danger_now: bool = False
) -> SafeguardingConcern:
    """Record a safeguarding concern for moderators. The details are never logged or emailed."""
    _require_signed_in(actor)
    about = (about or "").strip()
    if not about:
        raise ValidationError({"about": [_("Tell us what is happening, in your own words.")]})
    if engagement is not None and not engagement.involves(actor):
        engagement = None
    return SafeguardingConcern.objects.create(
        reported_by=actor, about=about[:4000], engagement=engagement, someone_in_danger_now=someone_in_danger_now
    )


def safeguarding_close(*, actor: User, concern: SafeguardingConcern, note: str) -> SafeguardingConcern:
    if not actor.is_moderator:
        raise PermissionDenied(_("Only moderators can close a safeguarding concern."))
    if not (note or "").strip():
        raise ValidationError({"note": [_("Write what was done, for the record.")]})
    concern.status, concern.closed_by, concern.closed_at, concern.note = "closed", actor, timezone.now(), note.strip()
    concern.save()
    return concern


# Mutual confirmation ------------------------------------------------------------------


def confirmation_request(
    *, actor: User, supporter_profile: Profile, seeker: User | None = None
) -> EngagementConfirmation:
    """Say 'we worked together'. A seeker names the supporter's listing; a supporter names the seeker."""
    _require_signed_in(actor)
    if not supporter_profile.is_supporter or supporter_profile.user_id is None:
        raise ValidationError(_("You can only confirm work with a personal assistant, peer advisor or broker."))
    seeker = seeker or actor
    if supporter_profile.user_id != actor.pk and seeker.pk != actor.pk:
        raise PermissionDenied(_("You can only confirm work you did yourself."))
    if seeker.pk == supporter_profile.user_id:
        raise ValidationError(_("You cannot confirm working with yourself."))
    if Block.blocked_between(actor.pk, supporter_profile.user_id) or Block.blocked_between(actor.pk, seeker.pk):
        raise ValidationError(_("You cannot confirm work with someone you have blocked or who has blocked you."))
    try:
        with transaction.atomic():
            return EngagementConfirmation.objects.create(
                requested_by=actor, seeker=seeker, supporter_profile=supporter_profile
            )
    except IntegrityError:
        raise ValidationError(_("You have already asked them to confirm. Please wait for their answer.")) from None


@transaction.atomic
def confirmation_respond(*, actor: User, confirmation: EngagementConfirmation, confirm: bool) -> Engagement | None:
    """The other person confirms (an engagement is recorded) or declines."""
    if not confirmation.is_open:
        raise ValidationError(_("This request has already been answered."))
    if actor.pk != confirmation.counterpart_id():
        raise PermissionDenied(_("Only the other person can confirm this."))
    now = timezone.now()
    if not confirm:
        confirmation.declined_at = now
        confirmation.save(update_fields=["declined_at"])
        return None
    profile = confirmation.supporter_profile
    if profile.user is None:
        raise ValidationError(_("This listing has no account behind it, so working together cannot be confirmed."))
    engagement = engagement_record(
        seeker=confirmation.seeker,
        supporter=profile.user,
        supporter_profile=profile,
        source=Engagement.Source.MUTUAL_CONFIRMATION,
        source_ref=f"confirmation:{confirmation.pk}",
    )
    confirmation.confirmed_at, confirmation.engagement = now, engagement
    confirmation.save(update_fields=["confirmed_at", "engagement"])
    for party in (engagement.seeker_id, engagement.supporter_id):
        notification_send(
            recipient=party, kind=NotificationKind.RATING_TO_GIVE, link=reverse("ratings:rate", args=[engagement.pk])
        )
    return engagement


# Opinion poll ---------------------------------------------------------------------------


def postcode_area(outcode: str) -> str:
    match = re.match(r"[A-Za-z]{1,2}", outcode or "")
    return match.group(0).upper() if match else ""


def poll_answer(*, actor: User, engagement: Engagement, answer: str) -> PollAnswer:
    """'Would you recommend?' once per engagement, by the seeker."""
    if engagement.seeker_id != actor.pk:
        raise PermissionDenied(_("Only the person who was supported answers this question."))
    if answer not in PollAnswer.Answer.values:
        raise ValidationError({"answer": [_("Choose yes, no or not sure.")]})
    profile = engagement.supporter_profile
    try:
        with transaction.atomic():
            return PollAnswer.objects.create(
                engagement=engagement,
                respondent=actor,
                supporter_profile=profile,
                area=postcode_area(profile.outcode) if profile else "",
                role=profile.role if profile else "",
                answer=answer,
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered for this engagement. Thank you.")) from None


# Community accreditation ------------------------------------------------------------------


def _active_seat(panel, user: User) -> PanelMember | None:
    return panel.members.filter(user=user, left_at__isnull=True).first()


def _current_badge(panel, profile: Profile) -> Badge | None:
    return Badge.objects.filter(panel=panel, profile=profile, withdrawn_at__isnull=True).first()


def proposal_create(*, actor: User, panel, profile: Profile, action: str, reason: str) -> BadgeProposal:
    """A panel member proposes to award or withdraw the badge."""
    if _active_seat(panel, actor) is None:
        raise PermissionDenied(_("Only members of this panel can propose a decision."))
    if not profile.is_supporter or not panel.covers(profile):
        raise ValidationError(
            _("%(panel)s can only recommend supporters in its own organisation or area.") % {"panel": panel}
        )
    if profile.user_id == actor.pk:
        raise ValidationError(_("You cannot propose a decision about your own listing."))
    has_badge = _current_badge(panel, profile) is not None
    if action == BadgeProposal.Action.AWARD and has_badge:
        raise ValidationError(_("This listing already has the panel's badge."))
    if action == BadgeProposal.Action.WITHDRAW and not has_badge:
        raise ValidationError(_("This listing does not have the panel's badge, so there is nothing to withdraw."))
    if action not in BadgeProposal.Action.values:
        raise ValidationError({"action": [_("Choose award or withdraw.")]})
    if BadgeProposal.objects.filter(panel=panel, profile=profile, outcome=BadgeProposal.Outcome.OPEN).exists():
        raise ValidationError(_("There is already an open vote about this listing. Vote on that one."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say how the listing meets, or no longer meets, the criteria.")]})
    return BadgeProposal.objects.create(
        panel=panel, profile=profile, action=action, reason=reason.strip(), proposed_by=actor
    )


def _apply(proposal: BadgeProposal, reverse: bool = False) -> None:
    award = (proposal.action == BadgeProposal.Action.AWARD) != reverse
    if award:
        if _current_badge(proposal.panel, proposal.profile) is None:
            Badge.objects.create(panel=proposal.panel, profile=proposal.profile)
    else:
        Badge.objects.filter(panel=proposal.panel, profile=proposal.profile, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )


def _tally(proposal: BadgeProposal) -> None:
    """Carried by a majority of all current members once at least PANEL_QUORUM have voted."""
    members = proposal.panel.members.filter(left_at__isnull=True).count()
    yes = proposal.votes.filter(in_favour=True).count()
    no = proposal.votes.filter(in_favour=False).count()
    if yes + no < PANEL_QUORUM:
        return
    if yes * 2 > members:
        proposal.outcome = BadgeProposal.Outcome.CARRIED
        _apply(proposal)
    elif (members - no) * 2 <= members:
        proposal.outcome = BadgeProposal.Outcome.REFUSED
    else:
        return
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["outcome", "decided_at"])


@transaction.atomic
def panel_vote(*, actor: User, proposal: BadgeProposal, in_favour: bool) -> PanelVote:
    proposal = BadgeProposal.objects.select_for_update().get(pk=proposal.pk)
    if _active_seat(proposal.panel, actor) is None:
        raise PermissionDenied(_("Only members of this panel can vote."))
    if proposal.outcome != BadgeProposal.Outcome.OPEN:
        raise ValidationError(_("Voting on this has closed."))
    if proposal.profile.user_id == actor.pk:
        raise ValidationError(_("You cannot vote on your own listing."))
    if proposal.votes.filter(member=actor).exists():
        raise ValidationError(_("You have already voted on this."))
    vote = PanelVote.objects.create(proposal=proposal, member=actor, in_favour=in_favour)
    _tally(proposal)
    return vote


def _appealable(proposal: BadgeProposal) -> bool:
    refused_award = proposal.action == BadgeProposal.Action.AWARD and proposal.outcome == BadgeProposal.Outcome.REFUSED
    withdrawn = proposal.action == BadgeProposal.Action.WITHDRAW and proposal.outcome == BadgeProposal.Outcome.CARRIED
    return refused_award or withdrawn


def appeal_create(*, actor: User, proposal: BadgeProposal, grounds: str) -> Appeal:
    """The supporter appeals a refusal or a withdrawal."""
    if proposal.profile.user_id != actor.pk:
        raise PermissionDenied(_("Only the person whose listing it is can appeal."))
    if not _appealable(proposal):
        raise ValidationError(_("You can appeal a refusal or a withdrawal of the badge, not this decision."))
    if Appeal.objects.filter(proposal=proposal).exists():
        raise ValidationError(_("You have already appealed this decision."))
    if not (grounds or "").strip():
        raise ValidationError({"grounds": [_("Say why you think the decision was wrong.")]})
    return Appeal.objects.create(proposal=proposal, appellant=actor, grounds=grounds.strip())


def may_decide_appeal(actor: User, proposal: BadgeProposal) -> bool:
    if actor.is_moderator:
        return True
    voted = proposal.votes.filter(member=actor).exists()
    return _active_seat(proposal.panel, actor) is not None and not voted and proposal.proposed_by_id != actor.pk


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, decision: str, note: str) -> Appeal:
    """Decided by a panel member who took no part in the decision, or by a moderator."""
    if appeal.decision:
        raise ValidationError(_("This appeal has already been decided."))
    if not may_decide_appeal(actor, appeal.proposal):
        raise PermissionDenied(_("An appeal is decided by a panel member who did not vote on it, or by a moderator."))
    if decision not in Appeal.Decision.values:
        raise ValidationError({"decision": [_("Choose whether to uphold or dismiss the appeal.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Give your reasons, for the record.")]})
    appeal.decision, appeal.decided_by, appeal.decided_at, appeal.note = decision, actor, timezone.now(), note.strip()
    appeal.save()
    if decision == Appeal.Decision.UPHELD:
        # Reversing a refusal does what was proposed; reversing a withdrawal undoes it.
        _apply(appeal.proposal, reverse=appeal.proposal.outcome == BadgeProposal.Outcome.CARRIED)
    return appeal


# Deletion ---------------------------------------------------------------------------------


def ratings_forget_user(*, user: User) -> None:
    """Before an account goes: keep the scores they gave, anonymised; drop their words (README)."""
    Rating.objects.filter(rater=user).update(rater=None, comment="", attribution=Rating.Attribution.ANONYMOUS)
    RatingFlag.objects.filter(flagged_by=user).delete()
    PollAnswer.objects.filter(respondent=user).update(respondent=None)
    SafeguardingConcern.objects.filter(reported_by=user).update(reported_by=None)


# Setting up panels (staff, from the staff roles page and the admin) ---------------------------------------
# A panel and its seats decide who may vote; they change nothing search shows. Badges, which do, come only
# from recorded votes (``panel_vote``), which log the change.


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only staff can set up panels."))


@transaction.atomic
def panel_save(*, panel: Panel, actor: User) -> Panel:
    _require_staff(actor)
    panel.full_clean()
    panel.save()
    return panel


@transaction.atomic
def panel_member_save(*, member: PanelMember, actor: User) -> PanelMember:
    _require_staff(actor)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, actor: User) -> None:
    """Take a seat away: the seat is ended (``left_at``), not deleted, so who sat on the panel stays on record."""
    _require_staff(actor)
    if member.left_at is None:
        member.left_at = timezone.now()
        member.save(update_fields=["left_at"])


@transaction.atomic
def panel_create(*, actor: User, name: str, criteria: str, organisation=None, area_prefix: str = "") -> Panel:
    """A new panel covering an organisation's supporters or a postcode area (the staff roles page)."""
    _require_staff(actor)
    name = (name or "").strip()
    if Panel.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a panel with this name. Choose another name.")})
    if organisation is None and not (area_prefix or "").strip():
        raise ValidationError(
            {"area_prefix": _("Choose an organisation, or give the postcode area the panel covers (for example BB).")}
        )
    return panel_save(
        panel=Panel(
            name=name, criteria=criteria, organisation=organisation, area_prefix=(area_prefix or "").strip().upper()
        ),
        actor=actor,
    )


@transaction.atomic
def panel_seat_add(*, actor: User, panel: Panel, email: str, kind: str) -> PanelMember:
    """Give someone a seat on a panel. Panel members need a second factor to vote (profiles.authentication)."""
    _require_staff(actor)
    user = active_user_by_email(email)
    if _active_seat(panel, user) is not None:
        raise ValidationError(
            {"email": _("%(name)s already has a seat on %(panel)s.") % {"name": user.display_name, "panel": panel}}
        )
    return panel_member_save(member=PanelMember(panel=panel, user=user, kind=kind), actor=actor)
