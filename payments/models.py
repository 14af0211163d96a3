"""Offers, bookings, payments, Stripe events and the personal budget record.

Money is held as whole pence (integers) everywhere; hours as Decimal quarter hours.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .money import booking_money, pounds

MAX_HOURS_PER_DAY = Decimal("24")
MAX_BOOKING_DAYS = 31
MAX_PACKAGE_PENCE = 10_000_00  # £10,000: anything above is almost certainly a typing slip
MAX_BOOKING_PENCE = 50_000_00
MAX_BUDGET_PENCE = 1_000_000_00
QUARTER = Decimal("0.25")


def to_pence(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def hours_problem(hours: Decimal | None, days: int = 1) -> str:
    """A plain-English reason these hours cannot be right, or '' when they are fine."""
    if hours is None:
        return gettext("Enter the number of hours.")
    if hours <= 0:
        return gettext("Enter a number of hours greater than zero.")
    if hours % QUARTER:
        return gettext("Enter hours in quarter hours, for example 2.5 or 3.75.")
    if hours > MAX_HOURS_PER_DAY * days:
        return ngettext(
            "That is more than 24 hours a day. Enter at most %(hours)s hours for %(days)s day.",
            "That is more than 24 hours a day. Enter at most %(hours)s hours for %(days)s days.",
            days,
        ) % {"hours": f"{MAX_HOURS_PER_DAY * days:.0f}", "days": days}
    return ""


class Package(models.Model):
    """A fixed-price offer on a supporter's listing; mirrored into Profile.packages for the register export."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="offer_packages")
    name = models.CharField(max_length=80)
    price_pence = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    included = models.TextField("what is included", max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price_pence", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_pence__gt=0, price_pence__lte=MAX_PACKAGE_PENCE), name="package_price_in_range"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=1000), name="package_hours_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({pounds(self.price_pence)})"

    @property
    def price(self) -> str:
        return pounds(self.price_pence)

    def clean(self) -> None:
        errors = {}
        if not (0 < (self.price_pence or 0) <= MAX_PACKAGE_PENCE):
            errors["price"] = [
                gettext("Enter a price between £0.01 and %(most)s.") % {"most": pounds(MAX_PACKAGE_PENCE)}
            ]
        if self.hours is None or not (Decimal("0") < self.hours <= 1000):
            errors["hours"] = [gettext("Enter the hours the package includes: more than 0 and at most 1,000.")]
        elif problem := hours_problem(self.hours, 366):
            errors["hours"] = [problem]
        if errors:
            raise ValidationError(errors)

    def as_interchange(self) -> dict:
        return {"name": self.name, "price_gbp": float(Decimal(self.price_pence) / 100), "hours": float(self.hours)}


class StripeAccount(models.Model):
    """A supporter's Stripe Connect account, onboarded on Stripe's own pages."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_account")
    account_id = models.CharField(max_length=64, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.account_id


class Booking(models.Model):
    """Hours or a package booked by a seeker (or their proxy) with a supporter they are connected with."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the supporter to accept")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined by the supporter")
        CANCELLED = "cancelled", _("Cancelled")
        HOURS_SUBMITTED = "hours_submitted", _("Hours recorded: waiting for approval")
        HOURS_QUERIED = "hours_queried", _("Hours queried")
        COMPLETED = "completed", _("Completed: hours approved")

    TRANSITIONS = {
        Status.REQUESTED: {Status.ACCEPTED, Status.DECLINED, Status.CANCELLED},
        Status.ACCEPTED: {Status.HOURS_SUBMITTED, Status.CANCELLED},
        Status.HOURS_SUBMITTED: {Status.COMPLETED, Status.HOURS_QUERIED},
        Status.HOURS_QUERIED: {Status.HOURS_SUBMITTED},
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
        Status.COMPLETED: set(),
    }

    class Kind(models.TextChoices):
        HOURS = "hours", _("Hours at an hourly rate")
        PACKAGE = "package", _("A fixed-price package")

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bookings_made"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bookings_received"
    )
    supporter_profile = models.ForeignKey("profiles.Profile", null=True, on_delete=models.SET_NULL, related_name="+")
    supporter_name = models.CharField(max_length=60, help_text="As shown when booked; kept for receipts.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOURS)
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    package_name = models.CharField(max_length=80, blank=True)
    start_date = models.DateField()
    start_time = models.TimeField()
    end_date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    rate_pence = models.PositiveIntegerField(null=True, blank=True, help_text="Agreed hourly rate in pence.")
    total_pence = models.PositiveIntegerField()
    cancellation_hours = models.PositiveSmallIntegerField(default=24)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    worked_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    timesheet_note = models.CharField(max_length=500, blank=True)
    query_note = models.CharField(max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="booking_hours_positive"),
            models.CheckConstraint(
                condition=Q(total_pence__gt=0, total_pence__lte=MAX_BOOKING_PENCE), name="booking_total_in_range"
            ),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="booking_ends_after_start"),
            models.CheckConstraint(
                condition=Q(worked_hours__isnull=True) | Q(worked_hours__gte=0),
                name="booking_worked_hours_not_negative",
            ),
            models.CheckConstraint(condition=Q(kind="package") | Q(rate_pence__gt=0), name="booking_hours_need_a_rate"),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("payments:booking-detail", args=[self.pk])

    @property
    def days(self) -> int:
        if not (self.start_date and self.end_date):
            return 1
        return (self.end_date - self.start_date).days + 1

    @property
    def hours_days(self) -> int:
        """Days the hours are spread over: a package's hours may be worked over many weeks."""
        return self.days if self.kind == self.Kind.HOURS else 366

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start_date, self.start_time))

    @property
    def free_cancellation_until(self) -> datetime:
        return self.starts_at - timedelta(hours=self.cancellation_hours)

    @property
    def total(self) -> str:
        return pounds(self.total_pence)

    @property
    def rate(self) -> str:
        return pounds(self.rate_pence) if self.rate_pence else ""

    @property
    def money(self):
        """Every money figure of this booking (``payments.money.booking_money``: the one calculation)."""
        return booking_money(self)

    @property
    def cancellation_terms(self) -> str:
        return gettext(
            "Free cancellation up to %(hours)s hours before the start. "
            "After that, a card payment is not refunded unless the supporter cancels."
        ) % {"hours": self.cancellation_hours}

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    def move_to(self, status: str) -> None:
        if not self.can_move_to(status):
            raise ValidationError(
                gettext(
                    "This booking is “%(now)s”, so it cannot become “%(then)s”. "
                    "Refresh the page to see its current state."
                )
                % {"now": self.get_status_display().lower(), "then": str(self.Status(status).label).lower()}
            )
        self.status = status

    def involves(self, user) -> bool:
        return user.pk in (self.seeker_id, self.supporter_id)

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = [gettext("The last day cannot be before the first day.")]
        elif self.start_date and self.end_date and self.days > MAX_BOOKING_DAYS:
            errors["end_date"] = [gettext("Book at most %(days)s days at a time.") % {"days": MAX_BOOKING_DAYS}]
        elif problem := hours_problem(self.hours, self.hours_days):
            errors["hours"] = [problem]
        if self.kind == self.Kind.HOURS and not self.rate_pence:
            errors["rate"] = [gettext("This supporter has not set an hourly rate yet, so hours cannot be booked.")]
        if not (0 < (self.total_pence or 0) <= MAX_BOOKING_PENCE):
            errors["hours"] = [
                gettext("A booking must come to between £0.01 and %(most)s.") % {"most": pounds(MAX_BOOKING_PENCE)}
            ]
        if self.worked_hours is not None and (problem := hours_problem(self.worked_hours, self.hours_days)):
            errors["worked_hours"] = [problem]
        if errors:
            raise ValidationError(errors)


