"""Stripe webhooks: verify, record each event id once in the same transaction as its effect, retry failures.

Ordering is never trusted: each handler applies the object's state as Stripe reports it, and
Payment.advance ignores a state that would move a payment backwards (paid after refunded).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
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
    except (stripe_client.SignatureError, ValueError, KeyError, TypeError):
        return HttpResponse("Invalid signature or payload.", status=400, content_type="text/plain")
    outcome = event_process(event_id, event_type, event)
    # Stripe retries anything that is not 2xx: a failed event comes back until it succeeds.
    status = 500 if outcome.status == StripeEvent.Status.FAILED else 200
    return HttpResponse(outcome.status, status=status, content_type="text/plain")


def event_process(event_id: str, event_type: str, payload: dict) -> StripeEvent:
    """Apply one event exactly once. Duplicates (sequential or concurrent) change nothing."""
    try:
        with transaction.atomic():
            row, created = StripeEvent.objects.select_for_update().get_or_create(
                event_id=event_id, defaults={"type": event_type, "payload": payload, "status": StripeEvent.Status.FAILED}
            )
            if not created and row.status != StripeEvent.Status.FAILED:
                return row
            if not created:
                row.attempts += 1
            _apply(row, event_type, payload)
            return row
    except IntegrityError:
        # A concurrent delivery inserted the same event id first: it owns the effect.
        return StripeEvent.objects.get(event_id=event_id)


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
    """Run failed events again (``manage.py retry_stripe_events``)."""
    failed = list(StripeEvent.objects.filter(status=StripeEvent.Status.FAILED).order_by("received_at")[:limit])
    return [event_process(row.event_id, row.type, row.payload) for row in failed]
