"""The rates for 2025/26 and 2026/27, each figure with its source. The operator changes them in the admin."""

from datetime import date
from decimal import Decimal

from django.db import migrations

NMW = "GOV.UK, National Minimum Wage and National Living Wage rates: https://www.gov.uk/national-minimum-wage-rates"
NI = "HMRC, Rates and thresholds for employers: https://www.gov.uk/guidance/rates-and-thresholds-for-employers-{years}"
EA = "GOV.UK, Employment Allowance: https://www.gov.uk/claim-employment-allowance"
AE = (
    "The Pensions Regulator, automatic enrolment earnings thresholds: "
    "https://www.thepensionsregulator.gov.uk/en/employers/managing-a-scheme/automatic-enrolment-earnings-thresholds"
)
HOLIDAY = "GOV.UK, Holiday entitlement: https://www.gov.uk/holiday-entitlement-rights"
IRREGULAR = (
    "GOV.UK, Holiday pay for irregular hours and part-year workers (12.07%): "
    "https://www.gov.uk/guidance/calculating-holiday-entitlement-for-workers"
)

COMMON = {
    "employer_ni_rate": Decimal("0.15"),
    "ni_secondary_threshold_pence": 5_000_00,
    "employment_allowance_pence": 10_500_00,
    "ae_trigger_pence": 10_000_00,
    "qe_lower_pence": 6_240_00,
    "qe_upper_pence": 50_270_00,
    "ae_employer_rate": Decimal("0.03"),
    "holiday_weeks": Decimal("5.6"),
    "irregular_holiday_rate": Decimal("0.1207"),
}

YEARS = [
    {
        "tax_year_start": date(2025, 4, 6),
        "label": "2025/26",
        "min_wage_21_plus_pence": 12_21,
        "min_wage_18_20_pence": 10_00,
        "min_wage_16_17_pence": 7_55,
        "min_wage_apprentice_pence": 7_55,
        "slug": "2025-to-2026",
    },
    {
        "tax_year_start": date(2026, 4, 6),
        "label": "2026/27",
        "min_wage_21_plus_pence": 12_71,
        "min_wage_18_20_pence": 10_85,
        "min_wage_16_17_pence": 8_00,
        "min_wage_apprentice_pence": 8_00,
        "slug": "2026-to-2027",
    },
]


def sources(slug: str) -> dict:
    return {
        "min_wage_21_plus_pence": NMW,
        "min_wage_18_20_pence": NMW,
        "min_wage_16_17_pence": NMW,
        "min_wage_apprentice_pence": NMW,
        "employer_ni_rate": NI.format(years=slug),
        "ni_secondary_threshold_pence": NI.format(years=slug),
        "employment_allowance_pence": EA,
        "ae_trigger_pence": AE,
        "qe_lower_pence": AE,
        "qe_upper_pence": AE,
        "ae_employer_rate": AE,
        "holiday_weeks": HOLIDAY,
        "irregular_holiday_rate": IRREGULAR,
    }


def seed(apps, schema_editor):
    RatesTable = apps.get_model("planning", "RatesTable")
    for year in YEARS:
        values = {key: value for key, value in year.items() if key not in ("tax_year_start", "slug")}
        RatesTable.objects.get_or_create(
            tax_year_start=year["tax_year_start"], defaults={**COMMON, **values, "sources": sources(year["slug"])}
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
