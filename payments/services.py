"""Every change to offers, bookings, payments and budgets goes through these functions.

Pages, the API, webhooks and commands call the same functions. Stripe is reached only
through ``stripe_client``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles import services as profile_services
from profiles.models import Block, Connection, Profile, User
from profiles.vocabulary import PAID_ROLES

from . import money, selectors, stripe_client
from .models import Booking, Budget, BudgetEntry, Package, Payment, StripeAccount, hours_problem, pounds, to_pence

S = Booking.Status


# Offers ------------------------------------------------------------------------------------


def _require_own_paid_profile(profile: Profile, actor: User) -> None:
    if profile.user_id != actor.pk:
        raise PermissionDenied(_("You can only change your own offers."))
    if profile.role not in PAID_ROLES:
        raise ValidationError(
            _("Only personal assistants and support brokers set prices. Peer advisors are volunteers.")
        )


def offer_rate_set(*, profile: Profile, actor: User, hourly_rate: Decimal | None) -> Profile:
    """The hourly rate lives on the profile; the profile service validates and saves it."""
    _require_own_paid_profile(profile, actor)
    return profile_services.profile_update(profile=profile, actor=actor, data={"hourly_rate": hourly_rate})


def _sync_packages(profile: Profile, actor: User) -> None:
    # Profile.packages is the register's interchange copy: keep it equal to the Package rows.
    data = [package.as_interchange() for package in profile.offer_packages.all()]
    profile_services.profile_update(profile=profile, actor=actor, data={"packages": data})


@transaction.atomic
def package_save(
    *,
    profile: Profile,
    actor: User,
    name: str,
    price: Decimal,
    hours: Decimal,
    included: str = "",
    package: Package | None = None,
) -> Package:
    _require_own_paid_profile(profile, actor)
    if package is not None and package.profile_id != profile.pk:
        raise PermissionDenied(_("You can only change your own packages."))
    package = package or Package(profile=profile)
    package.name, package.hours, package.included = name.strip(), hours, included.strip()
    package.price_pence = to_pence(price) if price is not None else 0
    package.full_clean()
    package.save()
    _sync_packages(profile, actor)
    return package


@transaction.atomic
def package_delete(*, package: Package, actor: User) -> None:
    profile = package.profile
    _require_own_paid_profile(profile, actor)
    package.delete()
    _sync_packages(profile, actor)


# Bookings ----------------------------------------------------------------------------------


def platform_fee_pence(total_pence: int) -> int:
    """Open Circle's fee on an amount (the rule lives in ``money.fee_pence``)."""
    return money.fee_pence(total_pence)


def card_payment_problem(supporter: User | None) -> str:
    """Why this supporter cannot be paid by card, in words; '' when they can."""
    if not stripe_client.is_configured():
        return _(
            "Card payments are not set up on this Open Circle site, so pay the supporter the way you usually do "
            "(for example from your council-managed account, prepaid card or payroll service) and record it here."
        )
    account = StripeAccount.objects.filter(user=supporter).first() if supporter else None
    if account is None or not account.charges_enabled:
        return _(
            "This supporter cannot take card payments yet: they need to finish setting up payments with Stripe "
            "from their Offers page. Until then, pay them another way and record it here."
        )
    return ""


def _check_can_book(seeker: User, actor: User, profile: Profile) -> None:
    if seeker.pk not in selectors.seeker_ids_actor_manages(actor):
        raise PermissionDenied(_("You can only book for yourself, or for someone who lets you manage their payments."))
    if profile.user_id is None or profile.role not in PAID_ROLES or not profile.is_listed:
        raise ValidationError(
            _("This listing cannot take bookings. Choose a listed personal assistant or support broker.")
        )
    if profile.user_id == seeker.pk:
        raise ValidationError(_("You cannot book yourself."))
    if profile.user_id in Block.user_ids_hidden_from(seeker.pk):
        raise ValidationError(_("You cannot book this person."))
    if not Connection.between(seeker.pk, profile.user_id).exists():
        raise ValidationError(
            _("You can book someone once you are in contact with them. Send them a contact request first.")
        )


