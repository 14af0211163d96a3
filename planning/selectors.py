"""Reads with permission rules for support plans. Another person's plan, line or share is a 404.

Who may see a plan: its owner, anyone with an active proxy link from the owner (they may also change it),
and the people the owner shared it with (they may read and comment, not change). Nobody else, staff included,
sees it through these pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from matching import selectors as matching_selectors
from payments.models import Budget, Package
from profiles.models import Profile, ProxyLink, User

from . import costing
from .models import Plan, PlanShare, RatesTable, SupportLine, tax_year_start
from .prompts import SECTION_KEYS


def editor_owner_ids(viewer: User) -> set[int]:
    """The people whose plans ``viewer`` may change: themselves and anyone they act for."""
    if not viewer.is_authenticated:
        return set()
    acting_for = ProxyLink.objects.filter(proxy=viewer, revoked_at__isnull=True).values_list("seeker_id", flat=True)
    return {viewer.pk, *acting_for}


def can_edit(plan: Plan, viewer: User) -> bool:
    return plan.owner_id in editor_owner_ids(viewer)


def plans_for(viewer: User) -> QuerySet[Plan]:
    """The plans (not the what-if copies) the viewer may change, their own first."""
    return Plan.objects.filter(owner_id__in=editor_owner_ids(viewer), what_if_of__isnull=True).select_related("owner")


def current_plan(owner: User) -> Plan | None:
    """The person's own plan: the most recent one that is not a what-if copy."""
    return Plan.objects.filter(owner=owner, what_if_of__isnull=True).order_by("-pk").first()


def plans_shared_with(viewer: User) -> QuerySet[Plan]:
    if not viewer.is_authenticated:
        return Plan.objects.none()
    ids = PlanShare.objects.filter(user=viewer, revoked_at__isnull=True).values("plan_id")
    return Plan.objects.filter(pk__in=ids).select_related("owner")


def plan_for_editor(*, viewer: User, pk: int) -> Plan:
    plan = Plan.objects.filter(pk=pk, owner_id__in=editor_owner_ids(viewer)).select_related("owner").first()
    if plan is None:
        raise Http404
    return plan


def plan_for_reader(*, viewer: User, pk: int) -> tuple[Plan, bool]:
    """The plan and whether the viewer may change it; 404 unless they own it, act for its owner or it was shared."""
    if not viewer.is_authenticated:
        raise Http404
    shared = PlanShare.objects.filter(user=viewer, revoked_at__isnull=True).values("plan_id")
    plan = (
        Plan.objects.filter(Q(owner_id__in=editor_owner_ids(viewer)) | Q(pk__in=shared), pk=pk)
        .select_related("owner")
        .first()
    )
    if plan is None:
        raise Http404
    return plan, can_edit(plan, viewer)


def line_for_editor(*, viewer: User, pk: int) -> SupportLine:
    line = SupportLine.objects.filter(pk=pk, plan__owner_id__in=editor_owner_ids(viewer)).select_related("plan").first()
    if line is None:
        raise Http404
    return line


def share_for_editor(*, viewer: User, pk: int) -> PlanShare:
    share = PlanShare.objects.filter(pk=pk, plan__owner_id__in=editor_owner_ids(viewer)).select_related("plan").first()
    if share is None:
        raise Http404
    return share


def active_shares(plan: Plan) -> QuerySet[PlanShare]:
    return plan.shares.filter(revoked_at__isnull=True).select_related("user")


# Rates and costing --------------------------------------------------------------------------------------------


@dataclass
class ChosenRates:
    table: RatesTable | None
    note: str = ""


def rates_for(day: date) -> ChosenRates:
    """The rates table for the tax year ``day`` falls in; the nearest earlier (or first) year, with a note, if
    the operator has not added that year yet."""
    start = tax_year_start(day)
    table = RatesTable.objects.filter(tax_year_start__lte=start).order_by("-tax_year_start").first()
    if table is not None and table.tax_year_start == start:
        return ChosenRates(table)
    table = table or RatesTable.objects.order_by("tax_year_start").first()
    if table is None:
        return ChosenRates(
            None, _("No rates are set up yet, so employed PAs cannot be costed. Tell the site operator.")
        )
    year = f"{start.year}/{str(start.year + 1)[2:]}"
    return ChosenRates(
        table,
        _("The figures for %(year)s are not in yet, so this uses %(label)s's figures.")
        % {"year": year, "label": table.label},
    )


def plan_costing(plan: Plan) -> tuple[costing.PlanCost | None, str]:
    """The plan's costing against the owner's budget record (payments), with a note about the rates used."""
    chosen = rates_for(plan.starts_on)
    if chosen.table is None:
        return None, chosen.note
    budget = Budget.objects.filter(user_id=plan.owner_id).first()
    employer = costing.Employer(
        employment_allowance=plan.employment_allowance,
        insurance_pence=plan.insurance_pence,
        payroll_pence_month=plan.payroll_pence_month,
        contingency_percent=plan.contingency_percent,
    )
    result = costing.plan_cost(
        list(plan.lines.all()),
        employer,
        costing.Rates.from_table(chosen.table),
        budget.amount_pence if budget else None,
        budget.period if budget else None,
    )
    return result, chosen.note


# Suggestions from the register, through the one matching engine ----------------------------------------------


@dataclass
class Suggestion:
    card: matching_selectors.Card
    packages: list[Package]

    @property
    def profile(self) -> Profile:
        return self.card.profile


def parts_wanting_help(plan: Plan) -> list[str]:
    return [key for key in SECTION_KEYS if plan.help_level(key) >= 2]


def suggestions(plan: Plan, viewer: User, top: int = 5) -> dict[str, list[Suggestion]] | None:
    """Brokers and peer advisors for the plan's owner, ranked by matching (the /matches/ engine), each broker
    with the packages on their offer. None when the owner has no seeker profile to match from."""
    seeker = matching_selectors.own_seeker_profile(plan.owner)
    if seeker is None:
        return None
    found: dict[str, list[Suggestion]] = {}
    for role in (Profile.Role.BROKER, Profile.Role.PEER_ADVISOR):
        cards = matching_selectors.match_cards(
            seeker_profile=seeker, viewer=viewer, filters=matching_selectors.MatchFilters(role=role), weights={}
        )[:top]
        packages: dict[int, list[Package]] = {}
        for package in Package.objects.filter(profile_id__in=[card.profile.pk for card in cards]):
            packages.setdefault(package.profile_id, []).append(package)
        found[role] = [Suggestion(card, packages.get(card.profile.pk, [])) for card in cards]
    return found


def register_profile_for(*, viewer: User, ref: str) -> Profile:
    """A listed broker, peer advisor or PA the viewer may see (the register's own rule), else 404."""
    from profiles.selectors import profile_for_viewer

    profile = profile_for_viewer(ref=ref, viewer=viewer)
    if profile.role == Profile.Role.SEEKER or not profile.is_listed:
        raise Http404
    return profile
