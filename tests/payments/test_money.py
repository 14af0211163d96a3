"""Exact money records: every page, the CSV and the API show the same figures, from approved hours.

Issue 13 item 5: a booking of 2 hours at £20 with 2.25 hours approved was paid £45, yet the receipt
and council summary said "2.00 hours at £20.00" and the bookings list said £40.00.
"""

from __future__ import annotations

import csv
import io
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import money, services
from payments.models import Booking
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "rate", "pence"),
    [
        (Decimal("2.25"), 2000, 4500),
        (Decimal("1.5"), 1337, 2006),  # 2,005.5p: halves round up
        (Decimal("0.75"), 1650, 1238),  # 1,237.5p: halves round up
        (Decimal("2.75"), 1335, 3671),  # 3,671.25p: nearest penny
        (Decimal("0.25"), 1, 0),  # 0.25p rounds to nothing (the booking rules refuse a £0.00 booking)
    ],
)
def test_hours_times_rate_is_rounded_once_to_the_nearest_penny_halves_up(hours, rate, pence):
    assert money.hours_cost_pence(hours, rate) == pence


def test_the_fee_is_rounded_by_the_same_rule(settings):
    settings.PLATFORM_FEE_PERCENT = "5"
    assert money.fee_pence(4500) == 225
    assert money.fee_pence(1238) == 62  # 61.9p
    assert money.fee_pence(2006) == 100  # 100.3p
    assert money.fee_pence(1250) == 63  # 62.5p: halves up


def _completed_booking(*, hours: str, rate: str, worked: str, name: str = "Rita Rate") -> tuple[Booking, object]:
    seeker, supporter = UserFactory(), UserFactory()
    profile = make_profile(supporter, role="pa", hourly_rate=Decimal(rate), display_name=name)
    profile_services.connection_create(a=seeker, b=supporter)
    booking = services.booking_create(
        actor=seeker,
        seeker=seeker,
        profile=profile,
        hours=Decimal(hours),
        start_date=timezone.localdate() + timedelta(days=2),
        start_time=clock(10, 0),
    )
    booking = services.booking_accept(booking=booking, actor=supporter)
    Booking.objects.filter(pk=booking.pk).update(
        start_date=timezone.localdate(), end_date=timezone.localdate(), start_time=clock(0, 0)
    )
    booking.refresh_from_db()
    booking = services.timesheet_submit(booking=booking, actor=supporter, worked_hours=Decimal(worked))
    booking = services.timesheet_approve(booking=booking, actor=seeker)
    return booking, seeker


def test_the_money_of_a_booking_follows_the_approved_hours():
    booking, _ = _completed_booking(hours="2", rate="20.00", worked="2.25")
    figures = money.booking_money(booking)
    assert (figures.hours_booked, figures.hours_approved, figures.rate_pence) == (Decimal("2"), Decimal("2.25"), 2000)
    assert (figures.agreed_pence, figures.due_pence) == (4000, 4500)
    assert services.amount_due_pence(booking) == 4500
    assert figures.description == "2.25 hours of support at £20.00 an hour (hours approved; 2 booked)"


def test_before_approval_the_recorded_hours_are_priced_but_not_due():
    seeker, supporter = UserFactory(), UserFactory()
    profile = make_profile(supporter, role="pa", hourly_rate=Decimal("16.50"))
    profile_services.connection_create(a=seeker, b=supporter)
    booking = services.booking_create(
        actor=seeker,
        seeker=seeker,
        profile=profile,
        hours=Decimal("1"),
        start_date=timezone.localdate() + timedelta(days=2),
        start_time=clock(10, 0),
    )
    booking = services.booking_accept(booking=booking, actor=supporter)
    Booking.objects.filter(pk=booking.pk).update(
        start_date=timezone.localdate(), end_date=timezone.localdate(), start_time=clock(0, 0)
    )
    booking.refresh_from_db()
    booking = services.timesheet_submit(booking=booking, actor=supporter, worked_hours=Decimal("0.75"))
    figures = booking.money
    assert (figures.due_pence, figures.recorded_pence, figures.hours_recorded) == (1650, 1238, Decimal("0.75"))


CASES = [
    # hours booked, rate, hours approved, amount due, what the records say
    ("2", "20.00", "2.25", "£45.00", "45.00", "2.25 hours of support at £20.00 an hour"),
    ("2", "13.37", "1.5", "£20.06", "20.06", "1.5 hours of support at £13.37 an hour"),
    ("1", "16.50", "0.75", "£12.38", "12.38", "0.75 hours of support at £16.50 an hour"),
]