def _price(
    profile: Profile, kind: str, hours: Decimal | None, package: Package | None, days: int
) -> tuple[int | None, int, Decimal, str]:
    """(rate in pence, total in pence, hours, package name) for a booking of this kind."""
    if kind == Booking.Kind.PACKAGE:
        if package is None or package.profile_id != profile.pk:
            raise ValidationError({"package": [_("Choose one of this supporter's packages.")]})
        return None, package.price_pence, package.hours, package.name
    if profile.hourly_rate is None:
        raise ValidationError({"hours": [_("This supporter has not set an hourly rate yet. Ask them to add one.")]})
    if (problem := hours_problem(hours, days)) or hours is None:  # no hours is itself a problem, with its message
        raise ValidationError({"hours": [problem]})
    rate = to_pence(profile.hourly_rate)
    return rate, money.hours_cost_pence(hours, rate), hours, ""


def booking_create(
    *,
    actor: User,
    seeker: User,
    profile: Profile,
    start_date: date,
    start_time: time,
    end_date: date | None = None,
    kind: str = Booking.Kind.HOURS,
    hours: Decimal | None = None,
    package: Package | None = None,
    note: str = "",
) -> Booking:
    """Ask a connected supporter for hours or a package at their current price. They accept or decline."""
    _check_can_book(seeker, actor, profile)
    if start_date < timezone.localdate():
        raise ValidationError({"start_date": [_("Choose today or a day in the future.")]})
    if timezone.make_aware(datetime.combine(start_date, start_time)) <= timezone.now():
        raise ValidationError(
            {"start_time": [_("That time has already passed today. Choose a later time, or another day.")]}
        )
    end_date = end_date or start_date
    if end_date < start_date:
        raise ValidationError({"end_date": [_("The last day cannot be before the first day.")]})
    rate, total, hours, package_name = _price(profile, kind, hours, package, (end_date - start_date).days + 1)
    booking = Booking(
        seeker=seeker,
        supporter_id=profile.user_id,
        supporter_profile=profile,
        supporter_name=profile.display_name,
        created_by=actor,
        kind=kind,
        package=package,
        package_name=package_name,
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        hours=hours,
        rate_pence=rate,
        total_pence=total,
        note=note.strip(),
    )
    booking.full_clean()
    booking.save()
    notification_send(
        recipient=booking.supporter_id,
        kind=NotificationKind.BOOKING_REQUEST,
        link=reverse("payments:booking-detail", args=[booking.pk]),
    )
    return booking


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().get(pk=booking.pk)


def _as_supporter(booking: Booking, actor: User) -> None:
    if actor.pk != booking.supporter_id:
        raise PermissionDenied(_("Only the supporter can do this."))


def _as_seeker_side(booking: Booking, actor: User) -> None:
    if booking.seeker_id not in selectors.seeker_ids_actor_manages(actor):
        raise PermissionDenied(_("Only the person who booked, or someone who manages their payments, can do this."))


def _move(booking: Booking, status: str, **fields) -> Booking:
    booking.move_to(status)
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.full_clean()
    booking.save()
    return booking


@transaction.atomic
def booking_accept(*, booking: Booking, actor: User) -> Booking:
    booking = _locked(booking)
    _as_supporter(booking, actor)
    _tell(booking.seeker_id, NotificationKind.BOOKING_ANSWERED, booking)
    return _move(booking, S.ACCEPTED)


@transaction.atomic
def booking_decline(*, booking: Booking, actor: User) -> Booking:
    booking = _locked(booking)
    _as_supporter(booking, actor)
    _tell(booking.seeker_id, NotificationKind.BOOKING_ANSWERED, booking)
    return _move(booking, S.DECLINED)


def _tell(recipient_id: int | None, kind: str, booking: Booking) -> None:
    """The other side hears about a change to a booking (after commit; the title never names anyone)."""
    notification_send(recipient=recipient_id, kind=kind, link=reverse("payments:booking-detail", args=[booking.pk]))


def refund_due_pence(booking: Booking, actor: User, now=None) -> int:
    """A full refund when the supporter cancels or the seeker cancels within the free-cancellation time."""
    payment = getattr(booking, "payment", None)
    if payment is None or payment.method != Payment.Method.CARD or payment.status != Payment.Status.PAID:
        return 0
    if actor.pk == booking.supporter_id or (now or timezone.now()) <= booking.free_cancellation_until:
        return payment.amount_pence - payment.refunded_pence
    return 0


