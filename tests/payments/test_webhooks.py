import threading
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from payments import services
from payments.models import Payment, StripeAccount, StripeEvent
from payments.webhooks import event_process
from tests.payments.conftest import event, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_payment(seeker, accepted_booking, card_ready, fake_stripe):
    return services.booking_pay(
        booking=accepted_booking, actor=seeker, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )


def completed(payment, event_id="evt_paid"):
    session = {
        "id": payment.checkout_session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "status": "complete",
        "payment_intent": "pi_123",
        "metadata": {"payment_id": str(payment.pk)},
    }
    return event(event_id, "checkout.session.completed", session)


def refunded(event_id="evt_refund"):
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_123", "refunded": True, "amount_refunded": 4500}
    return event(event_id, "charge.refunded", charge)


def test_a_signed_completed_checkout_marks_the_payment_paid(deliver, pending_payment):
    response = deliver(completed(pending_payment))
    assert response.status_code == 200
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.PAID
    assert pending_payment.payment_intent_id == "pi_123"
    assert StripeEvent.objects.get(event_id="evt_paid").status == StripeEvent.Status.PROCESSED


@pytest.mark.parametrize(
    "how",
    ["tampered body", "wrong secret", "stale timestamp", "no signature"],
)
def test_an_unverifiable_webhook_gets_400_and_changes_nothing(deliver, pending_payment, how):
    body = completed(pending_payment)
    signature = sign(body)
    if how == "tampered body":
        body = body.replace(b'"paid"', b'"paid" ', 1)
    elif how == "wrong secret":
        signature = sign(body, secret="whsec_someone_else")
    elif how == "stale timestamp":
        signature = sign(body, timestamp=int(time.time()) - 3600)
    else:
        signature = ""
    response = deliver(body, signature)
    assert response.status_code == 400
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.PENDING
    assert not StripeEvent.objects.exists()


def test_the_webhook_only_accepts_post(client, stripe_keys):
    assert client.get("/stripe/webhook/").status_code == 405


