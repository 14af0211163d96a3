"""What payments holds about a person, for "download my data", and what deletion keeps."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Booking, Budget, BudgetEntry, Payment, StripeAccount


def _booking(booking: Booking, user) -> dict[str, Any]:
    payment = Payment.objects.filter(booking=booking).first()
    return {
        "id": booking.pk,
        "as": "supporter" if booking.supporter_id == user.pk else "seeker",
        "with": booking.supporter_name if booking.supporter_id != user.pk else str(booking.seeker or "A former member"),
        "what": booking.money.description,
        "start": f"{booking.start_date} {booking.start_time}",
        "end_date": booking.end_date.isoformat(),
        "rate": booking.money.rate,
        "agreed_total": booking.money.agreed,
        "total": booking.money.due,
        "status": booking.get_status_display(),
        "note": booking.note,
        "worked_hours": str(booking.worked_hours) if booking.worked_hours is not None else None,
        "timesheet_note": booking.timesheet_note,
        "query_note": booking.query_note,
        "payment": payment
        and {
            "receipt_number": payment.receipt_number,
            "method": payment.get_method_display(),
            "status": payment.get_status_display(),
            "amount": payment.amount,
            "fee": payment.fee,
            "refunded_pence": payment.refunded_pence,
            "paid_by": payment.paid_by,
            "paid_how": payment.paid_how,
            "paid_on": payment.paid_on and payment.paid_on.isoformat(),
        },
    }


def export_for(user) -> dict[str, Any]:
    budget = Budget.objects.filter(user=user).first()
    account = StripeAccount.objects.filter(user=user).first()
    return {
        "bookings": [_booking(b, user) for b in Booking.objects.filter(Q(seeker=user) | Q(supporter=user))],
        "budget": budget
        and {"amount": budget.amount, "period": budget.period, "starts_on": budget.starts_on.isoformat()},
        "budget_entries": [
            {"date": e.spent_on.isoformat(), "description": e.description, "paid_to": e.paid_to, "amount": e.amount}
            for e in BudgetEntry.objects.filter(user=user)
        ],
        "stripe_account": account and {"account_id": account.account_id, "charges_enabled": account.charges_enabled},
    }


def forget_on_delete(sender, user, **kwargs) -> None:
    from .services import user_payments_forget

    user_payments_forget(user=user)