def _receipt_number() -> str:
    return f"OC-{timezone.now():%Y}-{uuid.uuid4().hex[:8].upper()}"


class Payment(models.Model):
    """One payment for one booking: by card through Stripe, or recorded as paid outside the platform."""

    class Method(models.TextChoices):
        CARD = "card", _("Card, through Stripe")
        OUTSIDE = "outside", _("Paid outside Open Circle")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")
        EXPIRED = "expired", _("Payment page expired")

    TRANSITIONS = {
        Status.PENDING: {Status.PAID, Status.REFUNDED, Status.EXPIRED},
        Status.EXPIRED: {Status.PENDING, Status.PAID, Status.REFUNDED},
        Status.PAID: {Status.REFUNDED},
        Status.REFUNDED: set(),
    }

    class PaidHow(models.TextChoices):
        COUNCIL_ACCOUNT = "council_account", _("Council-managed account")
        PREPAID_CARD = "prepaid_card", _("Direct payment prepaid card")
        PAYROLL = "payroll", _("Payroll service")
        BANK_TRANSFER = "bank_transfer", _("Bank transfer from a direct payment account")
        ISF = "isf", _("Individual service fund (managed by a provider)")
        OTHER = "other", _("Another way")

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="payment")
    method = models.CharField(max_length=10, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    amount_pence = models.PositiveIntegerField()
    fee_pence = models.PositiveIntegerField(default=0)
    refunded_pence = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=80, unique=True)
    checkout_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    refund_id = models.CharField(max_length=255, blank=True)
    paid_by = models.CharField(max_length=120, blank=True, help_text="Who paid, when paid outside Open Circle.")
    paid_how = models.CharField(max_length=20, choices=PaidHow.choices, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    receipt_number = models.CharField(max_length=20, unique=True, default=_receipt_number)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0, amount_pence__lte=MAX_BOOKING_PENCE), name="payment_amount_in_range"
            ),
            models.CheckConstraint(condition=Q(fee_pence__lte=F("amount_pence")), name="payment_fee_within_amount"),
            models.CheckConstraint(
                condition=Q(refunded_pence__lte=F("amount_pence")), name="payment_refund_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(method="card") | (~Q(paid_by="") & ~Q(paid_how="")), name="outside_payment_says_who_and_how"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    def get_absolute_url(self) -> str:
        return reverse("payments:receipt", args=[self.receipt_number])

    @property
    def amount(self) -> str:
        return pounds(self.amount_pence)

    @property
    def fee(self) -> str:
        return pounds(self.fee_pence)

    @property
    def refunded(self) -> str:
        return pounds(self.refunded_pence)

    @property
    def net_pence(self) -> int:
        """What this payment finally cost the person (after refunds); 0 until it is paid."""
        if self.status not in (self.Status.PAID, self.Status.REFUNDED):
            return 0
        return self.amount_pence - self.refunded_pence

    @property
    def is_settled(self) -> bool:
        return self.status in (self.Status.PAID, self.Status.REFUNDED)

    def advance(self, status: str) -> bool:
        """Move forward if allowed; an older state arriving late is ignored. Returns whether it moved."""
        if status == self.status or status not in self.TRANSITIONS[self.Status(self.status)]:
            return False
        self.status = status
        return True


class StripeEvent(models.Model):
    """Each Stripe event id once: inserted in the same transaction as its effect."""

    class Status(models.TextChoices):
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Not a type we handle")
        FAILED = "failed", _("Failed: will be retried")

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Budget(models.Model):
    """The personal budget a seeker manages (direct payment, personal health budget, own money)."""

    class Period(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FOUR_WEEKLY = "four_weekly", _("Every four weeks")
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    LOW_SHARE = Decimal("0.20")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget")
    amount_pence = models.PositiveIntegerField()
    period = models.CharField(max_length=12, choices=Period.choices, default=Period.FOUR_WEEKLY)
    starts_on = models.DateField(help_text="The first day of a budget period (for example, when payments start).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0, amount_pence__lte=MAX_BUDGET_PENCE), name="budget_amount_in_range"
            )
        ]

    @property
    def amount(self) -> str:
        return pounds(self.amount_pence)

    def window(self, today: date) -> tuple[date, date]:
        """The budget period containing ``today``: (first day, last day)."""
        if self.period in (self.Period.WEEKLY, self.Period.FOUR_WEEKLY):
            length = 7 if self.period == self.Period.WEEKLY else 28
            start = self.starts_on + timedelta(days=((today - self.starts_on).days // length) * length)
            return start, start + timedelta(days=length - 1)
        months = 1 if self.period == self.Period.MONTHLY else 12
        elapsed = (today.year - self.starts_on.year) * 12 + today.month - self.starts_on.month
        if today.day < self.starts_on.day:
            elapsed -= 1
        start = _add_months(self.starts_on, (elapsed // months) * months)
        return start, _add_months(start, months) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class BudgetEntry(models.Model):
    """Spending added by hand (for example PA wages paid through a payroll service)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_entries")
    spent_on = models.DateField()
    description = models.CharField(max_length=120)
    paid_to = models.CharField(max_length=120)
    amount_pence = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0, amount_pence__lte=MAX_BOOKING_PENCE),
                name="budget_entry_amount_in_range",
            )
        ]

    @property
    def amount(self) -> str:
        return pounds(self.amount_pence)
