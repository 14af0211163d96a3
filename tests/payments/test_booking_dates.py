"""Dates and times on bookings: no booking in the past (today's passed hours included), hours recorded
only once the booked time has started, and cancelling asks first, apart from Accept and Decline."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from payments import services
from payments.models import Booking

pytestmark = pytest.mark.django_db


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_a_booking_for_a_time_that_has_passed_today_is_refused_in_plain_english(seeker, connected, time_machine):
    today = timezone.localdate()
    time_machine.move_to(_at(today, 14), tick=False)
    with pytest.raises(ValidationError) as error:
        services.booking_create(
            actor=seeker, seeker=seeker, profile=connected, hours=Decimal("2"), start_date=today, start_time=time(9)
        )
    assert error.value.message_dict == {
        "start_time": ["That time has already passed today. Choose a later time, or another day."]
    }
    later = services.booking_create(
        actor=seeker, seeker=seeker, profile=connected, hours=Decimal("2"), start_date=today, start_time=time(16)
    )
    assert later.status == Booking.Status.REQUESTED


def test_a_booking_on_a_past_day_is_refused(seeker, connected):
    with pytest.raises(ValidationError) as error:
        services.booking_create(
            actor=seeker,
            seeker=seeker,
            profile=connected,
            hours=Decimal("2"),
            start_date=timezone.localdate() - timedelta(days=1),
            start_time=time(9),
        )
    assert error.value.message_dict == {"start_date": ["Choose today or a day in the future."]}


def test_hours_cannot_be_recorded_on_the_booked_day_before_the_booked_time(supporter, accepted_booking, time_machine):
    time_machine.move_to(accepted_booking.starts_at - timedelta(hours=2), tick=False)  # the right day, too early
    with pytest.raises(ValidationError, match=r"once the booking has started \(from 10:00 on "):
        services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("3"))
    time_machine.move_to(accepted_booking.starts_at + timedelta(minutes=1), tick=False)
    booking = services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("3"))
    assert booking.status == Booking.Status.HOURS_SUBMITTED


def test_the_timesheet_page_says_why_it_is_too_early(client, supporter, accepted_booking):
    client.force_login(supporter)
    response = client.post(reverse("payments:booking-timesheet", args=[accepted_booking.pk]), {"worked_hours": "3"})
    assert response.status_code == 200
    assert "once the booking has started" in response.content.decode()
    accepted_booking.refresh_from_db()
    assert accepted_booking.status == Booking.Status.ACCEPTED


def test_cancel_is_apart_from_decline_and_asks_to_confirm(client, supporter, booking):
    client.force_login(supporter)
    page = client.get(booking.get_absolute_url()).content.decode()
    decline = page.index("Decline booking")
    cancel_url = reverse("payments:booking-cancel", args=[booking.pk])
    # No cancel button in the same row as Decline: a link to a confirmation page, later on the page.
    assert "Cancel booking</button>" not in page
    assert page.index(f'href="{cancel_url}"') > page.index("Change of plans") > decline
    confirm = client.get(cancel_url)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Cancel this booking?" in text and "Yes, cancel this booking" in text and "No, keep the booking" in text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED  # looking at the question changes nothing
    client.post(cancel_url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_someone_elses_booking_cancel_page_is_404(client, stranger, booking):
    client.force_login(stranger)
    assert client.get(reverse("payments:booking-cancel", args=[booking.pk])).status_code == 404
