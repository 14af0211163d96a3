"""The only module that imports ``stripe``: a thin, typed layer over the stripe 16 StripeClient.

Everything returns plain dicts so the rest of the app never handles SDK objects.
Tests inject a fake ``stripe.HTTPClient`` through ``set_http_client``; no network.
"""

from __future__ import annotations

import json
import time
from typing import Any

import stripe
from django.conf import settings

TIMEOUT_SECONDS = 10
MAX_NETWORK_RETRIES = 2

StripeError = stripe.StripeError
SignatureError = stripe.SignatureVerificationError
_http_client: stripe.HTTPClient | None = None


class NotConfigured(Exception):
    """Stripe keys are not set: only payments made outside Open Circle can be recorded."""


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def webhooks_configured() -> bool:
    return bool(settings.STRIPE_WEBHOOK_SECRET)


def set_http_client(client: stripe.HTTPClient | None) -> None:
    """Use this HTTP client for every later request (tests pass a recording fake)."""
    global _http_client
    _http_client = client


def _client() -> stripe.StripeClient:
    if not is_configured():
        raise NotConfigured("Card payments are not set up on this site.")
    http_client = _http_client or stripe.new_default_http_client(timeout=TIMEOUT_SECONDS)
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, http_client=http_client, max_network_retries=MAX_NETWORK_RETRIES
    )


def _plain(obj: Any) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def account_create(*, email: str, idempotency_key: str) -> dict:
    account = _client().v1.accounts.create(
        {
            "type": "express",
            "country": "GB",
            "email": email,
            "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        },
        {"idempotency_key": idempotency_key},
    )
    return _plain(account)


def account_retrieve(account_id: str) -> dict:
    return _plain(_client().v1.accounts.retrieve(account_id))


def account_link_create(*, account_id: str, refresh_url: str, return_url: str) -> str:
    link = _client().v1.account_links.create(
        {"account": account_id, "refresh_url": refresh_url, "return_url": return_url, "type": "account_onboarding"}
    )
    return link.url


def checkout_session_create(
    *,
    amount_pence: int,
    fee_pence: int,
    destination: str,
    description: str,
    metadata: dict[str, str],
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
) -> dict:
    """A destination charge: the supporter's connected account receives the money less our fee."""
    intent_data: dict[str, Any] = {"transfer_data": {"destination": destination}, "metadata": metadata}
    if fee_pence:
        intent_data["application_fee_amount"] = fee_pence
    session = _client().v1.checkout.sessions.create(
        {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "gbp",
                        "unit_amount": amount_pence,
                        "product_data": {"name": description},
                    },
                }
            ],
            "payment_intent_data": intent_data,
            "metadata": metadata,
            "client_reference_id": metadata.get("payment_id", ""),
            "success_url": success_url,
            "cancel_url": cancel_url,
        },
        {"idempotency_key": idempotency_key},
    )
    return _plain(session)


def checkout_session_retrieve(session_id: str) -> dict:
    return _plain(_client().v1.checkout.sessions.retrieve(session_id))


def payment_intent_retrieve(payment_intent_id: str) -> dict:
    return _plain(_client().v1.payment_intents.retrieve(payment_intent_id, {"expand": ["latest_charge"]}))


def refund_create(*, payment_intent_id: str, amount_pence: int, idempotency_key: str) -> dict:
    """Refund to the card; the transfer and our fee are reversed with it."""
    refund = _client().v1.refunds.create(
        {
            "payment_intent": payment_intent_id,
            "amount": amount_pence,
            "reverse_transfer": True,
            "refund_application_fee": True,
        },
        {"idempotency_key": idempotency_key},
    )
    return _plain(refund)


def event_verify(payload: bytes, signature_header: str, tolerance: int = 300) -> dict:
    """Check the Stripe-Signature header (HMAC and timestamp), then return the event as a dict.

    Raises SignatureError for a bad signature or a stale timestamp, ValueError for a body that is not JSON.
    """
    stripe.WebhookSignature.verify_header(
        payload.decode("utf-8"), signature_header, settings.STRIPE_WEBHOOK_SECRET, tolerance
    )
    # Stripe's check refuses only old timestamps; one from the future beyond the tolerance is refused too.
    stamps = [item.partition("=")[2] for item in signature_header.split(",") if item.strip().startswith("t=")]
    if not stamps or not stamps[0].strip().isdigit() or int(stamps[0]) > time.time() + tolerance:
        raise SignatureError("Timestamp outside the tolerance zone", signature_header, payload)
    return json.loads(payload)
