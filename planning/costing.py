"""Costing a support plan: pure functions over whole pence (the rules are written down in docs/planning.md).

Nothing here reads the database: callers pass the plan's lines, its employer settings, a ``Rates`` for the
tax year the plan starts in and, if there is one, the budget. So the costing tests are worked examples.

Rounding: every figure is worked out for a year (52 weeks) with exact Decimal arithmetic and rounded once,
half up, to a whole penny, line by line. Totals are sums of those rounded lines. A week, a budget period
are the year's total divided (52 weeks; 13 four-week periods; 12 months) and rounded half up again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.models import pounds

WEEKS_A_YEAR = 52
STATUS_TOOL = "https://www.gov.uk/guidance/check-employment-status-for-tax"
PERIODS_A_YEAR = {"weekly": 52, "four_weekly": 13, "monthly": 12, "yearly": 1}
PERIOD_WORDS = {
    "weekly": gettext_lazy("a week"),
    "four_weekly": gettext_lazy("every four weeks"),
    "monthly": gettext_lazy("a month"),
    "yearly": gettext_lazy("a year"),
}


def round_pence(value: Decimal) -> int:
    """Half up to a whole penny: 0.5p and above rounds up."""
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def share(annual_pence: int, parts: int) -> int:
    """One of ``parts`` equal parts of a year's figure, rounded half up (52 for a week, 12 for a month)."""
    return round_pence(Decimal(annual_pence) / parts)


@dataclass(frozen=True)
class Rates:
    """The figures for one tax year (planning.models.RatesTable holds them, with sources)."""

    label: str
    min_wage_21_plus_pence: int
    min_wage_18_20_pence: int
    min_wage_16_17_pence: int
    min_wage_apprentice_pence: int
    employer_ni_rate: Decimal
    ni_secondary_threshold_pence: int
    employment_allowance_pence: int
    ae_trigger_pence: int
    qe_lower_pence: int
    qe_upper_pence: int
    ae_employer_rate: Decimal
    holiday_weeks: Decimal
    irregular_holiday_rate: Decimal

    @classmethod
    def from_table(cls, table) -> Rates:
        return cls(**{name: getattr(table, name) for name in cls.__dataclass_fields__})

    def min_wage_for(self, band: str) -> int:
        return {
            "21_plus": self.min_wage_21_plus_pence,
            "18_20": self.min_wage_18_20_pence,
            "under_18": self.min_wage_16_17_pence,
            "apprentice": self.min_wage_apprentice_pence,
        }[band]