def booking_cancel(*, booking: Booking, actor: User) -> Booking:
    """Cancel; a card payment is refunded in full within the terms (see Booking.cancellation_terms)."""
    with transaction.atomic():
        booking = _locked(booking)
        if actor.pk != booking.supporter_id:
            _as_seeker_side(booking, actor)
        refund = refund_due_pence(booking, actor)
        _move(booking, S.CANCELLED, cancelled_by=actor)
        other = booking.seeker_id if actor.pk == booking.supporter_id else booking.supporter_id
        _tell(other, NotificationKind.BOOKING_CANCELLED, booking)
    if refund:
        payment_refund(payment=booking.payment, amount_pence=refund)
    return booking


@transaction.atomic
def timesheet_submit(*, booking: Booking, actor: User, worked_hours: Decimal, note: str = "") -> Booking:
    booking = _locked(booking)
    _as_supporter(booking, actor)
    if timezone.now() < booking.starts_at:
        starts = timezone.localtime(booking.starts_at)
        raise ValidationError(
            _(
                "Record the hours worked on or after the booked day, once the booking has started "
                "(from %(time)s on %(day)s)."
            )
            % {"time": dateformat.format(starts, "H:i"), "day": dateformat.format(starts, "l j F Y")}
        )
    if problem := hours_problem(worked_hours, booking.hours_days):
        raise ValidationError({"worked_hours": [problem]})
    notification_send(
        recipient=booking.seeker_id,
        kind=NotificationKind.TIMESHEET_TO_APPROVE,
        link=reverse("payments:booking-detail", args=[booking.pk]),
    )
    return _move(booking, S.HOURS_SUBMITTED, worked_hours=worked_hours, timesheet_note=note.strip(), query_note="")


@transaction.atomic
def timesheet_approve(*, booking: Booking, actor: User) -> Booking:
    from matching.services import engagement_record

    booking = _locked(booking)
    _as_seeker_side(booking, actor)
    if booking.seeker is None or booking.supporter is None:
        raise ValidationError(_("The other person has closed their account, so these hours cannot be approved here."))
    _move(booking, S.COMPLETED)
    engagement = engagement_record(
        seeker=booking.seeker,
        supporter=booking.supporter,
        source="booking",
        source_ref=f"booking:{booking.pk}",
        supporter_profile=booking.supporter_profile,
    )
    for party in (engagement.seeker_id, engagement.supporter_id):
        notification_send(
            recipient=party, kind=NotificationKind.RATING_TO_GIVE, link=reverse("ratings:rate", args=[engagement.pk])
        )
    return booking


@transaction.atomic
def timesheet_query(*, booking: Booking, actor: User, note: str) -> Booking:
    booking = _locked(booking)
    _as_seeker_side(booking, actor)
    if not note.strip():
        raise ValidationError({"note": [_("Say what looks wrong, so the supporter can check and correct it.")]})
    return _move(booking, S.HOURS_QUERIED, query_note=note.strip())


# Payments ----------------------------------------------------------------------------------


def _payable(booking: Booking, actor: User) -> None:
    _as_seeker_side(booking, actor)
    if booking.status in (S.REQUESTED, S.DECLINED, S.CANCELLED):
        raise ValidationError(_("You can pay once the supporter has accepted the booking."))


def amount_due_pence(booking: Booking) -> int:
    """Approved hours when there are some, otherwise the agreed total (``money.booking_money``)."""
    return money.booking_money(booking).due_pence


def booking_pay(*, booking: Booking, actor: User, success_url: str, cancel_url: str) -> Payment:
    """Open (or reopen) Stripe Checkout for this booking. A second click returns the same session."""
    with transaction.atomic():
        booking = _locked(booking)
        _payable(booking, actor)
        if (problem := card_payment_problem(booking.supporter)) or booking.supporter is None:  # no supporter: a problem
            raise ValidationError(problem)
        payment = _pending_card_payment(booking, actor)
        if payment.checkout_session_id:
            return payment
        session = stripe_client.checkout_session_create(
            amount_pence=payment.amount_pence,
            fee_pence=payment.fee_pence,
            destination=booking.supporter.stripe_account.account_id,
            description=f"Support from {booking.supporter_name}, booking {booking.pk}",
            metadata={"booking_id": str(booking.pk), "payment_id": str(payment.pk)},
            success_url=success_url,
            cancel_url=cancel_url,
            idempotency_key=payment.idempotency_key,
        )
        payment.checkout_session_id, payment.checkout_url = session["id"], session["url"]
        payment.save(update_fields=["checkout_session_id", "checkout_url", "updated_at"])
    return payment


