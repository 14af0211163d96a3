from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from matching.models import Engagement
from payments import services
from payments.models import Booking, Payment
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile
from tests.payments.conftest import soon

pytestmark = pytest.mark.django_db


def book(actor, seeker, profile, **kwargs):
    kwargs.setdefault("hours", Decimal("3"))
    return services.booking_create(
        actor=actor,
        seeker=seeker,
        profile=profile,
        start_date=kwargs.pop("start_date", soon()),
        start_time=time(10),
        **kwargs,
    )


def test_a_seeker_books_hours_with_a_connected_supporter_at_their_rate(seeker, connected):
    booking = book(seeker, seeker, connected)
    assert booking.status == Booking.Status.REQUESTED
    assert (booking.rate, booking.total) == ("£15.00", "£45.00")
    assert booking.created_by == seeker
    assert "Free cancellation up to 24 hours before the start" in booking.cancellation_terms


def test_booking_needs_a_connection_first(seeker, pa_profile):
    with pytest.raises(ValidationError, match="once you are in contact"):
        book(seeker, seeker, pa_profile)


def test_a_blocked_person_cannot_be_booked(seeker, supporter, connected):
    profile_services.block_create(blocker=supporter, blocked=seeker)
    with pytest.raises(ValidationError, match="cannot book this person"):
        book(seeker, seeker, connected)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("-2"), "greater than zero"),
        (Decimal("0"), "greater than zero"),
        (Decimal("25"), "more than 24 hours a day"),
        (Decimal("1.1"), "quarter hours"),
    ],
)
def test_it_rejects_impossible_hours_with_a_clear_message(seeker, connected, hours, message):
    with pytest.raises(ValidationError, match=message):
        book(seeker, seeker, connected, hours=hours)
    assert not Booking.objects.exists()


def test_more_than_24_hours_is_fine_across_several_days(seeker, connected):
    booking = book(seeker, seeker, connected, hours=Decimal("30"), end_date=soon() + timedelta(days=1))
    assert booking.total_pence == 45000
    with pytest.raises(ValidationError, match="more than 24 hours a day"):
        book(seeker, seeker, connected, hours=Decimal("49"), end_date=soon() + timedelta(days=1))


def test_it_rejects_absurd_rates_with_a_clear_message(supporter, pa_profile):
    for rate in (Decimal("-5"), Decimal("0"), Decimal("9999")):
        with pytest.raises(ValidationError, match="Enter an hourly rate between"):
            services.offer_rate_set(profile=pa_profile, actor=supporter, hourly_rate=rate)


def test_the_database_refuses_a_negative_or_zero_booking(seeker, booking):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(hours=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(total_pence=0)


def test_a_day_in_the_past_cannot_be_booked(seeker, connected):
    with pytest.raises(ValidationError, match="today or a day in the future"):
        book(seeker, seeker, connected, start_date=soon() - timedelta(days=10))


def test_a_package_is_booked_at_its_fixed_price(seeker, supporter, connected):
    package = services.package_save(
        profile=connected,
        actor=supporter,
        name="Support plan",
        price=Decimal("600"),
        hours=Decimal("30"),
        included="Two visits and a written plan",
    )
    booking = book(seeker, seeker, connected, kind=Booking.Kind.PACKAGE, package=package, hours=None)
    assert (booking.total, booking.package_name, booking.hours) == ("£600.00", "Support plan", Decimal("30"))


def test_a_proxy_who_manages_payments_books_for_the_seeker_and_is_recorded(seeker, connected):
    proxy = UserFactory()
    profile_services.proxy_link_create(seeker=seeker, proxy_email=proxy.email, can_see_payments=True)
    booking = book(proxy, seeker, connected)
    assert booking.seeker == seeker and booking.created_by == proxy


def test_a_proxy_without_payment_rights_or_a_stranger_cannot_book_for_someone(seeker, stranger, connected):
    proxy = UserFactory()
    profile_services.proxy_link_create(seeker=seeker, proxy_email=proxy.email, can_see_payments=False)
    for actor in (proxy, stranger):
        with pytest.raises(PermissionDenied):
            book(actor, seeker, connected)


def test_the_supporter_accepts_or_declines_and_nobody_else_can(seeker, stranger, supporter, booking):
    for actor in (seeker, stranger):
        with pytest.raises(PermissionDenied):
            services.booking_accept(booking=booking, actor=actor)
    services.booking_decline(booking=booking, actor=supporter)
    with pytest.raises(ValidationError, match="cannot become"):
        services.booking_accept(booking=booking, actor=supporter)


def test_hours_are_recorded_approved_and_become_an_engagement(seeker, supporter, accepted_booking, time_machine):
    time_machine.move_to(accepted_booking.starts_at + timedelta(hours=4))
    services.timesheet_submit(
        booking=accepted_booking, actor=supporter, worked_hours=Decimal("3.5"), note="Went shopping"
    )
    services.timesheet_query(booking=accepted_booking, actor=seeker, note="We finished at 1pm")
    accepted_booking.refresh_from_db()
    assert accepted_booking.status == Booking.Status.HOURS_QUERIED
    services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("3"), note="Corrected")
    services.timesheet_approve(booking=accepted_booking, actor=seeker)
    accepted_booking.refresh_from_db()
    assert accepted_booking.status == Booking.Status.COMPLETED
    engagement = Engagement.objects.get(source="booking", source_ref=f"booking:{accepted_booking.pk}")
    assert (engagement.seeker, engagement.supporter) == (seeker, supporter)


