import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import selectors, services
from payments.models import Budget

pytestmark = pytest.mark.django_db


def test_a_budget_period_is_found_for_each_kind_of_period(seeker):
    budget = Budget(user=seeker, amount_pence=100, period="four_weekly", starts_on=date(2026, 1, 5))
    assert budget.window(date(2026, 2, 3)) == (date(2026, 2, 2), date(2026, 3, 1))
    budget.period = "monthly"
    assert budget.window(date(2026, 3, 4)) == (date(2026, 2, 5), date(2026, 3, 4))
    budget.period, budget.starts_on = "yearly", date(2025, 4, 1)
    assert budget.window(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))
    budget.period = "weekly"
    assert budget.window(date(2025, 4, 9)) == (date(2025, 4, 8), date(2025, 4, 14))


def test_spending_warns_in_words_when_the_budget_runs_low_and_when_overspent(seeker):
    today = timezone.localdate()
    services.budget_set(
        seeker=seeker, actor=seeker, amount=Decimal("500"), period="monthly", starts_on=today.replace(day=1)
    )
    services.budget_entry_add(
        seeker=seeker,
        actor=seeker,
        spent_on=today,
        description="PA wages",
        paid_to="Payroll service",
        amount=Decimal("350"),
    )
    assert selectors.budget_status(seeker, today).level == "ok"
    services.budget_entry_add(
        seeker=seeker,
        actor=seeker,
        spent_on=today,
        description="PA wages",
        paid_to="Payroll service",
        amount=Decimal("60.01"),
    )
    status = selectors.budget_status(seeker, today)
    assert status.level == "low" and status.message.startswith("Running low: £89.99 left (17%)")
    services.budget_entry_add(
        seeker=seeker, actor=seeker, spent_on=today, description="Equipment", paid_to="Shop", amount=Decimal("100")
    )
    status = selectors.budget_status(seeker, today)
    assert status.message.startswith("Overspent: you have spent £10.01 more than your budget")


def test_the_budget_page_shows_the_warning_in_words(client, seeker):
    today = timezone.localdate()
    services.budget_set(
        seeker=seeker, actor=seeker, amount=Decimal("100"), period="monthly", starts_on=today.replace(day=1)
    )
    services.budget_entry_add(
        seeker=seeker, actor=seeker, spent_on=today, description="PA wages", paid_to="Payroll", amount=Decimal("95")
    )
    client.force_login(seeker)
    assert "Running low: £5.00 left (5%)" in client.get("/me/budget/").content.decode()


def test_entries_with_bad_amounts_are_refused_with_a_message(seeker):
    from django.core.exceptions import ValidationError

    for amount in (Decimal("0"), Decimal("-4"), Decimal("60000")):
        with pytest.raises(ValidationError):
            services.budget_entry_add(
                seeker=seeker, actor=seeker, spent_on=timezone.localdate(), description="x", paid_to="y", amount=amount
            )


def test_the_council_export_matches_the_bookings_and_entries(client, seeker, accepted_booking, supporter):
    today = timezone.localdate()
    services.payment_record_outside(
        booking=accepted_booking,
        actor=seeker,
        paid_by="Council-managed account",
        paid_how="council_account",
        paid_on=today,
    )
    services.budget_entry_add(
        seeker=seeker,
        actor=seeker,
        spent_on=today - timedelta(days=1),
        description="PA wages week 12",
        paid_to="Payroll service",
        amount=Decimal("123.45"),
    )
    services.budget_entry_add(
        seeker=seeker,
        actor=seeker,
        spent_on=today - timedelta(days=400),
        description="Too old",
        paid_to="X",
        amount=Decimal("1"),
    )
    client.force_login(seeker)
    start, end = today - timedelta(days=30), today
    response = client.get("/me/budget/export.csv", {"start": start.isoformat(), "end": end.isoformat()})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "What was bought", "From whom", "Amount (GBP)", "How recorded", "Reference"]
    assert rows[1][:5] == [
        (today - timedelta(days=1)).isoformat(),
        "PA wages week 12",
        "Payroll service",
        "123.45",
        "Added by hand",
    ]
    assert rows[2][:5] == [
        today.isoformat(),
        "3 hours of support at £15.00 an hour",
        "Sam PA",
        "45.00",
        "Paid outside Open Circle",
    ]
    assert rows[-1] == ["", "Total", "", "168.45", "", ""]
    assert len(rows) == 4
    printable = client.get("/me/budget/summary/", {"start": start.isoformat(), "end": end.isoformat()}).content.decode()
    assert "£168.45" in printable and "PA wages week 12" in printable and "Too old" not in printable


def test_a_stranger_cannot_see_someone_elses_budget(client, seeker, stranger):
    client.force_login(stranger)
    assert client.get(f"/me/budget/for/{seeker.pk}/").status_code == 404
    assert client.get(f"/me/budget/for/{seeker.pk}/export.csv").status_code == 404
