"""Every CSV the site writes is safe to open in a spreadsheet (issue 12, item 6)."""

import csv
import io
import pathlib
import re
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.csvsafe import safe_cell
from payments import services
from payments.models import Booking
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile

HYPERLINK = '=HYPERLINK("http://evil.example/x","Open receipt")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("value", [HYPERLINK, DDE, "+1+2", "-2-3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_a_spreadsheet_would_run_are_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["PA wages", "12.50", "-12.50", "+3", "", 5, None, "a=b"])
def test_ordinary_cells_and_plain_numbers_are_unchanged(value):
    assert safe_cell(value) == value


def test_every_csv_writer_in_the_project_goes_through_the_one_helper():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "tests", "bench", "var"} or path.name == "csvsafe.py":
            continue
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


@pytest.mark.django_db
def test_the_budget_export_neutralises_formulas_in_names_packages_and_entries(client):
    seeker, supporter = UserFactory(), UserFactory()
    listing = make_profile(supporter, role="pa", hourly_rate=Decimal("15.00"), display_name=HYPERLINK)
    profile_services.connection_create(a=seeker, b=supporter)
    package = services.package_save(profile=listing, actor=supporter, name=DDE, price=Decimal("60"), hours=Decimal("3"))
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)  # bookings start in the future
    booking = services.booking_create(
        actor=seeker,
        seeker=seeker,
        profile=listing,
        kind=Booking.Kind.PACKAGE,
        package=package,
        start_date=tomorrow,
        start_time=clock(10, 0),
    )
    booking = services.booking_accept(booking=booking, actor=supporter)
    services.payment_record_outside(
        booking=booking, actor=seeker, paid_by="+44 council account", paid_how="council_account", paid_on=today
    )
    services.budget_entry_add(
        seeker=seeker, actor=seeker, spent_on=today, description="@SUM(1+1)", paid_to="-2+3", amount=Decimal("5")
    )
    client.force_login(seeker)
    response = client.get(reverse("payments:budget-csv"), {"start": today.isoformat(), "end": tomorrow.isoformat()})
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert f"'{HYPERLINK}" in cells
    assert any(DDE in cell for cell in cells)  # the package, named in "What was bought"
    assert "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert not [
        cell
        for cell in cells
        if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not re.fullmatch(r"-[\d.]+", cell))
    ]


@pytest.mark.django_db
def test_the_quality_export_still_parses_and_has_no_formula_cells(client):
    response = client.get(reverse("ratings:quality_csv", args=["BB", "pa"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["table", "key", "count", "value"]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "@", "-", "\t", "\r")]