def test_hours_cannot_be_recorded_before_the_booked_day_or_be_absurd(supporter, accepted_booking, time_machine):
    with pytest.raises(ValidationError, match="on or after the booked day"):
        services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("3"))
    time_machine.move_to(accepted_booking.starts_at + timedelta(hours=4))
    with pytest.raises(ValidationError, match="more than 24 hours a day"):
        services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("30"))


def test_the_seeker_cannot_record_hours_and_the_supporter_cannot_approve_them(
    seeker, supporter, accepted_booking, time_machine
):
    time_machine.move_to(accepted_booking.starts_at + timedelta(hours=4))
    with pytest.raises(PermissionDenied):
        services.timesheet_submit(booking=accepted_booking, actor=seeker, worked_hours=Decimal("3"))
    services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("3"))
    with pytest.raises(PermissionDenied):
        services.timesheet_approve(booking=accepted_booking, actor=supporter)


def test_hours_from_an_account_since_closed_get_a_message_saying_so(seeker, supporter, accepted_booking, time_machine):
    time_machine.move_to(accepted_booking.starts_at + timedelta(hours=4))
    services.timesheet_submit(booking=accepted_booking, actor=supporter, worked_hours=Decimal("3"))
    Booking.objects.filter(pk=accepted_booking.pk).update(supporter=None)  # what deleting their account leaves
    accepted_booking.refresh_from_db()
    with pytest.raises(ValidationError, match="closed their account"):
        services.timesheet_approve(booking=accepted_booking, actor=seeker)
    accepted_booking.refresh_from_db()
    assert accepted_booking.status == Booking.Status.HOURS_SUBMITTED
    assert not Engagement.objects.filter(source="booking", source_ref=f"booking:{accepted_booking.pk}").exists()


def test_a_payment_outside_the_platform_is_recorded_with_who_and_how(seeker, accepted_booking):
    from django.utils import timezone

    payment = services.payment_record_outside(
        booking=accepted_booking,
        actor=seeker,
        paid_by="Blackburn council-managed account",
        paid_how=Payment.PaidHow.COUNCIL_ACCOUNT,
        paid_on=timezone.localdate(),
    )
    assert (payment.status, payment.method, payment.amount) == (Payment.Status.PAID, Payment.Method.OUTSIDE, "£45.00")
    assert payment.receipt_number.startswith("OC-")


def test_a_request_not_yet_accepted_cannot_be_paid(seeker, booking):
    from django.utils import timezone

    with pytest.raises(ValidationError, match="once the supporter has accepted"):
        services.payment_record_outside(
            booking=booking, actor=seeker, paid_by="Me", paid_how="other", paid_on=timezone.localdate()
        )


def test_the_booking_form_turns_bad_hours_into_a_message_beside_the_field(client, seeker, connected):
    client.force_login(seeker)
    response = client.post(
        f"/bookings/new/{connected.ref}/",
        {"kind": "hours", "hours": "26", "start_date": soon().isoformat(), "start_time": "10:00"},
    )
    assert response.status_code == 200
    assert "more than 24 hours a day" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_peer_advisor_cannot_be_booked(client, seeker):
    advisor = make_profile(role="peer_advisor")
    profile_services.connection_create(a=seeker, b=advisor.user)
    client.force_login(seeker)
    assert client.get(f"/bookings/new/{advisor.ref}/").status_code == 404
