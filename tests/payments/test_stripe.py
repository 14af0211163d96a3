from datetime import timedelta
from decimal import Decimal

import pytest

from payments import services
from payments.models import Payment, StripeAccount

pytestmark = pytest.mark.django_db


def test_onboarding_creates_a_connected_account_and_a_stripe_hosted_link(client, supporter, pa_profile, fake_stripe):
    client.force_login(supporter)
    response = client.post("/me/payments/stripe/start/")
    assert response.status_code == 302
    assert response["Location"] == "https://connect.stripe.test/setup/e/acct_test123"
    assert fake_stripe.paths() == ["/v1/accounts", "/v1/account_links"]
    account_request, link_request = fake_stripe.requests
    assert account_request["data"]["type"] == "express"
    assert account_request["data"]["capabilities[transfers][requested]"] == "true"
    assert link_request["data"]["account"] == "acct_test123"
    assert link_request["data"]["type"] == "account_onboarding"
    assert link_request["data"]["return_url"].endswith("/me/payments/stripe/return/")
    assert StripeAccount.objects.get(user=supporter).charges_enabled is False


def test_onboarding_again_reuses_the_same_connected_account(client, supporter, pa_profile, fake_stripe):
    client.force_login(supporter)
    client.post("/me/payments/stripe/start/")
    client.post("/me/payments/stripe/start/")
    assert fake_stripe.paths() == ["/v1/accounts", "/v1/account_links", "/v1/account_links"]
    assert StripeAccount.objects.filter(user=supporter).count() == 1


def test_returning_from_onboarding_records_that_charges_are_enabled(client, supporter, pa_profile, fake_stripe):
    StripeAccount.objects.create(user=supporter, account_id="acct_test123")
    fake_stripe.respond(
        "GET",
        "/v1/accounts/acct_test123",
        {
            "id": "acct_test123",
            "object": "account",
            "charges_enabled": True,
            "payouts_enabled": True,
            "details_submitted": True,
        },
    )
    client.force_login(supporter)
    response = client.get("/me/payments/stripe/return/", follow=True)
    assert StripeAccount.objects.get(user=supporter).charges_enabled is True
    assert "Card payments are set up" in response.content.decode()


def test_checkout_carries_the_bookings_idempotency_key_and_the_platform_fee(
    client, seeker, accepted_booking, card_ready, fake_stripe
):
    client.force_login(seeker)
    response = client.post(f"/bookings/{accepted_booking.pk}/pay/")
    payment = Payment.objects.get(booking=accepted_booking)
    assert response.status_code == 302 and response["Location"] == payment.checkout_url
    (request,) = fake_stripe.requests
    assert request["path"] == "/v1/checkout/sessions"
    assert request["headers"]["Idempotency-Key"] == payment.idempotency_key
    assert request["data"]["line_items[0][price_data][unit_amount]"] == "4500"  # 3 hours at £15.00
    assert request["data"]["payment_intent_data[application_fee_amount]"] == "225"  # 5%
    assert request["data"]["payment_intent_data[transfer_data][destination]"] == "acct_ready"
    assert request["data"]["metadata[payment_id]"] == str(payment.pk)
    assert payment.amount_pence == 4500 and payment.fee_pence == 225


def test_a_double_pay_click_creates_one_payment_and_one_session_request(
    client, seeker, accepted_booking, card_ready, fake_stripe
):
    client.force_login(seeker)
    first = client.post(f"/bookings/{accepted_booking.pk}/pay/")
    second = client.post(f"/bookings/{accepted_booking.pk}/pay/")
    assert first["Location"] == second["Location"]
    assert Payment.objects.filter(booking=accepted_booking).count() == 1
    assert fake_stripe.paths() == ["/v1/checkout/sessions"]


def test_a_retried_payment_after_expiry_gets_a_new_key_but_keeps_one_payment_row(
    seeker, accepted_booking, card_ready, fake_stripe
):
    payment = services.booking_pay(
        booking=accepted_booking, actor=seeker, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )
    old_key = payment.idempotency_key
    services.payment_apply_session(
        {"id": payment.checkout_session_id, "status": "expired", "metadata": {"payment_id": str(payment.pk)}}
    )
    again = services.booking_pay(
        booking=accepted_booking, actor=seeker, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )
    assert again.pk == payment.pk and again.idempotency_key != old_key
    assert [r["headers"]["Idempotency-Key"] for r in fake_stripe.requests] == [old_key, again.idempotency_key]


