"""Every money figure for a booking comes from one function here: ``booking_money(booking)``.

The bookings list, the booking page (amount due, fee), the timesheet pages, the receipt, the
budget record and the council summary (page and CSV), the API and "download my data" all read
a ``BookingMoney`` from it, so they can never disagree.

Rounding rule (written once, here):

- Money is held in whole pence.
- An hours booking costs hours x hourly rate. The product is worked out exactly (hours are
  quarter hours, the rate is whole pence) and rounded ONCE, at the end, to the nearest penny,
  halves rounded up: 0.75 h at £16.50 = 1,237.5p, so £12.38; 1.5 h at £13.37 = 2,005.5p, so £20.06.
- Before the hours are approved the amount is for the hours booked; once the person (or their
  proxy) approves the timesheet, it is for the hours approved: 2.25 h at £20.00 = £45.00.
- A package costs its agreed price, whatever the hours.
- Open Circle's fee is ``PLATFORM_FEE_PERCENT`` of the amount due, rounded the same way
  (nearest penny, halves up). It is taken from the supporter's payment, not added to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # payments.models imports this module (pounds), so the models are only named here
    from .models import Booking

_PENNY = Decimal("1")


def pounds(pence: int | None) -> str:
    """£1,234.50 from 123450 pence, exactly."""
    value = Decimal(pence or 0) / 100
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def round_pence(value: Decimal) -> int:
    """An exact amount in pence, rounded to a whole penny: nearest, halves up."""
    return int(Decimal(value).quantize(_PENNY, rounding=ROUND_HALF_UP))


def hours_cost_pence(hours: Decimal, rate_pence: int) -> int:
    """hours x rate, rounded once (see the module's rounding rule)."""
    return round_pence(Decimal(hours) * Decimal(rate_pence))


def fee_pence(amount_pence: int) -> int:
    """Open Circle's fee on an amount: PLATFORM_FEE_PERCENT of it, nearest penny, halves up."""
    percent = Decimal(settings.PLATFORM_FEE_PERCENT or "0")
    return round_pence(Decimal(amount_pence) * percent / 100)


def _hours_text(hours: Decimal) -> str:
    # 2.25 -> "2.25", 1.50 -> "1.5", 2.00 -> "2": the hours as people write them.
    return f"{Decimal(hours).normalize():f}"


@dataclass(frozen=True)
class BookingMoney:
    """The money of one booking. Amounts in pence; the ``*_text`` properties are for people."""

    kind: str
    is_package: bool
    package_name: str
    hours_booked: Decimal
    hours_approved: Decimal | None  # set only once the timesheet is approved
    hours_recorded: Decimal | None  # hours the supporter recorded, waiting for approval (or queried)
    rate_pence: int | None
    agreed_pence: int  # as quoted when booked: hours booked x rate, or the package price
    due_pence: int  # what the booking costs now: approved hours x rate once approved, else ``agreed_pence``
    fee_pence: int  # Open Circle's fee on ``due_pence``
    recorded_pence: int | None  # what ``hours_recorded`` would cost once approved

    @property
    def recorded(self) -> str:
        return pounds(self.recorded_pence) if self.recorded_pence is not None else ""

    @property
    def hours_recorded_text(self) -> str:
        return _hours_text(self.hours_recorded) if self.hours_recorded is not None else ""

    @property
    def hours(self) -> Decimal:
        """The hours the amount due is for: the approved hours once there are some, else the hours booked."""
        return self.hours_approved if self.hours_approved is not None else self.hours_booked

    @property
    def rate(self) -> str:
        return pounds(self.rate_pence) if self.rate_pence else ""

    @property
    def agreed(self) -> str:
        return pounds(self.agreed_pence)

    @property
    def due(self) -> str:
        return pounds(self.due_pence)

    @property
    def fee(self) -> str:
        return pounds(self.fee_pence)

    @property
    def hours_booked_text(self) -> str:
        return _hours_text(self.hours_booked)

    @property
    def hours_approved_text(self) -> str:
        return _hours_text(self.hours_approved) if self.hours_approved is not None else ""

    @property
    def hours_text(self) -> str:
        return _hours_text(self.hours)

    @property
    def description(self) -> str:
        """What the amount due is for, in words: "2.25 hours of support at £20.00 an hour (hours approved; 2 booked)"."""
        if self.is_package:
            return _("Package: %(name)s (%(hours)s hours)") % {
                "name": self.package_name,
                "hours": self.hours_booked_text,
            }
        values = {"hours": self.hours_text, "rate": self.rate, "booked": self.hours_booked_text}
        if self.hours_approved is None:
            return _("%(hours)s hours of support at %(rate)s an hour") % values
        if self.hours_approved != self.hours_booked:
            return _("%(hours)s hours of support at %(rate)s an hour (hours approved; %(booked)s booked)") % values
        return _("%(hours)s hours of support at %(rate)s an hour (hours approved)") % values

    @property
    def summary(self) -> str:
        """One line for lists and records: "2.25 hours at £20.00 an hour = £45.00"."""
        if self.is_package:
            return f"{self.description} = {self.due}"
        return _("%(hours)s hours at %(rate)s an hour = %(due)s") % {
            "hours": self.hours_text,
            "rate": self.rate,
            "due": self.due,
        }


def booking_money(booking: Booking) -> BookingMoney:
    """The one calculation of a booking's money (see the module docstring for the rounding rule)."""
    by_the_hour = booking.kind == booking.Kind.HOURS and bool(booking.rate_pence)
    worked = booking.worked_hours if by_the_hour and booking.worked_hours else None
    approved = worked if booking.status == booking.Status.COMPLETED else None
    recorded = worked if approved is None else None
    agreed = booking.total_pence
    due = hours_cost_pence(approved, booking.rate_pence) if approved is not None else agreed
    return BookingMoney(
        kind=booking.kind,
        is_package=booking.kind == booking.Kind.PACKAGE,
        package_name=booking.package_name,
        hours_booked=booking.hours,
        hours_approved=approved,
        hours_recorded=recorded,
        rate_pence=booking.rate_pence,
        agreed_pence=agreed,
        due_pence=due,
        fee_pence=fee_pence(due),
        recorded_pence=hours_cost_pence(recorded, booking.rate_pence) if recorded is not None else None,
    )