def test_the_same_event_delivered_five_times_has_one_effect(deliver, pending_payment, seeker):
    body = completed(pending_payment)
    responses = [deliver(body) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert StripeEvent.objects.filter(event_id="evt_paid").count() == 1
    # A refund recorded between deliveries must not be undone by a repeat of the payment event.
    deliver(refunded())
    deliver(body)
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.REFUNDED
    assert Payment.objects.count() == 1


def test_a_refund_arriving_before_the_payment_event_ends_refunded(deliver, pending_payment, fake_stripe):
    # We have not seen pi_123 yet, so the handler re-reads the intent from Stripe to find our payment.
    fake_stripe.respond(
        "GET",
        "/v1/payment_intents/pi_123",
        {"id": "pi_123", "object": "payment_intent", "metadata": {"payment_id": str(pending_payment.pk)}},
    )
    assert deliver(refunded()).status_code == 200
    assert deliver(completed(pending_payment)).status_code == 200
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.REFUNDED
    assert pending_payment.refunded_pence == 4500
    assert pending_payment.net_pence == 0


def test_a_unique_event_id_cannot_be_stored_twice(db):
    StripeEvent.objects.create(event_id="evt_once", type="x", payload={}, status=StripeEvent.Status.PROCESSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        StripeEvent.objects.create(event_id="evt_once", type="x", payload={}, status=StripeEvent.Status.PROCESSED)


def test_a_delivery_racing_with_one_already_recorded_does_nothing(pending_payment):
    body = {
        "id": "evt_race",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": pending_payment.checkout_session_id,
                "payment_status": "paid",
                "payment_intent": "pi_9",
                "metadata": {"payment_id": str(pending_payment.pk)},
            }
        },
    }
    # The other worker committed first (its row exists and is processed): our attempt must not apply the effect again.
    StripeEvent.objects.create(
        event_id="evt_race", type=body["type"], payload=body, status=StripeEvent.Status.PROCESSED
    )
    row = event_process("evt_race", body["type"], body)
    assert row.status == StripeEvent.Status.PROCESSED
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_have_one_effect(
    seeker, accepted_booking, card_ready, fake_stripe, stripe_keys
):
    if connection.vendor == "sqlite":
        # SQLite's shared in-memory test database answers "table is locked" to a second writer at once.
        pytest.skip("Run with DATABASE_URL pointing at PostgreSQL to race real transactions.")
    payment = services.booking_pay(
        booking=accepted_booking, actor=seeker, success_url="https://x.test/ok", cancel_url="https://x.test/no"
    )
    body = {
        "id": "evt_threads",
        "type": "account.updated",
        "data": {"object": {"id": "acct_ready", "charges_enabled": True}},
    }
    results = []

    def worker():
        try:
            results.append(event_process("evt_threads", body["type"], body).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [StripeEvent.Status.PROCESSED] * 5
    assert StripeEvent.objects.filter(event_id="evt_threads").count() == 1
    assert Payment.objects.filter(pk=payment.pk).count() == 1


def test_a_failed_event_is_recorded_answered_with_an_error_and_retried(deliver, pending_payment, fake_stripe):
    # Stripe is unreachable for the re-read: the event fails, is recorded, and Stripe will retry.
    fake_stripe.respond("GET", "/v1/payment_intents/pi_123", {"error": {"type": "api_error", "message": "down"}})
    fake_stripe.request = _failing(fake_stripe.request)
    response = deliver(refunded())
    assert response.status_code == 500
    row = StripeEvent.objects.get(event_id="evt_refund")
    assert row.status == StripeEvent.Status.FAILED and "Error" in row.error
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.PENDING

    fake_stripe.request = fake_stripe.request.__wrapped__
    fake_stripe.respond(
        "GET",
        "/v1/payment_intents/pi_123",
        {"id": "pi_123", "object": "payment_intent", "metadata": {"payment_id": str(pending_payment.pk)}},
    )
    call_command("retry_stripe_events")
    row.refresh_from_db()
    pending_payment.refresh_from_db()
    assert row.status == StripeEvent.Status.PROCESSED and row.attempts == 2
    assert pending_payment.status == Payment.Status.REFUNDED


def _failing(request):
    def failing(method, url, headers, post_data=None, *, _usage=None):
        if "/v1/payment_intents/" in url:
            return '{"error": {"type": "api_error", "message": "Stripe is down"}}', 500, {}
        return request(method, url, headers, post_data, _usage=_usage)

    failing.__wrapped__ = request
    return failing


def test_an_account_updated_event_makes_the_supporter_bookable_by_card(deliver, supporter, stripe_keys):
    StripeAccount.objects.create(user=supporter, account_id="acct_new")
    assert services.card_payment_problem(supporter)
    deliver(event("evt_acct", "account.updated", {"id": "acct_new", "object": "account", "charges_enabled": True}))
    assert services.card_payment_problem(supporter) == ""


def test_events_of_other_types_are_acknowledged_and_ignored(deliver, stripe_keys):
    assert deliver(event("evt_other", "customer.created", {"id": "cus_1"})).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_other").status == StripeEvent.Status.IGNORED


def test_reconcile_payments_brings_a_payment_in_line_with_stripe(pending_payment, fake_stripe):
    fake_stripe.respond(
        "GET",
        f"/v1/checkout/sessions/{pending_payment.checkout_session_id}",
        {
            "id": pending_payment.checkout_session_id,
            "object": "checkout.session",
            "payment_status": "paid",
            "status": "complete",
            "payment_intent": "pi_123",
            "metadata": {"payment_id": str(pending_payment.pk)},
        },
    )
    fake_stripe.respond(
        "GET",
        "/v1/payment_intents/pi_123",
        {
            "id": "pi_123",
            "object": "payment_intent",
            "latest_charge": {
                "id": "ch_1",
                "object": "charge",
                "payment_intent": "pi_123",
                "refunded": False,
                "amount_refunded": 0,
            },
        },
    )
    call_command("reconcile_payments")
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.Status.PAID and pending_payment.payment_intent_id == "pi_123"