def test_a_zero_fee_is_shown_as_zero_pounds_before_paying(
    client, seeker, accepted_booking, card_ready, fake_stripe, settings
):
    settings.PLATFORM_FEE_PERCENT = "0"
    client.force_login(seeker)
    page = client.get(f"/bookings/{accepted_booking.pk}/").content.decode()
    assert "Open Circle fee: £0.00" in page
    assert "Pay £45.00 by card" in page


def test_a_supporter_who_cannot_take_charges_is_not_payable_by_card_and_is_told_why(
    client, seeker, supporter, accepted_booking, fake_stripe
):
    StripeAccount.objects.create(user=supporter, account_id="acct_half", charges_enabled=False)
    client.force_login(seeker)
    page = client.get(f"/bookings/{accepted_booking.pk}/").content.decode()
    assert "cannot take card payments yet" in page
    assert "by card</button>" not in page
    response = client.post(f"/bookings/{accepted_booking.pk}/pay/", follow=True)
    assert "cannot take card payments yet" in response.content.decode()
    assert fake_stripe.requests == [] and not Payment.objects.exists()


def test_with_no_keys_the_booking_page_offers_only_paid_outside_and_says_why(
    client, seeker, accepted_booking, settings
):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(seeker)
    page = client.get(f"/bookings/{accepted_booking.pk}/").content.decode()
    assert "Card payments are not set up on this Open Circle site" in page
    assert "by card</button>" not in page
    assert "Record a payment made another way" in page


def test_with_no_keys_the_booking_form_says_card_payments_are_not_available(client, seeker, connected, settings):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(seeker)
    page = client.get(f"/bookings/new/{connected.ref}/").content.decode()
    assert "Card payments are not set up on this Open Circle site" in page
    assert "Free cancellation up to 24 hours before the start" in page


def test_cancelling_a_card_paid_booking_in_time_refunds_it_in_full(seeker, accepted_booking, card_ready, fake_stripe):
    payment = services.booking_pay(
        booking=accepted_booking, actor=seeker, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )
    services.payment_apply_session(
        {
            "id": payment.checkout_session_id,
            "payment_status": "paid",
            "payment_intent": "pi_1",
            "metadata": {"payment_id": str(payment.pk)},
        }
    )
    services.booking_cancel(booking=accepted_booking, actor=seeker)
    refund_request = fake_stripe.requests[-1]
    assert refund_request["path"] == "/v1/refunds"
    assert refund_request["data"] == {
        "payment_intent": "pi_1",
        "amount": "4500",
        "reverse_transfer": "true",
        "refund_application_fee": "true",
    }
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_pence == 4500


def test_a_seeker_cancelling_too_late_gets_no_refund(seeker, accepted_booking, card_ready, fake_stripe, time_machine):
    payment = services.booking_pay(
        booking=accepted_booking, actor=seeker, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )
    services.payment_apply_session(
        {
            "id": payment.checkout_session_id,
            "payment_status": "paid",
            "payment_intent": "pi_1",
            "metadata": {"payment_id": str(payment.pk)},
        }
    )
    time_machine.move_to(accepted_booking.starts_at - timedelta(hours=2))
    assert services.refund_due_pence(accepted_booking, seeker) == 0
    services.booking_cancel(booking=accepted_booking, actor=seeker)
    assert "/v1/refunds" not in fake_stripe.paths()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_money_is_exact_in_pence(seeker, connected, settings):
    from datetime import time

    from tests.payments.conftest import soon

    connected.hourly_rate = Decimal("13.35")
    connected.save()
    booking = services.booking_create(
        actor=seeker, seeker=seeker, profile=connected, hours=Decimal("2.75"), start_date=soon(), start_time=time(9)
    )
    assert booking.rate_pence == 1335
    assert booking.total_pence == 3671  # 2.75 × £13.35 = £36.7125, rounded half up to the penny
    assert booking.total == "£36.71"
    settings.PLATFORM_FEE_PERCENT = "2.5"
    assert services.platform_fee_pence(3671) == 92  # £0.91775, rounded half up
    settings.PLATFORM_FEE_PERCENT = "0"
    assert services.platform_fee_pence(3671) == 0
