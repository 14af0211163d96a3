"""Bring our payments in line with Stripe's records (``manage.py reconcile_payments``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from . import services, stripe_client
from .models import Payment, StripeAccount


@dataclass
class Report:
    checked: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)


def _state(payment: Payment) -> tuple:
    return payment.status, payment.refunded_pence, payment.payment_intent_id


def _reconcile_one(payment: Payment, report: Report) -> None:
    before = _state(payment)
    with transaction.atomic():
        if payment.status in (Payment.Status.PENDING, Payment.Status.EXPIRED) and payment.checkout_session_id:
            services.payment_apply_session(stripe_client.checkout_session_retrieve(payment.checkout_session_id))
        payment.refresh_from_db()
        if payment.payment_intent_id and payment.status == Payment.Status.PAID:
            charge = stripe_client.payment_intent_retrieve(payment.payment_intent_id).get("latest_charge")
            if isinstance(charge, dict):
                services.payment_apply_charge(charge)
    payment.refresh_from_db()
    report.checked += 1
    report.changed += _state(payment) != before


def reconcile_payments() -> Report:
    report = Report()
    card = Payment.objects.filter(method=Payment.Method.CARD).exclude(status=Payment.Status.REFUNDED)
    for payment in card.exclude(checkout_session_id="", payment_intent_id=""):
        try:
            _reconcile_one(payment, report)
        except stripe_client.StripeError as error:
            report.errors.append(f"{payment.receipt_number}: {type(error).__name__}")
    for account in StripeAccount.objects.filter(charges_enabled=False):
        try:
            services.stripe_account_apply(stripe_client.account_retrieve(account.account_id))
        except stripe_client.StripeError as error:
            report.errors.append(f"{account.account_id}: {type(error).__name__}")
    return report
