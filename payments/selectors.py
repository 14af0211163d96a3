"""Reads that carry permission rules: bookings, receipts and budgets as one person may see them.

Who may see a booking and its payment: the seeker, the supporter, and a proxy the seeker has
allowed to see payments (ProxyLink.can_see_payments). Anyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import dateformat
from django.utils.translation import gettext as _

from profiles.models import ProxyLink, User

from .models import Booking, Budget, BudgetEntry, Payment, pounds


def seeker_ids_actor_manages(actor: User) -> set[int]:
    """The people whose bookings, payments and budget this person may see and manage: themselves,
    and anyone with an active proxy link to them that allows payments."""
    if not actor.is_authenticated:
        return set()
    ids = ProxyLink.objects.filter(proxy=actor, revoked_at__isnull=True, can_see_payments=True).values_list(
        "seeker_id", flat=True
    )
    return {actor.pk, *ids}


def booking_exists_between(a_id: int, b_id: int) -> bool:
    """Whether these two people have agreed a booking, either as seeker and supporter or the other
    way round: accepted, hours recorded or completed (a request waiting for an answer, a declined
    or a cancelled booking does not count). Registered as ``profiles.ports.booking_agreed_between``."""
    not_agreed = (Booking.Status.REQUESTED, Booking.Status.DECLINED, Booking.Status.CANCELLED)
    agreed = [status for status in Booking.Status if status not in not_agreed]
    return Booking.objects.filter(
        Q(seeker_id=a_id, supporter_id=b_id) | Q(seeker_id=b_id, supporter_id=a_id), status__in=agreed
    ).exists()


def people_managed(actor: User) -> list[User]:
    return list(User.objects.filter(pk__in=seeker_ids_actor_manages(actor)).order_by("pk"))


def bookings_visible_to(viewer: User) -> QuerySet[Booking]:
    if not viewer.is_authenticated:
        return Booking.objects.none()
    return (
        Booking.objects.filter(Q(seeker_id__in=seeker_ids_actor_manages(viewer)) | Q(supporter=viewer))
        .select_related("seeker", "supporter", "supporter_profile", "payment")
        .distinct()
    )


def booking_for(*, viewer: User, pk: int) -> Booking:
    booking = bookings_visible_to(viewer).filter(pk=pk).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def payment_for_receipt(*, viewer: User, number: str) -> Payment:
    payment = (
        Payment.objects.filter(receipt_number=number, booking__in=bookings_visible_to(viewer))
        .filter(status__in=[Payment.Status.PAID, Payment.Status.REFUNDED])
        .select_related("booking", "booking__seeker")
        .first()
    )
    if payment is None:
        raise Http404("No such receipt.")
    return payment


def managed_seeker(*, viewer: User, user_id: int | None) -> User:
    """The person whose budget is shown: the viewer, or someone they manage payments for (else 404)."""
    target = user_id or viewer.pk
    if target not in seeker_ids_actor_manages(viewer):
        raise Http404("No such budget.")
    return User.objects.get(pk=target)


@dataclass
class SpendLine:
    on: date
    what: str
    paid_to: str
    amount_pence: int
    source: str
    reference: str

    @property
    def amount(self) -> str:
        return pounds(self.amount_pence)


def spending(seeker: User, start: date, end: date) -> list[SpendLine]:
    """Bookings paid (net of refunds) and entries added by hand, from ``start`` to ``end`` inclusive."""
    lines = []
    payments = Payment.objects.filter(
        booking__seeker=seeker,
        status__in=[Payment.Status.PAID, Payment.Status.REFUNDED],
        paid_on__gte=start,
        paid_on__lte=end,
    ).select_related("booking")
    for payment in payments:
        if payment.net_pence and payment.paid_on:  # paid_on is set (the filter above); this tells the type checker
            booking = payment.booking
            what = booking.money.description
            lines.append(
                SpendLine(
                    payment.paid_on,
                    what,
                    booking.supporter_name,
                    payment.net_pence,
                    payment.get_method_display(),
                    payment.receipt_number,
                )
            )
    for entry in BudgetEntry.objects.filter(user=seeker, spent_on__gte=start, spent_on__lte=end):
        lines.append(
            SpendLine(
                entry.spent_on,
                entry.description,
                entry.paid_to,
                entry.amount_pence,
                _("Added by hand"),
                f"entry-{entry.pk}",
            )
        )
    return sorted(lines, key=lambda line: (line.on, line.reference))


@dataclass
class BudgetStatus:
    budget: Budget
    start: date
    end: date
    spent_pence: int

    @property
    def left_pence(self) -> int:
        return self.budget.amount_pence - self.spent_pence

    @property
    def spent(self) -> str:
        return pounds(self.spent_pence)

    @property
    def left(self) -> str:
        return pounds(self.left_pence)

    @property
    def level(self) -> str:
        if self.left_pence < 0:
            return "overspent"
        if self.left_pence < self.budget.amount_pence * Budget.LOW_SHARE:
            return "low"
        return "ok"

    @property
    def message(self) -> str:
        dates = {"start": dateformat.format(self.start, "j F Y"), "end": dateformat.format(self.end, "j F Y")}
        if self.level == "overspent":
            return _("Overspent: you have spent %(amount)s more than your budget for %(start)s to %(end)s.") % {
                "amount": pounds(-self.left_pence),
                **dates,
            }
        percent = int(self.left_pence * 100 // self.budget.amount_pence)
        left = {"left": pounds(self.left_pence), "percent": percent, **dates}
        if self.level == "low":
            return _("Running low: %(left)s left (%(percent)s%%) for %(start)s to %(end)s.") % left
        return _("On track: %(left)s left (%(percent)s%%) for %(start)s to %(end)s.") % left


def budget_status(seeker: User, today: date) -> BudgetStatus | None:
    budget = Budget.objects.filter(user=seeker).first()
    if budget is None:
        return None
    start, end = budget.window(today)
    spent = sum(line.amount_pence for line in spending(seeker, start, end))
    return BudgetStatus(budget, start, end, spent)