def _new_key(booking: Booking) -> str:
    return f"booking-{booking.pk}-checkout-{uuid.uuid4().hex}"


def _pending_card_payment(booking: Booking, actor: User) -> Payment:
    payment = Payment.objects.filter(booking=booking).first()
    if payment is None:
        due = money.booking_money(booking)
        return Payment.objects.create(
            booking=booking,
            method=Payment.Method.CARD,
            amount_pence=due.due_pence,
            fee_pence=due.fee_pence,
            idempotency_key=_new_key(booking),
            created_by=actor,
        )
    if payment.is_settled:
        raise ValidationError(_("This booking is already paid. You can see the receipt on the booking page."))
    if payment.status == Payment.Status.EXPIRED:
        # A new Checkout session needs a new key: Stripe would reject the old key with new parameters.
        payment.status, payment.idempotency_key = Payment.Status.PENDING, _new_key(booking)
        payment.checkout_session_id = payment.checkout_url = ""
        payment.save()
    return payment


@transaction.atomic
def payment_record_outside(
    *, booking: Booking, actor: User, paid_by: str, paid_how: str, paid_on: date, amount: Decimal | None = None
) -> Payment:
    """Record a payment made from a council-managed account, prepaid card, payroll service and so on."""
    booking = _locked(booking)
    _payable(booking, actor)
    existing = Payment.objects.filter(booking=booking).first()
    if existing and (existing.is_settled or existing.checkout_session_id):
        raise ValidationError(_("A payment is already recorded or started for this booking."))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": [_("Enter the date it was paid: today or earlier.")]})
    pence = to_pence(amount) if amount is not None else amount_due_pence(booking)
    payment = existing or Payment(booking=booking, idempotency_key=_new_key(booking))
    payment.method, payment.status, payment.amount_pence = Payment.Method.OUTSIDE, Payment.Status.PAID, pence
    payment.paid_by, payment.paid_how, payment.paid_on, payment.created_by = paid_by.strip(), paid_how, paid_on, actor
    payment.full_clean()
    payment.save()
    return payment


def payment_refund(*, payment: Payment, amount_pence: int) -> Payment:
    refund = stripe_client.refund_create(
        payment_intent_id=payment.payment_intent_id,
        amount_pence=amount_pence,
        idempotency_key=f"{payment.idempotency_key}-refund",
    )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        payment.refund_id = refund["id"]
        payment.refunded_pence = max(payment.refunded_pence, amount_pence)
        payment.advance(Payment.Status.REFUNDED)
        payment.save()
    return payment


def payment_apply_session(session: dict) -> Payment | None:
    """Bring a payment in line with a Checkout session as Stripe reports it (webhook or reconcile)."""
    payment = (
        _payment_from_metadata(session.get("metadata") or {})
        or Payment.objects.filter(checkout_session_id=session.get("id")).first()
    )
    if payment is None:
        return None
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if session.get("payment_intent") and not payment.payment_intent_id:
        payment.payment_intent_id = session["payment_intent"]
    if session.get("payment_status") == "paid":
        if payment.advance(Payment.Status.PAID):
            payment.paid_on = timezone.localdate()
    elif session.get("status") == "expired" and payment.checkout_session_id == session.get("id"):
        payment.advance(Payment.Status.EXPIRED)
    payment.save()
    return payment


def payment_apply_charge(charge: dict) -> Payment | None:
    """Record a refund from a charge. Arriving before the payment event, it still ends as refunded."""
    intent_id = charge.get("payment_intent") or ""
    payment = Payment.objects.filter(payment_intent_id=intent_id).first() if intent_id else None
    if payment is None and intent_id:
        # We have not heard about this payment yet: re-read the intent from Stripe to find our booking.
        payment = _payment_from_metadata(stripe_client.payment_intent_retrieve(intent_id).get("metadata") or {})
    if payment is None:
        return None
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    payment.payment_intent_id = payment.payment_intent_id or intent_id
    payment.refunded_pence = min(payment.amount_pence, max(payment.refunded_pence, charge.get("amount_refunded", 0)))
    if charge.get("refunded"):
        payment.advance(Payment.Status.REFUNDED)
    if payment.paid_on is None:
        payment.paid_on = timezone.localdate()
    payment.save()
    return payment


