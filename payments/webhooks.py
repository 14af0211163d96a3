"""Stripe webhooks: verify, record each event id once in the same transaction as its effect, retry failures.

Ordering is never trusted: each handler applies the object's state as Stripe reports it, and
Payment.advance ignores a state that would move a payment backwards (paid after refunded).

Duplicates: the event row is inserted with ON CONFLICT DO NOTHING and then locked, so however
many deliveries of one event arrive at once, one applies it and the rest answer 200 and change
nothing. An event that has failed ``MAX_ATTEMPTS`` times (for example one missing its data) is
not tried again by deliveries or by ``retry_stripe_events``: it is listed for a person (the
command prints it; the admin filters "Needs a person").
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services, stripe_client
from .models import StripeEvent

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[dict], object]] = {
    "checkout.session.completed": services.payment_apply_session,
    "checkout.session.async_payment_succeeded": services.payment_apply_session,
    "checkout.session.expired": services.payment_apply_session,
    "charge.refunded": services.payment_apply_charge,
    "account.updated": services.stripe_account_apply,
}


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    if not stripe_client.webhooks_configured():
        return HttpResponse("Webhooks are not configured on this site.", status=400, content_type="text/plain")
    try:
        event = stripe_client.event_verify(request.body, request.headers.get("Stripe-Signature", ""))
        event_id, event_type = str(event["id"]), str(event["type"])
    except (stripe_client.SignatureError, ValueError, KeyError, TypeError, RecursionError):
        return HttpResponse("Invalid signature or payload.", status=400, content_type="text/plain")
    try:
        outcome = event_process(event_id, event_type, event)
    except DatabaseError:
        # A lock wait or serialization failure while another delivery of the same event holds it:
        # that delivery owns the effect (and answers Stripe for it), so this duplicate is a no-op.
        if not StripeEvent.objects.filter(event_id=event_id).exists():
            raise
        logger.warning("Stripe event %s: a concurrent delivery is handling it", event_id)
        return HttpResponse("duplicate", status=200, content_type="text/plain")
    # Stripe retries anything that is not 2xx: a failed event comes back until it succeeds, or until
    # it has failed MAX_ATTEMPTS times, when it waits for a person instead.
    will_retry = outcome.status == StripeEvent.Status.FAILED and outcome.attempts < max_attempts()
    return HttpResponse(outcome.status, status=500 if will_retry else 200, content_type="text/plain")


def max_attempts() -> int:
    return settings.STRIPE_EVENT_MAX_ATTEMPTS


def event_process(event_id: str, event_type: str, payload: dict) -> StripeEvent:
    """Apply one event exactly once. Duplicates (sequential or concurrent) change nothing."""
    with transaction.atomic():
        # attempts=0 marks "recorded, not yet tried"; a concurrent insert of the same id waits for
        # the first to commit and then inserts nothing (no IntegrityError, so no 500).
        StripeEvent.objects.bulk_create(
            [
                StripeEvent(
                    event_id=event_id, type=event_type, payload=payload, status=StripeEvent.Status.FAILED, attempts=0
                )
            ],
            ignore_conflicts=True,
        )
        row = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if row.status != StripeEvent.Status.FAILED or row.attempts >= max_attempts():
            return row  # done already, or given up on: listed for a person
        row.attempts += 1
        _apply(row, event_type, payload)
        return row


def _apply(row: StripeEvent, event_type: str, payload: dict) -> None:
    handler = HANDLERS.get(event_type)
    if handler is None:
        row.status = StripeEvent.Status.IGNORED
    else:
        try:
            with transaction.atomic():
                handler(payload["data"]["object"])
        except Exception as error:  # recorded on the row and retried; never leaks to Stripe
            logger.exception("Stripe event %s (%s) failed", row.event_id, event_type)
            row.status, row.error = StripeEvent.Status.FAILED, f"{type(error).__name__}: {error}"[:2000]
            row.save()
            return
        row.status, row.error = StripeEvent.Status.PROCESSED, ""
    row.processed_at = timezone.now()
    row.save()


def events_retry_failed(limit: int = 100) -> list[StripeEvent]:
    """Run failed events again (``manage.py retry_stripe_events``), except those already tried ``MAX_ATTEMPTS`` times."""
    failed = list(
        StripeEvent.objects.filter(status=StripeEvent.Status.FAILED, attempts__lt=max_attempts()).order_by(
            "received_at"
        )[:limit]
    )
    return [event_process(row.event_id, row.type, row.payload) for row in failed]


def events_needing_a_person():
    """Failed events that will not be tried again: an operator should look at each (admin: "Needs a person")."""
    return StripeEvent.objects.filter(status=StripeEvent.Status.FAILED, attempts__gte=max_attempts()).order_by(
        "received_at"
    )