class LineLike(Protocol):
    """What a support line needs for costing (planning.models.SupportLine, or a test's stand-in)."""

    @property
    def pk(self) -> int | None: ...

    @property
    def kind(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def hours_per_week(self) -> Decimal | None: ...

    @property
    def hourly_pence(self) -> int | None: ...

    @property
    def weekly_pence(self) -> int | None: ...

    @property
    def amount_pence(self) -> int | None: ...

    @property
    def times_per_year(self) -> int: ...

    @property
    def age_band(self) -> str: ...

    @property
    def irregular_hours(self) -> bool: ...

    @property
    def pension(self) -> str: ...


@dataclass(frozen=True)
class Employer:
    """What the person told us about themselves as an employer."""

    employment_allowance: bool = False
    insurance_pence: int = 0  # a year
    payroll_pence_month: int = 0
    contingency_percent: int = 0


@dataclass
class CostRow:
    label: str
    annual_pence: int
    explanation: str = ""

    @property
    def annual(self) -> str:
        return pounds(self.annual_pence)

    @property
    def weekly(self) -> str:
        return pounds(share(self.annual_pence, WEEKS_A_YEAR))


@dataclass
class LineCost:
    line_id: int | None
    title: str
    kind: str
    rows: list[CostRow]
    warnings: list[str] = field(default_factory=list)
    employer_ni_pence: int = 0  # before the Employment Allowance, which is taken off the plan's total

    @property
    def annual_pence(self) -> int:
        return sum(row.annual_pence for row in self.rows)

    @property
    def annual(self) -> str:
        return pounds(self.annual_pence)

    @property
    def weekly(self) -> str:
        return pounds(share(self.annual_pence, WEEKS_A_YEAR))


@dataclass
class BudgetCompare:
    period: str
    budget_period_pence: int
    cost_period_pence: int
    budget_annual_pence: int
    cost_annual_pence: int

    @property
    def words(self) -> str:
        return str(PERIOD_WORDS[self.period])

    @property
    def difference_period_pence(self) -> int:
        """Budget minus cost: negative when the plan costs more than the budget."""
        return self.budget_period_pence - self.cost_period_pence

    @property
    def difference_annual_pence(self) -> int:
        return self.budget_annual_pence - self.cost_annual_pence

    @property
    def over(self) -> bool:
        return self.difference_annual_pence < 0

    @property
    def summary(self) -> str:
        if self.over:
            return _("Over budget by %(amount)s %(period)s (%(annual)s a year).") % {
                "amount": pounds(-self.difference_period_pence),
                "period": self.words,
                "annual": pounds(-self.difference_annual_pence),
            }
        return _("Under budget by %(amount)s %(period)s (%(annual)s a year).") % {
            "amount": pounds(self.difference_period_pence),
            "period": self.words,
            "annual": pounds(self.difference_annual_pence),
        }


@dataclass
class PlanCost:
    lines: list[LineCost]
    employer_rows: list[CostRow]
    rates_label: str
    budget: BudgetCompare | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def annual_pence(self) -> int:
        return sum(line.annual_pence for line in self.lines) + sum(row.annual_pence for row in self.employer_rows)

    @property
    def weekly_pence(self) -> int:
        return share(self.annual_pence, WEEKS_A_YEAR)

    @property
    def annual(self) -> str:
        return pounds(self.annual_pence)

    @property
    def weekly(self) -> str:
        return pounds(self.weekly_pence)

    @property
    def warnings(self) -> list[str]:
        return [warning for line in self.lines for warning in line.warnings]


# One line ---------------------------------------------------------------------------------------------------


def _hours(line: LineLike) -> Decimal:
    return Decimal(line.hours_per_week or 0)


def _hourly_year(line: LineLike) -> int:
    return round_pence(_hours(line) * (line.hourly_pence or 0) * WEEKS_A_YEAR)


def employed_pa_cost(line: LineLike, rates: Rates) -> LineCost:
    """Wages, holiday pay, employer NI (before any allowance) and pension for one PA the person employs."""
    hours, hourly = _hours(line), line.hourly_pence or 0
    wages = round_pence(hours * hourly * WEEKS_A_YEAR)
    rows = [
        CostRow(
            _("Wages"),
            wages,
            _("%(hours)s hours a week at %(rate)s an hour, for %(weeks)s weeks.")
            % {"hours": f"{hours.normalize():f}", "rate": pounds(hourly), "weeks": WEEKS_A_YEAR},
        )
    ]
    if line.irregular_hours:
        holiday = round_pence(wages * rates.irregular_holiday_rate)
        rows.append(
            CostRow(
                _("Holiday pay"),
                holiday,
                _("For irregular hours, holiday builds up at %(rate)s of the hours worked.")
                % {"rate": _percent(rates.irregular_holiday_rate)},
            )
        )
    else:
        holiday = round_pence(hours * hourly * rates.holiday_weeks)
        rows.append(
            CostRow(
                _("Holiday pay"),
                holiday,
                _(
                    "Every PA has %(weeks)s weeks' paid holiday a year. "
                    "You pay them while they are away, and pay for cover as wages."
                )
                % {"weeks": f"{rates.holiday_weeks.normalize():f}"},
            )
        )
    gross = wages + holiday
    ni = round_pence(max(0, gross - rates.ni_secondary_threshold_pence) * rates.employer_ni_rate)
    rows.append(
        CostRow(
            _("Employer National Insurance"),
            ni,
            _(
                "%(rate)s of pay above %(threshold)s a year (worked out for the year; payroll works it out each pay day)."
            )
            % {"rate": _percent(rates.employer_ni_rate), "threshold": pounds(rates.ni_secondary_threshold_pence)},
        )
    )
    enrolled = line.pension == "opted_in" and gross > rates.qe_lower_pence
    enrolled = enrolled or (line.pension == "rules" and gross > rates.ae_trigger_pence)
    if enrolled:
        qualifying = max(0, min(gross, rates.qe_upper_pence) - rates.qe_lower_pence)
        pension = round_pence(qualifying * rates.ae_employer_rate)
        rows.append(
            CostRow(
                _("Workplace pension"),
                pension,
                _(
                    "%(rate)s of pay between %(lower)s and %(upper)s a year. "
                    "A PA earning over %(trigger)s a year must be put in a pension."
                )
                % {
                    "rate": _percent(rates.ae_employer_rate),
                    "lower": pounds(rates.qe_lower_pence),
                    "upper": pounds(rates.qe_upper_pence),
                    "trigger": pounds(rates.ae_trigger_pence),
                },
            )
        )
    elif line.pension == "opted_out":
        rows.append(CostRow(_("Workplace pension"), 0, _("Your PA chose to opt out, so you pay nothing for now.")))
    else:
        rows.append(
            CostRow(
                _("Workplace pension"),
                0,
                _(
                    "Pay is under %(trigger)s a year, so you do not have to put this PA in a "
                    "pension unless they ask to join."
                )
                % {"trigger": pounds(rates.ae_trigger_pence)},
            )
        )
    cost = LineCost(line.pk, line.title, line.kind, rows, employer_ni_pence=ni)
    minimum = rates.min_wage_for(line.age_band)
    if hourly < minimum:
        cost.warnings.append(
            _(
                "%(title)s: %(rate)s an hour is below the legal minimum of %(minimum)s an hour "
                "(%(rates)s) for their age. You must pay at least %(minimum)s."
            )
            % {"title": line.title, "rate": pounds(hourly), "minimum": pounds(minimum), "rates": rates.label}
        )
    return cost


def line_cost(line: LineLike, rates: Rates) -> LineCost:
    kind = line.kind
    if kind == "employed_pa":
        return employed_pa_cost(line, rates)
    if kind in ("self_employed", "agency"):
        hours = _hours(line)
        figures = {"hours": f"{hours.normalize():f}", "rate": pounds(line.hourly_pence), "weeks": WEEKS_A_YEAR}
        if kind == "self_employed":
            explanation = (
                _(
                    "%(hours)s hours a week at %(rate)s an hour, for %(weeks)s weeks. "
                    "They pay their own tax, holiday and pension out of this."
                )
                % figures
            )
        else:
            explanation = (
                _(
                    "%(hours)s hours a week at %(rate)s an hour, for %(weeks)s weeks. "
                    "The agency pay their own tax, holiday and pension out of this."
                )
                % figures
            )
        row = CostRow(_("Hours"), _hourly_year(line), explanation)
        return LineCost(line.pk, line.title, kind, [row])
    if kind in ("package", "one_off"):
        times = line.times_per_year or 1
        amount = (line.amount_pence or 0) * times
        if times == 1:
            explanation = _("%(amount)s, once a year.") % {"amount": pounds(line.amount_pence)}
        else:
            explanation = _("%(amount)s, %(times)s times a year.") % {
                "amount": pounds(line.amount_pence),
                "times": times,
            }
        label = _("Package") if kind == "package" else _("One-off purchase")
        return LineCost(line.pk, line.title, kind, [CostRow(label, amount, explanation)])
    # community resource or peer advisor: a fixed amount a week, often nothing
    weekly = line.weekly_pence or 0
    if weekly == 0:
        explanation = _("Free.")
    else:
        explanation = _("%(amount)s a week for %(weeks)s weeks.") % {"amount": pounds(weekly), "weeks": WEEKS_A_YEAR}
    return LineCost(line.pk, line.title, kind, [CostRow(_("Cost"), weekly * WEEKS_A_YEAR, explanation)])


# The plan ---------------------------------------------------------------------------------------------------


def plan_cost(
    lines: Iterable[LineLike],
    employer: Employer,
    rates: Rates,
    budget_amount_pence: int | None = None,
    budget_period: str | None = None,
) -> PlanCost:
    costs = [line_cost(line, rates) for line in lines]
    employed = [cost for cost in costs if cost.kind == "employed_pa"]
    rows: list[CostRow] = []
    if employed:
        ni_total = sum(cost.employer_ni_pence for cost in employed)
        allowance = 0
        if employer.employment_allowance and ni_total:
            allowance = min(ni_total, rates.employment_allowance_pence)
            rows.append(
                CostRow(
                    _("Employment Allowance"),
                    -allowance,
                    _(
                        "You said you can claim it: up to %(amount)s a year off your employer National Insurance. "
                        "Employers of care and support workers can claim it."
                    )
                    % {"amount": pounds(rates.employment_allowance_pence)},
                )
            )
        if employer.insurance_pence:
            rows.append(
                CostRow(
                    _("Employer's liability insurance"),
                    employer.insurance_pence,
                    _(
                        "The law says you need it as soon as you employ someone. This is the yearly premium you entered."
                    ),
                )
            )
        if employer.payroll_pence_month:
            rows.append(
                CostRow(
                    _("Payroll service"),
                    employer.payroll_pence_month * 12,
                    _("%(amount)s a month for someone to work out pay, tax and NI.")
                    % {"amount": pounds(employer.payroll_pence_month)},
                )
            )
        if employer.contingency_percent:
            base = sum(cost.annual_pence for cost in employed) - allowance
            rows.append(
                CostRow(
                    _("Contingency"),
                    round_pence(Decimal(base) * employer.contingency_percent / 100),
                    _(
                        "The %(percent)s you chose to keep aside for your PAs' costs: sickness "
                        "cover, maternity pay, redundancy or a pay rise."
                    )
                    % {"percent": f"{employer.contingency_percent}%"},
                )
            )
    result = PlanCost(costs, rows, rates.label)
    if employed or any(cost.kind == "self_employed" for cost in costs):
        result.notes.append(
            _(
                "Whether a PA is employed or self-employed depends on how they work, not on what you call it. "
                "Open Circle does not decide this: use HMRC's employment status tool (%(url)s)."
            )
            % {"url": STATUS_TOOL}
        )
    if budget_amount_pence is not None and budget_period in PERIODS_A_YEAR:
        parts = PERIODS_A_YEAR[budget_period]
        result.budget = BudgetCompare(
            period=budget_period,
            budget_period_pence=budget_amount_pence,
            cost_period_pence=share(result.annual_pence, parts),
            budget_annual_pence=budget_amount_pence * parts,
            cost_annual_pence=result.annual_pence,
        )
    return result


def _percent(rate: Decimal) -> str:
    return f"{(Decimal(rate) * 100).normalize():f}%"
