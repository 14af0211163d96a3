"""Notifications: one row per thing someone should know about, and which kinds they want emailed.

A notification's title is fixed wording for its kind ("You have a new contact request"): never a
name, a message, a health detail or anything else the person typed. It links to the thing itself,
where the usual permission checks decide what the reader may see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # value, and the words used on the email preferences page ("Email me when ...")
    CONTACT_REQUEST = "contact_request", _("someone sends me a contact request")
    CONTACT_ACCEPTED = "contact_accepted", _("someone accepts my contact request")
    MATCH_PROPOSAL = "match_proposal", _("a coordinator suggests a peer support match for me")
    INTRODUCTION = "introduction", _("a coordinator introduces me to someone")
    BOOKING_REQUEST = "booking_request", _("someone asks to book me")
    TIMESHEET_TO_APPROVE = "timesheet_to_approve", _("hours are waiting for me to approve")
    RATING_TO_GIVE = "rating_to_give", _("I can rate someone I worked with")
    MODERATION_OUTCOME = "moderation_outcome", _("a moderator has looked at something I reported")
    LISTING_CLAIM = "listing_claim", _("my claim to a listing is approved or declined")
    MUTUAL_INTEREST = "mutual_interest", _("someone I showed interest in is interested in me too")
    SAVED_SEARCH = "saved_search", _("a new listing fits a search I saved")
    PLAN_SHARED = "plan_shared", _("someone shares their support plan with me")
    PLAN_COMMENT = "plan_comment", _("someone comments on a support plan I write or was shown")
    CONSENT_TO_CONFIRM = "consent_to_confirm", _("something someone helped me fill in is waiting for me to agree")
    BOOKING_ANSWERED = "booking_answered", _("my booking request is accepted or declined")
    BOOKING_CANCELLED = "booking_cancelled", _("the other person cancels a booking")
    ORGANISATION_INVITATION = "organisation_invitation", _("an organisation invites me to join it")
    REPORT_TO_CHECK = "report_to_check", _("a new report is waiting for a moderator (moderators only)")


# The title each kind gets unless the caller passes one (callers pass only fixed wording too).
TITLES = {
    Kind.CONTACT_REQUEST: _("You have a new contact request"),
    Kind.CONTACT_ACCEPTED: _("Your contact request was accepted"),
    Kind.MATCH_PROPOSAL: _("A peer support match has been suggested for you"),
    Kind.INTRODUCTION: _("You have been introduced for peer support"),
    Kind.BOOKING_REQUEST: _("You have a new booking request"),
    Kind.TIMESHEET_TO_APPROVE: _("Hours are waiting for your approval"),
    Kind.RATING_TO_GIVE: _("You can rate someone you worked with"),
    Kind.MODERATION_OUTCOME: _("A moderator has looked at your report"),
    Kind.LISTING_CLAIM: _("There is news about your listing claim"),
    Kind.MUTUAL_INTEREST: _("You are both interested: your conversation is open"),
    Kind.SAVED_SEARCH: _("A new listing fits a search you saved"),
    Kind.PLAN_SHARED: _("Someone shared their support plan with you"),
    Kind.PLAN_COMMENT: _("There is a new comment on a support plan"),
    Kind.CONSENT_TO_CONFIRM: _("Something is waiting for you to agree to"),
    Kind.BOOKING_ANSWERED: _("There is an answer to your booking request"),
    Kind.BOOKING_CANCELLED: _("A booking has been cancelled"),
    Kind.ORGANISATION_INVITATION: _("An organisation has invited you to join it"),
    Kind.REPORT_TO_CHECK: _("A new report is waiting for a moderator"),
}
TITLE_MAX = 120


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX)
    link = models.CharField(max_length=300, help_text="A path on this site, like /messages/requests/.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.title} ({self.recipient_id})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def shown_title(self) -> str:
        """The title in the reader's language: it is stored in English, the source language."""
        return gettext(self.title) if self.title else ""


class EmailOff(models.Model):
    """One kind of notification this person does not want emailed (every kind is emailed by default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_emails_off")
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_off_per_kind")]


def email_wanted(user_id: int, kind: str) -> bool:
    """Whether this person still wants emails of this kind (they switch kinds off on the settings page)."""
    return not EmailOff.objects.filter(user_id=user_id, kind=kind).exists()
