"""Contact requests, conversations, messages, notification choices and the moderation queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_CHARS = 2000
REQUEST_MAX_CHARS = 500


def pair_key(a_id: int, b_id: int) -> str:
    low, high = sorted((a_id, b_id))
    return f"{low}:{high}"


class ContactRequest(models.Model):
    """A first approach to a listed profile's owner. Only an accepted request becomes a conversation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a reply")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class DeclineReason(models.TextChoices):
        NONE = "", _("No reason given")
        NOT_AVAILABLE = "not_available", _("I am not available at the moment")
        TOO_FAR = "too_far", _("I do not cover your area")
        NOT_A_FIT = "not_a_fit", _("I do not think I am the right person for this")
        FULL = "full", _("I am not taking on anyone new")

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_requests_sent")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_requests_received"
    )
    profile = models.ForeignKey("profiles.Profile", null=True, on_delete=models.SET_NULL, related_name="+")
    pair = models.CharField(max_length=41, editable=False)
    message = models.TextField(max_length=REQUEST_MAX_CHARS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    conversation = models.ForeignKey("Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pair"], condition=Q(status="open"), name="one_open_request_per_pair"),
            models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="request_to_someone_else"),
        ]

    def save(self, *args, **kwargs):
        self.pair = pair_key(self.sender_id, self.recipient_id)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("One to one")
        INTRODUCTION = "introduction", _("Introduction")

    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.DIRECT)
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    introduction_note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"Conversation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", args=[self.pk])

    @property
    def group_name(self) -> str:
        return f"conversation-{self.pk}"


class Membership(models.Model):
    """One person's place in a conversation: what they have read, shared, left or archived."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_memberships"
    )
    last_read_id = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    shares_contact = models.BooleanField(default=False)
    contact_details = models.CharField(max_length=300, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_membership_per_person")]
        indexes = [models.Index(fields=["user", "left_at"])]

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Message(models.Model):
    class Flag(models.TextChoices):
        MONEY = "money", _("asks about money, bank or card details")
        OFF_PLATFORM = "off_platform", _("moves the conversation off Open Circle")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    # Null after the sender's account is deleted (introduction threads keep the words for the others).
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX_CHARS)
    safety_flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"])]

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def shown_body(self) -> str:
        return gettext("This message was removed by a moderator.") if self.is_removed else self.body

    def flag_labels(self) -> list[str]:
        return [self.Flag(f).label for f in self.safety_flags if f in self.Flag.values]


class NotificationPreference(models.Model):
    class Frequency(models.TextChoices):
        SOON = "soon", _("By email when a message has waited 15 minutes")
        DAILY = "daily", _("One email a day at most")
        OFF = "off", _("Never: I will check Open Circle myself")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_notifications"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.SOON)
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)


class Report(models.Model):
    """A case in the moderation queue. Never shown to the person reported."""

    class Reason(models.TextChoices):
        HARASSMENT = "harassment", _("Harassment, threats or abuse")
        MONEY = "money", _("Asking for money or financial details")
        SCAM = "scam", _("A scam or a fake listing")
        SAFEGUARDING = "safeguarding", _("I am worried someone is at risk of harm")
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Something else")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIONED = "actioned", _("Action taken")
        CLOSED = "closed", _("Closed")

    # Kept when either account is deleted: a safeguarding record must outlive the people in it.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports_received"
    )
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    message_snapshot = models.TextField(blank=True, max_length=MESSAGE_MAX_CHARS)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=2000)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class ModerationAction(models.Model):
    """The audit trail: who did what to a case, and when. Rows are never edited."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Case opened")
        WARN = "warn", _("Warned the person")
        SUSPEND = "suspend", _("Suspended the account")
        REMOVE_MESSAGE = "remove_message", _("Removed the message")
        CLOSE = "close", _("Closed the case")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
