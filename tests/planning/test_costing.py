"""Costing worked examples, each checked by hand in the comments (2026/27 figures, a year of 52 weeks).

Rounding (docs/planning.md): each row is worked out for the year exactly and rounded half up to a penny once;
totals add the rounded rows; a week or budget period is the year's total divided, rounded half up again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from planning import costing
from planning.costing import Employer, Rates

RATES_2026 = Rates(
    label="2026/27",
    min_wage_21_plus_pence=12_71,
    min_wage_18_20_pence=10_85,
    min_wage_16_17_pence=8_00,
    min_wage_apprentice_pence=8_00,
    employer_ni_rate=Decimal("0.15"),
    ni_secondary_threshold_pence=5_000_00,
    employment_allowance_pence=10_500_00,
    ae_trigger_pence=10_000_00,
    qe_lower_pence=6_240_00,
    qe_upper_pence=50_270_00,
    ae_employer_rate=Decimal("0.03"),
    holiday_weeks=Decimal("5.6"),
    irregular_holiday_rate=Decimal("0.1207"),
)


@dataclass
class Line:
    kind: str
    title: str = "A line"
    hours_per_week: Decimal | None = None
    hourly_pence: int | None = None
    weekly_pence: int | None = None
    amount_pence: int | None = None
    times_per_year: int = 1
    age_band: str = "21_plus"
    irregular_hours: bool = False
    pension: str = "rules"
    pk: int | None = None


def pa(hours="20", hourly=13_00, **kw) -> Line:
    return Line("employed_pa", "Morning PA", Decimal(hours), hourly, **kw)


def rows(cost: costing.LineCost) -> dict[str, int]:
    return {row.label: row.annual_pence for row in cost.rows}


def test_employed_pa_20_hours_at_13_pounds_regular_hours_auto_enrolled():
    cost = costing.line_cost(pa(), RATES_2026)
    assert rows(cost) == {
        "Wages": 1_352_000,  # 20 h x £13.00 x 52 weeks = £13,520.00
        "Holiday pay": 145_600,  # 20 h x £13.00 x 5.6 weeks = £1,456.00
        # pay £13,520 + £1,456 = £14,976; (£14,976 - £5,000) x 15% = £9,976 x 0.15 = £1,496.40
        "Employer National Insurance": 149_640,
        # £14,976 is over the £10,000 trigger: (£14,976 - £6,240) x 3% = £8,736 x 0.03 = £262.08
        "Workplace pension": 26_208,
    }
    assert cost.annual_pence == 1_673_448  # £13,520 + £1,456 + £1,496.40 + £262.08 = £16,734.48
    assert cost.weekly == "£321.82"  # £16,734.48 / 52 = £321.8169..., rounded half up
    assert cost.warnings == []  # £13.00 is above the £12.71 National Living Wage


def test_with_the_employment_allowance_the_employer_ni_is_taken_off():
    plan = costing.plan_cost([pa()], Employer(employment_allowance=True), RATES_2026)
    # The £1,496.40 of employer NI is under the £10,500 allowance, so all of it comes off.
    assert [(row.label, row.annual_pence) for row in plan.employer_rows] == [("Employment Allowance", -149_640)]
    assert plan.annual_pence == 1_523_808  # £16,734.48 - £1,496.40 = £15,238.08
    assert plan.weekly_pence == 29_304  # £15,238.08 / 52 = £293.04 exactly


def test_without_the_employment_allowance_nothing_comes_off():
    plan = costing.plan_cost([pa()], Employer(employment_allowance=False), RATES_2026)
    assert plan.employer_rows == []
    assert plan.annual_pence == 1_673_448  # £16,734.48, as above


def test_irregular_hours_holiday_builds_up_at_12_07_percent():
    cost = costing.line_cost(pa(irregular_hours=True), RATES_2026)
    assert rows(cost) == {
        "Wages": 1_352_000,  # £13,520.00 as before
        "Holiday pay": 163_186,  # £13,520 x 12.07% = £1,631.864 -> £1,631.86
        # pay £15,151.86; (£15,151.86 - £5,000) x 15% = £1,522.779 -> £1,522.78
        "Employer National Insurance": 152_278,
        # (£15,151.86 - £6,240) x 3% = £8,911.86 x 0.03 = £267.3558 -> £267.36
        "Workplace pension": 26_736,
    }
    assert cost.annual_pence == 1_694_200  # £13,520 + £1,631.86 + £1,522.78 + £267.36 = £16,942.00


def test_a_pa_who_opted_out_of_the_pension_costs_no_pension():
    cost = costing.line_cost(pa(pension="opted_out"), RATES_2026)
    assert rows(cost)["Workplace pension"] == 0
    assert cost.annual_pence == 1_647_240  # £13,520 + £1,456 + £1,496.40 = £16,472.40


def test_a_pa_under_the_earnings_trigger_is_not_auto_enrolled():
    cost = costing.line_cost(pa(hours="8"), RATES_2026)
    assert rows(cost) == {
        "Wages": 540_800,  # 8 h x £13 x 52 = £5,408.00
        "Holiday pay": 58_240,  # 8 h x £13 x 5.6 = £582.40
        "Employer National Insurance": 14_856,  # (£5,990.40 - £5,000) x 15% = £148.56
        "Workplace pension": 0,  # £5,990.40 a year is under the £10,000 trigger
    }
    explanation = cost.rows[-1].explanation
    assert "do not have to put this PA in a pension" in explanation


def test_a_pa_who_asks_to_join_between_the_limits_gets_the_employer_contribution():
    # 10 h x £13 x 52 = £6,760 + holiday 10 x £13 x 5.6 = £728 -> £7,488 pay, above the £6,240 lower limit.
    cost = costing.line_cost(pa(hours="10", pension="opted_in"), RATES_2026)
    assert rows(cost)["Workplace pension"] == 3_744  # (£7,488 - £6,240) x 3% = £37.44


def test_pension_stops_at_the_upper_limit_of_qualifying_earnings():
    # 60 h x £20 x 52 = £62,400 + holiday 60 x £20 x 5.6 = £6,720 -> £69,120, above £50,270.
    cost = costing.line_cost(pa(hours="60", hourly=20_00), RATES_2026)
    assert rows(cost)["Workplace pension"] == 132_090  # (£50,270 - £6,240) x 3% = £1,320.90


def test_self_employed_pa_at_16_pounds_an_hour():
    cost = costing.line_cost(Line("self_employed", "Sam", Decimal("10"), 16_00), RATES_2026)
    assert cost.annual_pence == 832_000  # 10 h x £16 x 52 = £8,320.00, no on-costs: they pay their own
    assert cost.weekly == "£160.00"
    assert len(cost.rows) == 1


def test_a_brokers_package_is_its_price_times_how_often():
    once = costing.line_cost(Line("package", "Support plan written with you", amount_pence=350_00), RATES_2026)
    assert once.annual_pence == 35_000  # £350, once a year
    assert once.weekly == "£6.73"  # £350 / 52 = £6.7307... -> £6.73
    quarterly = costing.line_cost(Line("package", "Review", amount_pence=120_00, times_per_year=4), RATES_2026)
    assert quarterly.annual_pence == 48_000  # £120 x 4 = £480


def test_a_peer_advisor_at_nothing():
    cost = costing.line_cost(Line("peer", "Asha (peer advisor)", weekly_pence=0), RATES_2026)
    assert cost.annual_pence == 0
    assert cost.rows[0].explanation == "Free."


def test_an_agency_and_a_one_off_purchase():
    agency = costing.line_cost(Line("agency", "Night agency", Decimal("7.5"), 24_50), RATES_2026)
    assert agency.annual_pence == 955_500  # 7.5 h x £24.50 x 52 = £9,555.00
    one_off = costing.line_cost(Line("one_off", "Shower chair", amount_pence=89_99), RATES_2026)
    assert one_off.annual_pence == 8_999


def test_insurance_payroll_and_contingency_each_on_their_own_line():
    employer = Employer(
        employment_allowance=True, insurance_pence=90_00, payroll_pence_month=15_00, contingency_percent=5
    )
    plan = costing.plan_cost([pa()], employer, RATES_2026)
    assert [(row.label, row.annual_pence) for row in plan.employer_rows] == [
        ("Employment Allowance", -149_640),
        ("Employer's liability insurance", 9_000),  # £90 a year
        ("Payroll service", 18_000),  # £15 x 12 months = £180
        # 5% of the PA's cost after the allowance: £15,238.08 x 5% = £761.904 -> £761.90
        ("Contingency", 76_190),
    ]
    assert plan.annual_pence == 1_626_998  # £15,238.08 + £90 + £180 + £761.90 = £16,269.98
    assert all(row.explanation for row in plan.employer_rows)


def test_a_plan_against_a_four_weekly_budget_goes_from_over_to_under_when_hours_change():
    lines = [
        pa(),
        Line("self_employed", "Sam", Decimal("10"), 16_00),
        Line("package", "Support plan", amount_pence=350_00),
        Line("peer", "Asha", weekly_pence=0),
    ]
    employer = Employer(employment_allowance=True)
    plan = costing.plan_cost(lines, employer, RATES_2026, 1_800_00, "four_weekly")
    # £15,238.08 + £8,320 + £350 + £0 = £23,908.08 a year; budget £1,800 x 13 = £23,400 a year
    assert plan.annual_pence == 2_390_808
    assert plan.budget.cost_period_pence == 183_908  # £23,908.08 / 13 = £1,839.083 -> £1,839.08
    assert plan.budget.over
    assert plan.budget.difference_period_pence == -3_908  # £1,800 - £1,839.08 = -£39.08
    assert plan.budget.difference_annual_pence == -50_808  # £23,400 - £23,908.08 = -£508.08
    assert plan.budget.summary == "Over budget by £39.08 every four weeks (£508.08 a year)."

    lines[1].hours_per_week = Decimal("9")  # 9 h x £16 x 52 = £7,488
    plan = costing.plan_cost(lines, employer, RATES_2026, 1_800_00, "four_weekly")
    assert plan.annual_pence == 2_307_608  # £23,076.08
    assert plan.budget.cost_period_pence == 177_508  # £23,076.08 / 13 = £1,775.083 -> £1,775.08
    assert not plan.budget.over
    assert plan.budget.summary == "Under budget by £24.92 every four weeks (£323.92 a year)."


@pytest.mark.parametrize(
    ("period", "budget", "cost_period"),
    [
        ("weekly", 300_00, 29_304),  # £15,238.08 / 52 = £293.04
        ("monthly", 1_300_00, 126_984),  # £15,238.08 / 12 = £1,269.84
        ("yearly", 15_000_00, 1_523_808),
    ],
)
def test_each_budget_period(period, budget, cost_period):
    plan = costing.plan_cost([pa()], Employer(employment_allowance=True), RATES_2026, budget, period)
    assert plan.budget.cost_period_pence == cost_period


def test_pay_below_the_minimum_for_the_age_band_is_warned_about():
    adult = costing.line_cost(pa(hourly=12_00), RATES_2026)
    assert adult.warnings == [
        "Morning PA: £12.00 an hour is below the legal minimum of £12.71 an hour (2026/27) for their age. "
        "You must pay at least £12.71."
    ]
    young = costing.line_cost(pa(hourly=12_00, age_band="18_20"), RATES_2026)
    assert young.warnings == []  # £12.00 is above the £10.85 rate for 18 to 20
    apprentice = costing.line_cost(pa(hourly=7_99, age_band="apprentice"), RATES_2026)
    assert "£8.00" in apprentice.warnings[0]


def test_the_site_never_decides_employment_status_it_links_to_hmrc():
    plan = costing.plan_cost([pa()], Employer(), RATES_2026)
    assert any(costing.STATUS_TOOL in note and "does not decide" in note for note in plan.notes)


def test_rounding_is_half_up_to_the_penny():
    assert costing.round_pence(Decimal("0.5")) == 1
    assert costing.round_pence(Decimal("1.49")) == 1
    assert costing.share(1, 2) == 1  # half a penny rounds up
    assert costing.share(350_00, 52) == 673


@pytest.mark.django_db
def test_the_plans_start_date_chooses_the_tax_year():
    from planning.selectors import rates_for

    assert rates_for(date(2026, 4, 5)).table.label == "2025/26"
    assert rates_for(date(2026, 4, 6)).table.label == "2026/27"
    assert rates_for(date(2026, 4, 6)).table.min_wage_21_plus_pence == 12_71
    later = rates_for(date(2031, 5, 1))
    assert later.table.label == "2026/27" and "2031/32" in later.note
    table = rates_for(date(2026, 6, 1)).table
    assert costing.Rates.from_table(table) == RATES_2026
    assert set(table.sources) >= {"min_wage_21_plus_pence", "employer_ni_rate", "ae_trigger_pence"}
    assert all("https://" in source for source in table.sources.values())
