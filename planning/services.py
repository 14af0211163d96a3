"""Every change to support plans and the rates table goes through these functions (the one write path).

Pages, the admin and other apps (community calls ``add_resource_line``) use them. Each checks permission
(another person's plan is a 404 through the selectors; here a PermissionDenied for a direct call), validates
with plain-English messages and records a dated version of the plan after each change.
A plan's words are never logged, put in a URL or sent in an email.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inclusion.assisted import note_change
from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from payments.models import Package, hours_problem, pounds
from profiles.models import Profile, User
from profiles.services import consent_confirm_announce, require_the_person

from . import selectors
from .models import (
    MAX_HOURLY_PENCE,
    MAX_LINE_PENCE,
    AgeBand,
    Plan,
    PlanComment,
    PlanShare,
    PlanVersion,
    RatesTable,
    SupportLine,
)
from .prompts import BY_KEY, HELP_LEVELS, SECTION_KEYS

MAX_SECTION_CHARS = 5000
MAX_COMMENT_CHARS = 2000
SNAPSHOT_LINE_FIELDS = (
    "kind",
    "title",
    "hours_per_week",
    "hourly_pence",
    "weekly_pence",
    "amount_pence",
    "times_per_year",
    "age_band",
    "irregular_hours",
    "pension",
    "community_resource_id",
    "section",
)
K = SupportLine.Kind


# Permission ---------------------------------------------------------------------------------------------------


def _require_editor(plan: Plan, actor: User) -> None:
    if not selectors.can_edit(plan, actor):
        raise PermissionDenied(_("You can only change your own plan, or one you act for."))


def _require_consent(plan: Plan) -> None:
    if plan.consent_given_at is None:
        raise ValidationError(
            {"consent": [_("First agree that Open Circle may keep your plan. Nothing is saved until you do.")]}
        )


# Versions ---------------------------------------------------------------------------------------------------


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """Everything the person wrote and chose, as plain data (also what "download my data" holds)."""
    return {
        "title": plan.title,
        "starts_on": plan.starts_on.isoformat(),
        "what_if_of": plan.what_if_of_id,
        "sections": {key: plan.section_text(key) for key in SECTION_KEYS},
        "help_levels": {key: plan.help_level(key) for key in SECTION_KEYS},
        "employer": {
            "employment_allowance": plan.employment_allowance,
            "insurance_pence": plan.insurance_pence,
            "payroll_pence_month": plan.payroll_pence_month,
            "contingency_percent": plan.contingency_percent,
        },
        "lines": [
            {name: _plain(getattr(line, name)) for name in SNAPSHOT_LINE_FIELDS}
            | {"package_id": line.package_id, "profile_id": line.profile_id}
            for line in plan.lines.all()
        ],
    }


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _record_version(plan: Plan, actor: User | None, what: str = "The plan") -> PlanVersion:
    # In assisted mode (inclusion), note who helped with which part (the part's name, never its words).
    note_change(
        person_id=plan.owner_id, actor_id=actor.pk if actor is not None else None, area="plan", what=f"Plan: {what}"
    )
    number = (plan.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return PlanVersion.objects.create(plan=plan, number=number, saved_by=actor, snapshot=plan_snapshot(plan))


def _touch(plan: Plan, actor: User | None) -> None:
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    _record_version(plan, actor, "the costing")


# The plan ---------------------------------------------------------------------------------------------------


def plan_create(*, owner: User, actor: User, consent: bool, starts_on: date, title: str = "My support plan") -> Plan:
    if owner.pk not in selectors.editor_owner_ids(actor):
        raise PermissionDenied(_("You can only start a plan for yourself, or for someone you act for."))
    if not consent:
        raise ValidationError(
            {"consent": [_("Tick the box to agree that Open Circle may keep your plan, or leave this page.")]}
        )
    require_the_person(owner, actor)  # agreeing to keep a plan is the person's own choice, never a helper's
    plan = Plan(owner=owner, starts_on=starts_on, title=(title or "").strip() or "My support plan")
    plan.consent_given_at = timezone.now()
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        _record_version(plan, actor)
    return plan


def plan_consent_give(*, plan: Plan, actor: User) -> Plan:
    """The person agrees we may keep their plan. Only they can (``OnlyThePersonCanAgree`` for a proxy)."""
    _require_editor(plan, actor)
    require_the_person(plan.owner, actor)
    if plan.consent_given_at is None:
        with transaction.atomic():
            plan.consent_given_at = timezone.now()
            plan.save(update_fields=["consent_given_at", "updated_at"])
            consent_confirm_announce(person=actor, key=f"plan-consent:{plan.pk}")
    return plan


def section_save(*, plan: Plan, actor: User, key: str, text: str, help_level: int | None = None) -> Plan:
    _require_editor(plan, actor)
    _require_consent(plan)
    if key not in SECTION_KEYS:
        raise ValidationError({"key": [_("There is no such part of the plan.")]})
    text = (text or "").replace("\x00", "").strip()
    if len(text) > MAX_SECTION_CHARS:
        raise ValidationError(
            {
                "text": [
                    _("Keep this part under %(count)s characters. Shorten it a little.")
                    % {"count": f"{MAX_SECTION_CHARS:,}"}
                ]
            }
        )
    setattr(plan, key, text)
    if help_level is not None:
        if help_level not in HELP_LEVELS:
            raise ValidationError({"help_level": [_("Choose level 1, 2 or 3.")]})
        plan.help_levels = {**plan.help_levels, key: help_level}
    with transaction.atomic():
        plan.save(update_fields=[key, "help_levels", "updated_at"])
        _record_version(plan, actor, str(BY_KEY[key].title))
    return plan


def plan_settings_save(
    *,
    plan: Plan,
    actor: User,
    title: str,
    starts_on: date,
    employment_allowance: bool,
    insurance_pence: int,
    payroll_pence_month: int,
    contingency_percent: int,
    easy_read: bool = False,
) -> Plan:
    _require_editor(plan, actor)
    _require_consent(plan)
    errors: dict[str, list[str]] = {}
    if not 0 <= insurance_pence <= MAX_LINE_PENCE:
        errors["insurance"] = [_("Enter the yearly insurance premium in pounds, for example 90.00, or 0.")]
    if not 0 <= payroll_pence_month <= MAX_LINE_PENCE:
        errors["payroll"] = [_("Enter the monthly payroll fee in pounds, for example 15.00, or 0.")]
    if not 0 <= contingency_percent <= 50:
        errors["contingency_percent"] = [
            _("Choose a contingency between %(low)s and %(high)s.") % {"low": "0%", "high": "50%"}
        ]
    if errors:
        raise ValidationError(errors)
    plan.title = (title or "").strip()[:80] or "My support plan"
    plan.starts_on = starts_on
    plan.employment_allowance = employment_allowance
    plan.insurance_pence = insurance_pence
    plan.payroll_pence_month = payroll_pence_month
    plan.contingency_percent = contingency_percent
    plan.easy_read = easy_read
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        _record_version(plan, actor, "the plan's settings and employer costs")
    return plan


def plan_copy_what_if(*, plan: Plan, actor: User) -> Plan:
    """A 'what if' copy of the plan, with its lines, to try another way of spending the budget."""
    _require_editor(plan, actor)
    _require_consent(plan)
    original = plan.what_if_of or plan
    with transaction.atomic():
        copy = Plan.objects.get(pk=plan.pk)
        lines = list(plan.lines.all())
        copy.pk = None
        copy.id = None
        copy.what_if_of = original
        copy.title = f"What if: {plan.title}"[:80]
        copy.save()
        for line in lines:
            line.pk = None
            line.id = None
            line.plan = copy
        SupportLine.objects.bulk_create(lines)
        _record_version(copy, actor)
    return copy


def plan_delete(*, plan: Plan, actor: User) -> None:
    _require_editor(plan, actor)
    plan.delete()


# Support lines ----------------------------------------------------------------------------------------------


def _check_line(line: SupportLine) -> None:
    errors: dict[str, list[str]] = {}
    line.title = (line.title or "").strip()
    if not line.title:
        errors["title"] = [_("Give this line a name, for example 'Morning PA' or 'Choir subs'.")]
    elif len(line.title) > 120:
        errors["title"] = [_("Keep the name under 120 characters.")]
    if line.kind in (K.EMPLOYED_PA, K.SELF_EMPLOYED, K.AGENCY):
        if problem := _weekly_hours_problem(line.hours_per_week):
            errors["hours_per_week"] = [problem]
        if not line.hourly_pence or not 0 < line.hourly_pence <= MAX_HOURLY_PENCE:
            errors["hourly"] = [
                _("Enter the hourly rate in pounds, between £0.01 and %(max)s.") % {"max": pounds(MAX_HOURLY_PENCE)}
            ]
    elif line.kind in (K.PACKAGE, K.ONE_OFF):
        if not line.amount_pence or not 0 < line.amount_pence <= MAX_LINE_PENCE:
            errors["amount"] = [
                _("Enter the cost in pounds, between £0.01 and %(max)s.") % {"max": pounds(MAX_LINE_PENCE)}
            ]
        if not 1 <= (line.times_per_year or 0) <= 365:
            errors["times_per_year"] = [_("Enter how many times a year, from 1 to 365.")]
    elif line.kind in (K.COMMUNITY, K.PEER):
        if line.weekly_pence is None:
            line.weekly_pence = 0
        if not 0 <= line.weekly_pence <= MAX_LINE_PENCE:
            errors["weekly"] = [_("Enter the cost a week in pounds, or 0 if it is free.")]
    else:
        errors["kind"] = [_("Choose what kind of support this is.")]
    if line.age_band not in AgeBand.values:
        errors["age_band"] = [_("Choose the PA's age band.")]
    if line.pension not in SupportLine.Pension.values:
        errors["pension"] = [_("Choose what happens about a pension.")]
    if line.section and line.section not in SECTION_KEYS:
        errors["section"] = [_("Choose a part of the plan, or leave it blank.")]
    if errors:
        raise ValidationError(errors)


HOURS_IN_WEEK = 168


def _weekly_hours_problem(hours: Decimal | None) -> str:
    if hours is None:
        return _("Enter the hours a week.")
    hours = Decimal(hours)
    if hours > HOURS_IN_WEEK:
        return _("A week has 168 hours. Enter at most 168.")
    # The rest (zero, quarter hours) as for any hours; payments' "24 hours a day" check cannot trigger here,
    # since 7 days of 24 hours is the week's limit checked above.
    return hours_problem(hours, 7)


def line_add(
    *,
    plan: Plan,
    actor: User,
    kind: str,
    title: str,
    hours_per_week: Decimal | None = None,
    hourly_pence: int | None = None,
    weekly_pence: int | None = None,
    amount_pence: int | None = None,
    times_per_year: int = 1,
    age_band: str = AgeBand.ADULT,
    irregular_hours: bool = False,
    pension: str = SupportLine.Pension.RULES,
    section: str = "",
) -> SupportLine:
    _require_editor(plan, actor)
    _require_consent(plan)
    line = SupportLine(
        plan=plan,
        kind=kind,
        title=title,
        hours_per_week=hours_per_week,
        hourly_pence=hourly_pence,
        weekly_pence=weekly_pence,
        amount_pence=amount_pence,
        times_per_year=times_per_year,
        age_band=age_band,
        irregular_hours=irregular_hours,
        pension=pension,
        section=section,
    )
    _check_line(line)
    with transaction.atomic():
        line.save()
        _touch(plan, actor)
    return line


EDITABLE_LINE_FIELDS = (
    "title",
    "hours_per_week",
    "hourly_pence",
    "weekly_pence",
    "amount_pence",
    "times_per_year",
    "age_band",
    "irregular_hours",
    "pension",
    "section",
)


def line_update(*, line: SupportLine, actor: User, **changes: Any) -> SupportLine:
    plan = line.plan
    _require_editor(plan, actor)
    _require_consent(plan)
    unknown = set(changes) - set(EDITABLE_LINE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if line.package_id and {"amount_pence"} & set(changes):
        raise ValidationError({"amount": [_("This is the price on their offer. Remove the line to choose another.")]})
    for name, value in changes.items():
        setattr(line, name, value)
    _check_line(line)
    with transaction.atomic():
        line.save()
        _touch(plan, actor)
    return line


def line_remove(*, line: SupportLine, actor: User) -> None:
    plan = line.plan
    _require_editor(plan, actor)
    with transaction.atomic():
        line.delete()
        _touch(plan, actor)


def line_add_from_register(
    *,
    plan: Plan,
    actor: User,
    profile: Profile,
    package: Package | None = None,
    hours_per_week: Decimal | None = None,
    section: str = "",
) -> SupportLine:
    """Someone from the register (found through the plan's suggestions) as a line, at the price on their offer:
    a package, their hourly rate for some hours a week, or £0 for a peer advisor (volunteers)."""
    if package is not None and package.profile_id != profile.pk:
        raise ValidationError({"package": [_("That package is not on this person's offer.")]})
    name = profile.display_name
    if package is not None:
        line = line_add(
            plan=plan,
            actor=actor,
            kind=K.PACKAGE,
            title=f"{package.name} from {name}"[:120],
            amount_pence=package.price_pence,
            section=section,
        )
        SupportLine.objects.filter(pk=line.pk).update(profile=profile, package=package)
    elif profile.role == Profile.Role.PEER_ADVISOR or profile.hourly_rate is None:
        line = line_add(plan=plan, actor=actor, kind=K.PEER, title=f"{name} ({profile.get_role_display()})"[:120],
                        weekly_pence=0, section=section)  # fmt: skip
        SupportLine.objects.filter(pk=line.pk).update(profile=profile)
    else:
        line = line_add(
            plan=plan,
            actor=actor,
            kind=K.SELF_EMPLOYED,
            title=f"{name} ({profile.get_role_display()})"[:120],
            hours_per_week=hours_per_week if hours_per_week is not None else Decimal("1"),
            hourly_pence=int(profile.hourly_rate * 100),
            section=section,
        )
        SupportLine.objects.filter(pk=line.pk).update(profile=profile)
    line.refresh_from_db()
    return line


def add_resource_line(*, user: User, resource_id: int, title: str, weekly_cost_pence: int = 0) -> SupportLine:
    """A community resource (from the community app) added to the person's current plan, starting a plan if
    they have none. A plan started this way holds only this line until the person agrees to keep their plan:
    its pages ask for that before anything they write is saved."""
    if not isinstance(resource_id, int) or resource_id <= 0:
        raise ValidationError({"resource_id": [_("That community resource was not found.")]})
    if not isinstance(weekly_cost_pence, int) or not 0 <= weekly_cost_pence <= MAX_LINE_PENCE:
        raise ValidationError({"weekly": [_("Enter the cost a week in pounds, or 0 if it is free.")]})
    with transaction.atomic():
        plan = selectors.current_plan(user)
        if plan is None:
            plan = Plan.objects.create(owner=user, starts_on=timezone.localdate())
        line = SupportLine(
            plan=plan,
            kind=K.COMMUNITY,
            title=(title or "").strip()[:120],  # a resource's name can be longer than a line's
            weekly_pence=weekly_cost_pence,
            community_resource_id=resource_id,
        )
        _check_line(line)
        line.save()
        _touch(plan, user)
    return line


# Sharing and comments ---------------------------------------------------------------------------------------


def plan_share(*, plan: Plan, actor: User, user: User, role: str) -> PlanShare:
    _require_editor(plan, actor)
    _require_consent(plan)
    if role not in PlanShare.Role.values:
        raise ValidationError({"role": [_("Choose who they are to you.")]})
    if user.pk == plan.owner_id:
        raise ValidationError({"person": [_("This is your own plan: you can already see it.")]})
    if not user.is_active:
        raise ValidationError({"person": [_("We could not find that person. Check and try again.")]})
    existing = PlanShare.objects.filter(plan=plan, user=user, revoked_at__isnull=True).first()
    if existing:
        return existing
    with transaction.atomic():
        share = PlanShare.objects.create(plan=plan, user=user, role=role)
        # Fixed wording and the plan's page only: never its title, the person's name or their words.
        notification_send(recipient=user, kind=NotificationKind.PLAN_SHARED, link=_plan_link(plan))
    return share


def _plan_link(plan: Plan, anchor: str = "") -> str:
    from django.urls import reverse

    return reverse("planning:overview", args=[plan.pk]) + anchor


def share_revoke(*, share: PlanShare, actor: User) -> PlanShare:
    _require_editor(share.plan, actor)
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def comment_add(*, plan: Plan, actor: User, text: str) -> PlanComment:
    """Anyone who may read the plan may comment (shared people cannot change it)."""
    try:
        selectors.plan_for_reader(viewer=actor, pk=plan.pk)
    except Http404 as error:  # not theirs to see
        raise PermissionDenied(_("You cannot comment on this plan.")) from error
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a comment before sending it.")]})
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {"text": [_("Keep a comment under %(count)s characters.") % {"count": f"{MAX_COMMENT_CHARS:,}"}]}
        )
    number = plan.versions.aggregate(top=Max("number"))["top"] or 0
    with transaction.atomic():
        comment = PlanComment.objects.create(plan=plan, author=actor, text=text, version_number=number)
        # The other side hears of it: the owner, and everyone the plan is shared with, except the author.
        readers = {
            plan.owner_id,
            *PlanShare.objects.filter(plan=plan, revoked_at__isnull=True).values_list("user_id", flat=True),
        }
        for recipient_id in sorted(readers - {actor.pk}):
            notification_send(
                recipient=recipient_id, kind=NotificationKind.PLAN_COMMENT, link=_plan_link(plan, "#comments")
            )
    return comment


# The rates table (the operator, through the admin) ----------------------------------------------------------


RATE_FRACTIONS = ("employer_ni_rate", "ae_employer_rate", "irregular_holiday_rate")


def rates_table_save(*, table: RatesTable, actor: User) -> RatesTable:
    """Save one tax year's figures after checking they make sense together. Staff only."""
    if not (actor.is_staff and actor.is_active):
        raise PermissionDenied(_("Only the site operator can change the rates."))
    rates_table_check(table)
    table.full_clean()
    table.updated_by = actor
    table.save()
    return table


def rates_table_check(table: RatesTable) -> None:
    """The checks ``rates_table_save`` makes, also run by the admin form so they show next to the fields."""
    errors: dict[str, list[str]] = {}
    if table.tax_year_start and (table.tax_year_start.month, table.tax_year_start.day) != (4, 6):
        errors["tax_year_start"] = [_("A UK tax year starts on 6 April.")]
    for name in RATE_FRACTIONS:
        value = getattr(table, name)
        if value is None or not Decimal("0") <= value < Decimal("1"):
            errors[name] = [_("Enter a fraction between 0 and 1, for example 0.15 for 15%.")]
    lower, upper = table.qe_lower_pence, table.qe_upper_pence
    if lower is not None and upper is not None and lower >= upper:
        errors["qe_upper_pence"] = [_("The upper limit must be above the lower limit.")]
    if (
        table.min_wage_21_plus_pence is not None
        and table.min_wage_18_20_pence is not None
        and table.min_wage_18_20_pence > table.min_wage_21_plus_pence
    ):
        errors["min_wage_18_20_pence"] = [_("The 18 to 20 rate cannot be above the National Living Wage.")]
    if table.holiday_weeks is not None and not Decimal("0") <= table.holiday_weeks <= 52:
        errors["holiday_weeks"] = [_("Enter the weeks of holiday a year, for example 5.6.")]
    if not isinstance(table.sources, dict):
        errors["sources"] = ['Enter the sources as {"field name": "where it comes from"}.']
    if errors:
        raise ValidationError(errors)
