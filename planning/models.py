"""A person's support plan, costed line by line against their personal budget (docs/planning.md).

Money is whole pence (integers); hours are Decimal quarter hours, as in payments.
A plan is special-category data: it is shown only to its owner, the people acting for them, and the
people they shared it with (planning.selectors), exported with "download my data" and deleted with the account.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from payments.models import pounds

from .prompts import SECTION_KEYS

MAX_LINE_PENCE = 1_000_000_00  # £1,000,000: anything above is a typing slip
MAX_HOURLY_PENCE = 500_00
MAX_HOURS_PER_WEEK = Decimal("168")


class RatesTable(models.Model):
    """The legal and market figures for one UK tax year (6 April to 5 April), each with its source.

    Seeded by a data migration; the operator edits them in the admin, which saves through
    ``planning.services.rates_table_save``."""

    tax_year_start = models.DateField(unique=True, help_text="6 April of the first year, e.g. 2026-04-06.")
    label = models.CharField(max_length=9, help_text="For example 2026/27.")
    min_wage_21_plus_pence = models.PositiveIntegerField("National Living Wage, 21 and over (pence an hour)")
    min_wage_18_20_pence = models.PositiveIntegerField("minimum wage, 18 to 20 (pence an hour)")
    min_wage_16_17_pence = models.PositiveIntegerField("minimum wage, under 18 (pence an hour)")
    min_wage_apprentice_pence = models.PositiveIntegerField("apprentice rate (pence an hour)")
    employer_ni_rate = models.DecimalField(
        "employer National Insurance rate", max_digits=5, decimal_places=4, help_text="0.15 for 15%."
    )
    ni_secondary_threshold_pence = models.PositiveIntegerField("NI secondary threshold (pence a year)")
    employment_allowance_pence = models.PositiveIntegerField("Employment Allowance (pence a year)")
    ae_trigger_pence = models.PositiveIntegerField("auto-enrolment earnings trigger (pence a year)")
    qe_lower_pence = models.PositiveIntegerField("qualifying earnings lower limit (pence a year)")
    qe_upper_pence = models.PositiveIntegerField("qualifying earnings upper limit (pence a year)")
    ae_employer_rate = models.DecimalField(
        "minimum employer pension contribution", max_digits=5, decimal_places=4, help_text="0.03 for 3%."
    )
    holiday_weeks = models.DecimalField("statutory holiday (weeks a year)", max_digits=4, decimal_places=2)
    irregular_holiday_rate = models.DecimalField(
        "holiday accrual for irregular hours", max_digits=5, decimal_places=4, help_text="0.1207 for 12.07%."
    )
    sources = models.JSONField(
        default=dict, blank=True, help_text="Where each figure comes from: field name -> source (a gov.uk page)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-tax_year_start"]
        verbose_name = "rates table"

    def __str__(self) -> str:
        return f"Rates {self.label}"

    def min_wage_for(self, band: str) -> int:
        return {
            AgeBand.ADULT: self.min_wage_21_plus_pence,
            AgeBand.YOUNG_ADULT: self.min_wage_18_20_pence,
            AgeBand.UNDER_18: self.min_wage_16_17_pence,
            AgeBand.APPRENTICE: self.min_wage_apprentice_pence,
        }[AgeBand(band)]


def tax_year_start(day: date) -> date:
    """6 April on or before ``day``: the UK tax year it falls in."""
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)


class AgeBand(models.TextChoices):
    ADULT = "21_plus", _("21 or over")
    YOUNG_ADULT = "18_20", _("18 to 20")
    UNDER_18 = "under_18", _("Under 18")
    APPRENTICE = "apprentice", _("Apprentice (under 19, or in the first year)")


class Plan(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_plans")
    title = models.CharField(max_length=80, default="My support plan")
    what_if_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="what_ifs",
        help_text="Set on a 'what if' copy: the plan it was copied from.",
    )  # fmt: skip
    starts_on = models.DateField(help_text="When the plan starts: it chooses the tax year for the figures.")
    consent_given_at = models.DateTimeField(null=True, blank=True)
    # The person's own words, each part optional (planning.prompts.SECTIONS).
    important_to = models.TextField(blank=True, max_length=5000)
    important_for = models.TextField(blank=True, max_length=5000)
    outcomes = models.TextField(blank=True, max_length=5000)
    how_supported = models.TextField(blank=True, max_length=5000)
    budget_use = models.TextField(blank=True, max_length=5000)
    keeping_safe = models.TextField(blank=True, max_length=5000)
    decisions = models.TextField(blank=True, max_length=5000)
    circle = models.TextField(blank=True, max_length=5000)
    action_plan = models.TextField(blank=True, max_length=5000)
    help_levels = models.JSONField(default=dict, blank=True, help_text="section key -> 1, 2 or 3")
    easy_read = models.BooleanField(default=False, help_text="Show the easy-read prompts.")
    # The employer's costs, if the person employs PAs.
    employment_allowance = models.BooleanField(
        default=False, help_text="The person says they can claim the Employment Allowance."
    )
    insurance_pence = models.PositiveIntegerField(default=0, help_text="Employer's liability insurance, a year.")
    payroll_pence_month = models.PositiveIntegerField(default=0, help_text="Payroll service fee, a month.")
    contingency_percent = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(50)], help_text="Kept aside for cover and surprises (0 to 50)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(contingency_percent__lte=50), name="plan_contingency_in_range"),
            models.CheckConstraint(condition=Q(insurance_pence__lte=MAX_LINE_PENCE), name="plan_insurance_in_range"),
            models.CheckConstraint(condition=Q(payroll_pence_month__lte=MAX_LINE_PENCE), name="plan_payroll_in_range"),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk}"  # never the person's words: this can reach logs and the admin's history

    @property
    def is_what_if(self) -> bool:
        return self.what_if_of_id is not None

    def section_text(self, key: str) -> str:
        assert key in SECTION_KEYS
        return getattr(self, key)

    def help_level(self, key: str) -> int:
        return int(self.help_levels.get(key, 1))


class SupportLine(models.Model):
    class Kind(models.TextChoices):
        EMPLOYED_PA = "employed_pa", _("A PA I employ")
        SELF_EMPLOYED = "self_employed", _("A self-employed PA or broker (hours)")
        PACKAGE = "package", _("A package from someone on the register")
        AGENCY = "agency", _("An agency")
        COMMUNITY = "community", _("A community resource")
        PEER = "peer", _("A peer advisor")
        ONE_OFF = "one_off", _("A one-off purchase")

    class Pension(models.TextChoices):
        RULES = "rules", _("By the rules (auto-enrolled if they earn over the trigger)")
        OPTED_IN = "opted_in", _("They asked to join (earning under the trigger)")
        OPTED_OUT = "opted_out", _("They chose to opt out")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=120)
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )  # fmt: skip
    hourly_pence = models.PositiveIntegerField(null=True, blank=True)
    weekly_pence = models.PositiveIntegerField(null=True, blank=True, help_text="A fixed cost a week.")
    amount_pence = models.PositiveIntegerField(null=True, blank=True, help_text="A one-off or package price.")
    times_per_year = models.PositiveSmallIntegerField(default=1)
    # Employed PAs
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, default=AgeBand.ADULT)
    irregular_hours = models.BooleanField(default=False)
    pension = models.CharField(max_length=10, choices=Pension.choices, default=Pension.RULES)
    # Someone from the register, or a package from their offer
    profile = models.ForeignKey("profiles.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    package = models.ForeignKey("payments.Package", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A community resource (community app): a plain id, no foreign key across the layers
    community_resource_id = models.PositiveBigIntegerField(null=True, blank=True)
    section = models.CharField(max_length=20, blank=True, help_text="The part of the plan this helps with.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_pence__isnull=True) | Q(hourly_pence__lte=MAX_HOURLY_PENCE),
                name="line_hourly_in_range",
            ),
            models.CheckConstraint(
                condition=Q(weekly_pence__isnull=True) | Q(weekly_pence__lte=MAX_LINE_PENCE),
                name="line_weekly_in_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_pence__isnull=True) | Q(amount_pence__lte=MAX_LINE_PENCE),
                name="line_amount_in_range",
            ),
            models.CheckConstraint(
                condition=Q(times_per_year__gte=1, times_per_year__lte=365), name="line_times_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Line {self.pk}"

    @property
    def hourly(self) -> str:
        return pounds(self.hourly_pence)


class PlanVersion(models.Model):
    """A dated snapshot of the plan each time it is saved: kept for sign-off and to look back on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_version_number_per_plan")]

    def __str__(self) -> str:
        return f"Plan {self.plan_id} version {self.number}"


class PlanShare(models.Model):
    class Role(models.TextChoices):
        BROKER = "broker", _("Broker")
        PEER_ADVISOR = "peer_advisor", _("Peer advisor")
        COORDINATOR = "coordinator", _("Coordinator")
        FAMILY = "family", _("Family member or friend")
        OTHER = "other", _("Someone else")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans_shared_with_me")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "user"], condition=Q(revoked_at__isnull=True), name="one_active_share_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Share {self.pk}"


class PlanComment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    version_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk}"
