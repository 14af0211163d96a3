"""The peer-support workflow's records: referrals, proposed matches, check-ins and the audit trail.

These tables were created by the matching app (migrations up to matching 0003) and moved here
with ``SeparateDatabaseAndState`` (peer_support 0001), then renamed to this app's table names
(peer_support 0002): no row was copied or lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    """A person asking an organisation for a peer advisor; the coordinator's unit of work."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a match")
        PROPOSED = "proposed", _("Match proposed, waiting for both to agree")
        INTRODUCED = "introduced", _("Introduced")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey("profiles.Organisation", on_delete=models.CASCADE, related_name="referrals")
    seeker_profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="referrals")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    what_would_help = models.TextField(max_length=1500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]


class MatchProposal(models.Model):
    """A coordinator's proposed peer match. Both people must say yes before an introduction."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        YES = "yes", _("Yes")
        NO = "no", _("No")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Both agreed")
        DECLINED = "declined", _("Declined")
        INTRODUCED = "introduced", _("Introduced")
        ENDED = "ended", _("Ended")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="proposals")
    supporter_profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="match_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.JSONField(default=list, blank=True)
    seeker_answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    supporter_answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(auto_now_add=True)
    introduced_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    granted_connection = models.BooleanField(
        default=False,
        help_text="The introduction connected the two people (they were not connected before), so ending the match ends it.",
    )

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status__in=["proposed", "agreed", "introduced"]),
                name="one_live_proposal_per_referral",
            )
        ]

    @property
    def both_agreed(self) -> bool:
        return self.seeker_answer == self.Answer.YES and self.supporter_answer == self.Answer.YES


class CheckIn(models.Model):
    """The coordinator's check-ins 2 and 6 weeks after an introduction."""

    class HowItIsGoing(models.TextChoices):
        WELL = "well", _("Going well")
        MIXED = "mixed", _("Some problems")
        BADLY = "badly", _("Not working")

    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="check_ins")
    week = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    how_it_is_going = models.CharField(max_length=8, choices=HowItIsGoing.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["proposal", "week"], name="one_check_in_per_week")]


class ReferralEvent(models.Model):
    """Every step of a referral, who took it and when (the audit trail)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]


# A proposal still in play, and a referral still open: the services and selectors share these.
LIVE_PROPOSAL = (MatchProposal.Status.PROPOSED, MatchProposal.Status.AGREED, MatchProposal.Status.INTRODUCED)
OPEN_REFERRAL = (Referral.Status.WAITING, Referral.Status.PROPOSED, Referral.Status.INTRODUCED)

# The API schema names this choice set once (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
PROPOSAL_ANSWER_CHOICES = MatchProposal.Answer.choices


# Organisations: which are real, and who belongs -------------------------------------------------
#
# Membership is never self-declared. The operator creates an organisation (or approves someone's
# request for one) and names its first coordinator; its coordinators then invite people by email
# or approve their requests to join. profiles.services.organisation_member_add writes the membership.


class OrganisationApproval(models.Model):
    """Whether an organisation is real. Only approved organisations are offered anywhere."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.OneToOneField("profiles.Organisation", on_delete=models.CASCADE, related_name="approval")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()}"


class MembershipRole(models.TextChoices):
    # The same values as profiles.OrganisationMembership.Role.
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Member (peer advisor or volunteer)")


class OrganisationInvitation(models.Model):
    """A coordinator (or the operator) invites someone by email; only that person, signed in with
    that verified address, can accept."""

    organisation = models.ForeignKey("profiles.Organisation", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Declined by the invitee or withdrawn by a coordinator."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email", "role"],
                condition=Q(accepted_at__isnull=True, closed_at__isnull=True),
                name="one_open_invitation_per_person_and_role",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.closed_at is None


class MembershipRequest(models.Model):
    """Someone asks to join an organisation as a member; one of its coordinators approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a coordinator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        "profiles.Organisation", on_delete=models.CASCADE, related_name="membership_requests"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=Q(status="pending"), name="one_pending_request_per_person"
            )
        ]
