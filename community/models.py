"""Community resources: local groups, clubs and services a plan can use, and who runs them.

Named to sit beside ``profiles.Organisation`` (a user-led organisation's peer support): a
``ResourceOrganisation`` is whoever runs a community resource (a club, a time bank, a council service).
Locality is a postcode district only (``outcode`` plus its centre), like the register.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from profiles import vocabulary as vocab

MAX_PRICE_PENCE = 100_000  # £1,000 a session is already more than any community resource we have seen

# Accessibility features people filter on, as bits of ``Service.access_mask`` (one indexed integer column).
# The labels stay English here (the Open Referral exchange uses them); pages translate them when shown.
ACCESSIBILITY = {
    "step_free": gettext_noop("Step-free access"),
    "accessible_toilet": gettext_noop("Accessible toilet"),
    "hearing_loop": gettext_noop("Hearing loop"),
    "bsl": gettext_noop("British Sign Language available"),
    "quiet_space": gettext_noop("Quiet space"),
    "large_print": gettext_noop("Large print or easy read"),
    "parking": gettext_noop("Accessible parking nearby"),
}
ACCESS_BITS = {code: 1 << i for i, code in enumerate(ACCESSIBILITY)}
DAY_BITS = {day: 1 << i for i, day in enumerate(vocab.DAYS)}


def fresh_days() -> int:
    """Days a listing stays fresh after it was last checked (settings.COMMUNITY_FRESH_DAYS)."""
    return int(getattr(settings, "COMMUNITY_FRESH_DAYS", 365))


class ResourceOrganisation(models.Model):
    """Who runs a resource. Contact details here are only those the organisation chose to publish."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    website = models.URLField(blank=True, max_length=300)
    email = models.EmailField(blank=True)
    phone = models.CharField(blank=True, max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Taxonomy(models.Model):
    """A topic term (walking, gardening, advice...). ``code`` is the tag the register's interests use."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    vocabulary = models.CharField(max_length=50, default="open-circle-topics")

    class Meta:
        verbose_name_plural = "taxonomy terms"

    def __str__(self) -> str:
        return self.label


class ServiceQuerySet(models.QuerySet):
    def published(self) -> ServiceQuerySet:
        return self.filter(status=Service.Status.PUBLISHED)

    def needing_check(self, *, now=None) -> ServiceQuerySet:
        cutoff = (now or timezone.now()) - timedelta(days=fresh_days())
        return self.published().filter(last_checked_at__lt=cutoff)


class Service(models.Model):
    """One community resource: what it is, for whom, where (a district, or online), when and at what cost."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested, waiting for a coordinator or moderator")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        PAY_WHAT_YOU_CAN = "pwyc", _("Pay what you can")
        PRICE = "price", _("A set price")
        ASK = "ask", _("Ask them about cost")

    class Source(models.TextChoices):
        LOCAL = "local", _("Added here")
        IMPORT = "import", _("Imported from an Open Referral directory")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(ResourceOrganisation, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=4000)
    who_for = models.CharField("who it is for", max_length=500, blank=True)
    how_to_join = models.TextField(blank=True, max_length=2000)
    topics = models.ManyToManyField(Taxonomy, blank=True, related_name="services")
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    price_pence = models.PositiveIntegerField(null=True, blank=True)
    accessibility_notes = models.TextField(blank=True, max_length=2000)
    access_mask = models.PositiveIntegerField(default=0)
    languages = models.JSONField(default=list, blank=True)
    # Contact details the organisation chose to publish for this service.
    url = models.URLField(blank=True, max_length=300)
    email = models.EmailField(blank=True)
    phone = models.CharField(blank=True, max_length=30)
    # Where: a district and its centre (from the bundled district centres), or online only.
    online = models.BooleanField(default=False)
    venue = models.CharField(max_length=200, blank=True, help_text="A public place, such as 'Halifax Library'.")
    outcode = models.CharField("postcode district", max_length=4, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    days_mask = models.PositiveSmallIntegerField(default=0)  # derived from the schedules (services.py)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_checked_by_name = models.CharField(max_length=200, blank=True)  # who, as shown (kept if the account goes)

    # Open Referral exchange: where an imported listing came from, what it said then, and local edits since.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LOCAL)
    external_id = models.CharField(max_length=100, blank=True)
    import_digest = models.CharField(max_length=64, blank=True)
    edited_locally_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "latitude", "longitude"], name="community_svc_status_latlng"),
            models.Index(fields=["status", "outcode"], name="community_svc_status_outcode"),
            models.Index(fields=["status", "online", "latitude"], name="community_svc_status_online"),
            models.Index(fields=["status", "last_checked_at"], name="community_svc_status_checked"),
            models.Index(fields=["external_id"], name="community_svc_external_id"),
            models.Index(fields=["outcode", "updated_at"], name="community_svc_outcode_upd"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(cost="price") | models.Q(price_pence__isnull=False),
                name="community_service_price_when_priced",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("community:detail", kwargs={"service_id": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def needs_check(self) -> bool:
        if not self.last_checked_at:
            return True
        return self.last_checked_at < timezone.now() - timedelta(days=fresh_days())

    @property
    def check_due_on(self):
        return (self.last_checked_at + timedelta(days=fresh_days())).date() if self.last_checked_at else None

    @property
    def cost_label(self) -> str:
        if self.cost == self.Cost.PRICE and self.price_pence is not None:
            return gettext("£%(price)s a session") % {
                "price": f"{self.price_pence // 100}.{self.price_pence % 100:02d}"
            }
        return self.get_cost_display()

    @property
    def weekly_cost_pence(self) -> int:
        """What a plan line costs a week by default: nothing unless there is a set price."""
        if self.cost == self.Cost.PRICE and self.price_pence:
            return self.price_pence
        return 0

    @property
    def accessibility(self) -> list[str]:
        return [code for code, bit in ACCESS_BITS.items() if self.access_mask & bit]

    @property
    def accessibility_labels(self) -> list[str]:
        return [gettext(ACCESSIBILITY[code]) for code in self.accessibility]

    @property
    def language_labels(self) -> list[str]:
        return [vocab.translated_label(vocab.LANGUAGES, code) for code in self.languages]

    @property
    def where_label(self) -> str:
        if self.online and not self.outcode:
            return gettext("Online")
        place = f"{self.venue}, {self.outcode}" if self.venue else self.outcode
        return gettext("%(place)s and online") % {"place": place} if self.online else place


class Schedule(models.Model):
    """When a service meets: a weekday (weekly, or one week of the month) with optional times."""

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", _("Every week")
        MONTHLY = "MONTHLY", _("Once a month")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    day = models.CharField(max_length=3, choices=[(d, _(vocab.DAY_NAMES[d])) for d in vocab.DAYS])
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        words = (WEEKLY_DAYS if self.frequency == self.Frequency.WEEKLY else MONTHLY_DAYS)[self.day]
        text = gettext(words)
        if self.opens_at and self.closes_at:
            text = gettext("%(days)s, %(opens)s to %(closes)s") % {
                "days": text,
                "opens": f"{self.opens_at:%H:%M}",
                "closes": f"{self.closes_at:%H:%M}",
            }
        if self.note:
            text = gettext("%(when)s (%(note)s)") % {"when": text, "note": self.note}
        return text


# When a group meets, one whole phrase for each day (translated when shown; the Open Referral export reads them too).
WEEKLY_DAYS = {
    "mon": gettext_noop("Mondays"),
    "tue": gettext_noop("Tuesdays"),
    "wed": gettext_noop("Wednesdays"),
    "thu": gettext_noop("Thursdays"),
    "fri": gettext_noop("Fridays"),
    "sat": gettext_noop("Saturdays"),
    "sun": gettext_noop("Sundays"),
}
MONTHLY_DAYS = {
    "mon": gettext_noop("one Monday a month"),
    "tue": gettext_noop("one Tuesday a month"),
    "wed": gettext_noop("one Wednesday a month"),
    "thu": gettext_noop("one Thursday a month"),
    "fri": gettext_noop("one Friday a month"),
    "sat": gettext_noop("one Saturday a month"),
    "sun": gettext_noop("one Sunday a month"),
}


class ServiceCheck(models.Model):
    """Each time someone checked a listing is still right (the history behind ``last_checked_at``)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at"]
