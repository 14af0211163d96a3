"""Owner / counterpart / stranger on booking pages, receipts and the API: strangers get 404."""

import pytest
from django.utils import timezone

from payments import services
from profiles import services as profile_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(seeker, accepted_booking):
    return services.payment_record_outside(
        booking=accepted_booking,
        actor=seeker,
        paid_by="My payroll service",
        paid_how="payroll",
        paid_on=timezone.localdate(),
    )


def pages(booking, payment):
    return [f"/bookings/{booking.pk}/", f"/receipts/{payment.receipt_number}/", f"/api/v1/bookings/{booking.pk}/"]


def test_the_seeker_and_the_supporter_see_the_booking_receipt_and_api(
    client, seeker, supporter, accepted_booking, paid
):
    for person in (seeker, supporter):
        client.force_login(person)
        for url in pages(accepted_booking, paid):
            assert client.get(url).status_code == 200, url
    page = client.get(f"/receipts/{paid.receipt_number}/").content.decode()
    assert paid.receipt_number in page and "£45.00" in page and "My payroll service" in page


def test_a_stranger_gets_404_everywhere(client, stranger, accepted_booking, paid):
    client.force_login(stranger)
    for url in pages(accepted_booking, paid):
        assert client.get(url).status_code == 404, url
    for action in ("accept", "decline", "cancel", "approve", "pay"):
        assert client.post(f"/bookings/{accepted_booking.pk}/{action}/").status_code == 404
        assert client.post(f"/api/v1/bookings/{accepted_booking.pk}/{action}/").status_code == 404
    assert client.get("/api/v1/bookings/").json() == []


def test_a_proxy_sees_payments_only_when_the_person_chooses(client, seeker, accepted_booking, paid):
    proxy = UserFactory()
    link = profile_services.proxy_link_create(seeker=seeker, proxy_email=proxy.email, can_see_payments=False)
    client.force_login(proxy)
    assert client.get(f"/bookings/{accepted_booking.pk}/").status_code == 404
    link.can_see_payments = True
    link.save()
    for url in pages(accepted_booking, paid):
        assert client.get(url).status_code == 200, url
    profile_services.proxy_link_revoke(link=link, actor=seeker)
    assert client.get(f"/receipts/{paid.receipt_number}/").status_code == 404


def test_the_api_books_and_the_counterpart_accepts(client, seeker, supporter, connected):
    from tests.payments.conftest import soon

    client.force_login(seeker)
    response = client.post(
        "/api/v1/bookings/",
        {"supporter_ref": connected.ref, "hours": "2.5", "start_date": soon().isoformat(), "start_time": "09:00"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["total_pence"] == 3750
    booking_id = response.json()["id"]
    assert client.post(f"/api/v1/bookings/{booking_id}/accept/").status_code == 403
    client.force_login(supporter)
    assert client.post(f"/api/v1/bookings/{booking_id}/accept/").json()["status"] == "accepted"


def test_the_api_rejects_absurd_hours_with_a_field_error(client, seeker, connected):
    from tests.payments.conftest import soon

    client.force_login(seeker)
    response = client.post(
        "/api/v1/bookings/",
        {"supporter_ref": connected.ref, "hours": "-3", "start_date": soon().isoformat(), "start_time": "09:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "greater than zero" in response.json()["hours"][0]


def test_the_supporter_sees_the_booking_request_in_their_list_and_can_accept_it(client, supporter, booking):
    client.force_login(supporter)
    assert "Bookings with you" in client.get("/bookings/").content.decode()
    response = client.post(f"/bookings/{booking.pk}/accept/", follow=True)
    assert "You accepted the booking" in response.content.decode()