@pytest.mark.parametrize(("hours", "rate", "worked", "due", "csv_due", "what"), CASES)
def test_every_page_that_shows_money_shows_the_approved_hours_and_the_same_amount(
    client, settings, hours, rate, worked, due, csv_due, what
):
    settings.PLATFORM_FEE_PERCENT = "0"
    booking, seeker = _completed_booking(hours=hours, rate=rate, worked=worked)
    client.force_login(seeker)
    rate_text = f"£{rate}"

    # The bookings list: the amount of the approved hours, not the hours booked.
    listing = client.get("/bookings/").content.decode()
    assert due in listing and f"{worked} hours approved at {rate_text} an hour" in listing
    assert f"<td>{booking.total}</td>" not in listing  # the agreed total of the hours booked

    # The booking page: amount due, and what it is for.
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert f"Amount due: <strong>{due}</strong> ({worked} hours approved at {rate_text} an hour)" in detail
    assert f"Pay {due}" in detail or "Record a payment made another way" in detail

    # The paid-outside page states the same amount, and recording it with no amount pays exactly that.
    outside = client.get(f"/bookings/{booking.pk}/paid-outside/").content.decode()
    assert f"The amount due is {due}" in outside
    payment = services.payment_record_outside(
        booking=booking,
        actor=seeker,
        paid_by="Council-managed account",
        paid_how="council_account",
        paid_on=timezone.localdate(),
    )
    assert payment.amount == due

    # The receipt: the hours approved next to the amount paid.
    receipt = client.get(payment.get_absolute_url()).content.decode()
    assert f"{what} (hours approved" in receipt
    assert f"<td>{due}</td>" in receipt
    assert f"{Decimal(hours):.2f} hours at" not in receipt
    assert "Amount due for this booking" not in receipt  # paid in full: nothing to explain

    # The budget record, the council CSV and the printable summary all match the receipt.
    today = timezone.localdate()
    services.budget_set(
        seeker=seeker, actor=seeker, amount=Decimal("500"), period="monthly", starts_on=today.replace(day=1)
    )
    budget = client.get("/me/budget/").content.decode()
    period = {"start": (today - timedelta(days=7)).isoformat(), "end": today.isoformat()}
    rows = list(csv.reader(io.StringIO(client.get("/me/budget/export.csv", period).content.decode())))
    line = next(row for row in rows[1:] if row[5] == payment.receipt_number)
    assert line[1].startswith(what) and line[3] == csv_due
    assert rows[-1][3] == csv_due
    printable = client.get("/me/budget/summary/", period).content.decode()
    assert what in printable and due in printable
    assert what in budget and f"<td>{due}</td>" in budget

    # The API gives the same figures in pence.
    data = client.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert data["amount_due_pence"] == payment.amount_pence
    assert Decimal(data["hours_approved"]) == Decimal(worked)


def test_the_timesheet_pages_show_what_the_hours_come_to(client):
    seeker, supporter = UserFactory(), UserFactory()
    profile = make_profile(supporter, role="pa", hourly_rate=Decimal("13.37"), display_name="Tim Sheet")
    profile_services.connection_create(a=seeker, b=supporter)
    booking = services.booking_create(
        actor=seeker,
        seeker=seeker,
        profile=profile,
        hours=Decimal("2"),
        start_date=timezone.localdate() + timedelta(days=2),
        start_time=clock(10, 0),
    )
    booking = services.booking_accept(booking=booking, actor=supporter)
    Booking.objects.filter(pk=booking.pk).update(
        start_date=timezone.localdate(), end_date=timezone.localdate(), start_time=clock(0, 0)
    )
    client.force_login(supporter)
    timesheet = client.get(f"/bookings/{booking.pk}/hours/").content.decode()
    assert "You booked 2 hours at £13.37 an hour (£26.74)" in timesheet
    booking.refresh_from_db()
    services.timesheet_submit(booking=booking, actor=supporter, worked_hours=Decimal("1.5"))
    client.force_login(seeker)
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert "Approve 1.5 hours (£20.06)" in detail
    query = client.get(f"/bookings/{booking.pk}/query/").content.decode()
    assert "recorded 1.5 hours. At £13.37 an hour, that comes to £20.06." in query
