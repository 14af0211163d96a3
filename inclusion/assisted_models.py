"""Help from a trusted person (issue 17, item 6): who helped a person fill in their details, and what waits for
the person to agree to themselves. The services are in inclusion.assisted; docs/assisted-mode.md explains.

Nothing here holds the person's words: a change is recorded by the name of the part changed ("About me",
"Plan: keeping myself safe"), never its value.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

SESSION_HOURS = 4  # assisted mode ends by itself after this long


class AssistedSession(models.Model):
    class HelperRole(models.TextChoices):
        PROXY = "proxy", _("Someone who acts for them")
        COORDINATOR = "coordinator", _("Their coordinator")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assisted_sessions")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="assisted_sessions_helped"
    )
    helper_role = models.CharField(max_length=12, choices=HelperRole.choices)
    helper_name = models.CharField(max_length=80, help_text="Kept if the helper's account goes.")
    started_by_person = models.BooleanField(
        default=False, help_text="The person started it from their own sign-in, with the helper beside them."
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("helper")), name="assisted_helper_is_someone_else")
        ]

    def __str__(self) -> str:
        return f"Assisted session {self.pk}"

    @property
    def ends_at(self):
        return self.ended_at or self.started_at + timedelta(hours=SESSION_HOURS)

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and timezone.now() < self.started_at + timedelta(hours=SESSION_HOURS)


class AssistedChange(models.Model):
    """One thing filled in during an assisted session: where (sign-up, profile, plan) and which part."""

    session = models.ForeignKey(AssistedSession, on_delete=models.CASCADE, related_name="changes")
    area = models.CharField(max_length=30)
    what = models.CharField(max_length=120)
    by_helper = models.BooleanField(help_text="Typed in with the helper's own sign-in (else the person's).")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Assisted change {self.pk}"


class ConsentWaiting(models.Model):
    """A consent page someone helping the person reached: only the person can agree, from their own sign-in."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_waiting")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    session = models.ForeignKey(AssistedSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key = models.CharField(max_length=60, help_text='What to agree to, e.g. "plan-consent:12".')
    link = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "key"], condition=Q(confirmed_at__isnull=True), name="one_open_consent_wait_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"Consent waiting {self.pk}"

    @property
    def what(self) -> str:
        kind = self.key.split(":", 1)[0]
        return gettext(CONSENT_WORDS.get(kind, gettext_noop("Something you are asked to agree to")))


CONSENT_WORDS = {  # translated when read (``ConsentWaiting.what``)
    "profile-consent": gettext_noop("Keeping your lived experience and health details"),
    "plan-consent": gettext_noop("Keeping your support plan"),
}