def _payment_from_metadata(metadata: dict) -> Payment | None:
    payment_id = str(metadata.get("payment_id", ""))
    return Payment.objects.filter(pk=int(payment_id)).first() if payment_id.isdigit() else None


# Stripe Connect onboarding -----------------------------------------------------------------


def stripe_onboarding_link(*, actor: User, return_url: str, refresh_url: str) -> str:
    """Create the supporter's connected account once, then a fresh Stripe-hosted onboarding link."""
    if not actor.profiles.filter(role__in=PAID_ROLES).exists():
        raise ValidationError(_("Only personal assistants and support brokers take payments."))
    account = StripeAccount.objects.filter(user=actor).first()
    if account is None:
        data = stripe_client.account_create(email=actor.email, idempotency_key=f"connect-account-user-{actor.pk}")
        account, _created = StripeAccount.objects.get_or_create(user=actor, defaults={"account_id": data["id"]})
        stripe_account_apply(data)
    return stripe_client.account_link_create(
        account_id=account.account_id, refresh_url=refresh_url, return_url=return_url
    )


def stripe_account_apply(data: dict) -> StripeAccount | None:
    """Store what Stripe says this connected account can do (onboarding return, account.updated)."""
    account = StripeAccount.objects.filter(account_id=data.get("id")).first()
    if account is None:
        return None
    account.charges_enabled = bool(data.get("charges_enabled"))
    account.payouts_enabled = bool(data.get("payouts_enabled"))
    account.details_submitted = bool(data.get("details_submitted"))
    account.save()
    return account


def stripe_account_refresh(*, actor: User) -> StripeAccount | None:
    account = StripeAccount.objects.filter(user=actor).first()
    if account is None:
        return None
    return stripe_account_apply(stripe_client.account_retrieve(account.account_id))


# Personal budget ---------------------------------------------------------------------------


def _require_budget_manager(seeker: User, actor: User) -> None:
    if seeker.pk not in selectors.seeker_ids_actor_manages(actor):
        raise PermissionDenied(_("You can only manage your own budget, or one you have been trusted with."))


def budget_set(*, seeker: User, actor: User, amount: Decimal, period: str, starts_on: date) -> Budget:
    _require_budget_manager(seeker, actor)
    budget = Budget.objects.filter(user=seeker).first() or Budget(user=seeker)
    if amount is None or not (0 < amount <= Decimal(1_000_000)):
        raise ValidationError(
            {
                "amount": [
                    _("Enter your budget as an amount between £0.01 and %(most)s.") % {"most": pounds(1_000_000_00)}
                ]
            }
        )
    budget.amount_pence, budget.period, budget.starts_on = to_pence(amount), period, starts_on
    budget.full_clean()
    budget.save()
    return budget


def budget_entry_add(
    *, seeker: User, actor: User, spent_on: date, description: str, paid_to: str, amount: Decimal
) -> BudgetEntry:
    _require_budget_manager(seeker, actor)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("Enter an amount greater than £0.00.")]})
    if amount > 50_000:
        raise ValidationError({"amount": [_("That amount is over £50,000. Check it and enter the amount in pounds.")]})
    entry = BudgetEntry(
        user=seeker,
        spent_on=spent_on,
        description=description.strip(),
        paid_to=paid_to.strip(),
        amount_pence=to_pence(amount),
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    return entry


def budget_entry_delete(*, entry: BudgetEntry, actor: User) -> None:
    _require_budget_manager(entry.user, actor)
    entry.delete()


# Account deletion --------------------------------------------------------------------------


def user_payments_forget(*, user: User) -> None:
    """On account deletion: delete the budget record; keep bookings and payments anonymised.

    Payment records are accounting records (kept 6 years after the end of the financial year):
    the person's link is removed (the foreign keys are set to null by the deletion) and free text
    they wrote is cleared.
    """
    Budget.objects.filter(user=user).delete()
    BudgetEntry.objects.filter(user=user).delete()
    open_bookings = Booking.objects.filter(Q(seeker=user) | Q(supporter=user), status__in=[S.REQUESTED, S.ACCEPTED])
    open_bookings.update(status=S.CANCELLED)
    Booking.objects.filter(seeker=user).update(note="", query_note="")
    Booking.objects.filter(supporter=user).update(timesheet_note="", supporter_name="A former member")
    Payment.objects.filter(booking__seeker=user, method=Payment.Method.OUTSIDE).update(paid_by="Former member")
    StripeAccount.objects.filter(user=user).delete()
