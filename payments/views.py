"""Pages for offers, bookings, payments, receipts and the budget record. Thin: services decide."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace import csvsafe
from marketplace.forms import add_service_errors
from marketplace.redirects import safe_next
from profiles import selectors as profile_selectors
from profiles.models import Profile
from profiles.vocabulary import PAID_ROLES

from . import selectors, services, stripe_client
from .forms import (
    BookingForm,
    BudgetEntryForm,
    BudgetForm,
    ExportForm,
    PackageForm,
    PaidOutsideForm,
    QueryForm,
    RateForm,
    TimesheetForm,
)
from .models import Booking, Budget, BudgetEntry, Package, StripeAccount, pounds


def _form_page(request, form, *, title: str, intro: str = "", button: str, back):
    return render(
        request,
        "payments/form_page.html",
        {"form": form, "title": title, "intro": intro, "button": button, "back": back},
    )


# Bookings ----------------------------------------------------------------------------------


@login_required
def booking_list(request):
    bookings = selectors.bookings_visible_to(request.user)
    return render(
        request,
        "payments/booking_list.html",
        {
            "as_supporter": [b for b in bookings if b.supporter_id == request.user.pk],
            "as_seeker": [b for b in bookings if b.supporter_id != request.user.pk],
        },
    )


def _quote_context(profile: Profile, packages) -> dict:
    fee_percent = Decimal(settings.PLATFORM_FEE_PERCENT or "0")
    return {
        "profile": profile,
        "packages": packages,
        "fee_percent": fee_percent,
        "card_problem": services.card_payment_problem(profile.user),
        "terms": Booking(cancellation_hours=24).cancellation_terms,
    }


@login_required
def booking_new(request, ref: str):
    profile = profile_selectors.profile_for_viewer(ref=ref, viewer=request.user)
    if profile.role not in PAID_ROLES:
        raise Http404("This listing does not take bookings.")
    packages = list(profile.offer_packages.all())
    people = selectors.people_managed(request.user)
    form = BookingForm(request.POST or None, packages=packages, has_rate=profile.hourly_rate is not None)
    if request.method == "POST" and form.is_valid():
        seeker = next((p for p in people if str(p.pk) == request.POST.get("seeker", str(request.user.pk))), None)
        data = form.cleaned_data
        package = next((p for p in packages if p.pk == data.get("package")), None)
        try:
            booking = services.booking_create(
                actor=request.user,
                seeker=seeker or request.user,
                profile=profile,
                kind=data["kind"],
                hours=data.get("hours"),
                package=package,
                start_date=data["start_date"],
                start_time=data["start_time"],
                end_date=data.get("end_date"),
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your booking request is sent. %(name)s will accept or decline it.") % {"name": profile.display_name},
            )
            return redirect(booking)
    context = _quote_context(profile, packages) | {"form": form, "people": people if len(people) > 1 else []}
    return render(request, "payments/booking_new.html", context)


@login_required
def booking_detail(request, pk: int):
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    payment = getattr(booking, "payment", None)
    is_supporter = request.user.pk == booking.supporter_id
    return render(
        request,
        "payments/booking_detail.html",
        {
            "booking": booking,
            "money": booking.money,
            "payment": payment,
            "is_supporter": is_supporter,
            "is_seeker_side": not is_supporter,
            "card_problem": services.card_payment_problem(booking.supporter),
            "can_pay": not is_supporter
            and booking.status
            in (
                Booking.Status.ACCEPTED,
                Booking.Status.HOURS_SUBMITTED,
                Booking.Status.HOURS_QUERIED,
                Booking.Status.COMPLETED,
            )
            and not (payment and payment.is_settled),
            "refund_if_cancelled": pounds(services.refund_due_pence(booking, request.user)),
        },
    )


ACTIONS = {
    "accept": (services.booking_accept, gettext_lazy("You accepted the booking.")),
    "decline": (services.booking_decline, gettext_lazy("You declined the booking.")),
    "cancel": (services.booking_cancel, gettext_lazy("The booking is cancelled.")),
    "approve": (services.timesheet_approve, gettext_lazy("You approved the hours. Thank you.")),
}


@login_required
@require_POST
def booking_action(request, pk: int, action: str):
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    function, done = ACTIONS[action]
    try:
        function(booking=booking, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except stripe_client.StripeError:
        messages.error(
            request,
            _(
                "The booking is cancelled, but the refund could not be started. "
                "We will try again; contact us if it does not arrive."
            ),
        )
    else:
        messages.success(request, done)
    return redirect(booking)


@login_required
def booking_cancel(request, pk: int):
    """Cancelling asks first: the page says what happens (refund or not), then the person confirms."""
    if request.method == "POST":
        return booking_action(request, pk=pk, action="cancel")
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    return render(
        request,
        "payments/booking_cancel.html",
        {
            "booking": booking,
            "can_cancel": booking.status in (Booking.Status.REQUESTED, Booking.Status.ACCEPTED),
            "refund_if_cancelled": pounds(services.refund_due_pence(booking, request.user)),
        },
    )


@login_required
def booking_timesheet(request, pk: int):
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    form = TimesheetForm(request.POST or None, initial={"worked_hours": booking.worked_hours or booking.hours})
    if request.method == "POST" and form.is_valid():
        try:
            services.timesheet_submit(booking=booking, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your hours are recorded. The person will approve them or ask about them."))
            return redirect(booking)
    money = booking.money
    intro = (
        _(
            "You booked %(hours)s hours at %(rate)s an hour (%(agreed)s). "
            "The person pays for the hours they approve, at the same rate."
        )
        % {"hours": money.hours_booked_text, "rate": money.rate, "agreed": money.agreed}
        if not money.is_package
        else ""
    )
    return _form_page(
        request,
        form,
        title=_("Record the hours you worked"),
        intro=intro,
        button=_("Send hours for approval"),
        back=booking,
    )


@login_required
def booking_query(request, pk: int):
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    form = QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.timesheet_query(booking=booking, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your question is sent. The supporter will check the hours and send them again.")
            )
            return redirect(booking)
    money = booking.money
    intro = _("%(name)s recorded %(hours)s hours.") % {
        "name": booking.supporter_name,
        "hours": money.hours_recorded_text or booking.worked_hours,
    }
    if money.recorded:
        intro += " " + _("At %(rate)s an hour, that comes to %(amount)s.") % {
            "rate": money.rate,
            "amount": money.recorded,
        }
    return _form_page(
        request, form, title=_("Ask about these hours"), intro=intro, button=_("Send question"), back=booking
    )


@login_required
@require_POST
def booking_pay(request, pk: int):
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    back = request.build_absolute_uri(booking.get_absolute_url())
    try:
        payment = services.booking_pay(
            booking=booking, actor=request.user, success_url=f"{back}?paid=1", cancel_url=f"{back}?paid=0"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(booking)
    except stripe_client.StripeError:
        messages.error(
            request, _("We could not reach our card payment service. Nothing was charged. Try again in a few minutes.")
        )
        return redirect(booking)
    return redirect(payment.checkout_url)


@login_required
def booking_paid_outside(request, pk: int):
    booking = selectors.booking_for(viewer=request.user, pk=pk)
    form = PaidOutsideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.payment_record_outside(booking=booking, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The payment is recorded. Your receipt number is %(number)s.") % {"number": payment.receipt_number},
            )
            return redirect(payment)
    intro = _(
        "Record a payment made outside Open Circle, so your budget record stays complete. "
        "The amount due is %(due)s (%(summary)s)."
    ) % {"due": booking.money.due, "summary": booking.money.summary}
    return _form_page(
        request,
        form,
        title=_("Record a payment made another way"),
        intro=intro,
        button=_("Record payment"),
        back=booking,
    )


@login_required
def receipt(request, number: str):
    payment = selectors.payment_for_receipt(viewer=request.user, number=number)
    return render(
        request,
        "payments/receipt.html",
        {"payment": payment, "booking": payment.booking, "money": payment.booking.money},
    )


# Offers and Stripe onboarding --------------------------------------------------------------


def _paid_profiles(user):
    return list(user.profiles.filter(role__in=PAID_ROLES).prefetch_related("offer_packages"))


@login_required
def offers(request):
    profiles = _paid_profiles(request.user)
    if not profiles:
        return render(request, "payments/offers.html", {"profiles": []})
    profile = next((p for p in profiles if str(p.pk) == request.POST.get("profile")), profiles[0])
    rate_form = RateForm(
        request.POST if request.POST.get("form") == "rate" else None, initial={"hourly_rate": profile.hourly_rate}
    )
    package_form = PackageForm(request.POST if request.POST.get("form") == "package" else None)
    form = rate_form if request.POST.get("form") == "rate" else package_form
    if request.method == "POST" and form.is_valid():
        try:
            if form is rate_form:
                services.offer_rate_set(
                    profile=profile, actor=request.user, hourly_rate=form.cleaned_data["hourly_rate"]
                )
            else:
                services.package_save(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your offers are saved."))
            return redirect("payments:offers")
    account = StripeAccount.objects.filter(user=request.user).first()
    return render(
        request,
        "payments/offers.html",
        {
            "profiles": profiles,
            "rate_form": rate_form,
            "package_form": package_form,
            "account": account,
            "stripe_configured": stripe_client.is_configured(),
        },
    )


@login_required
def package_edit(request, pk: int):
    package = get_object_or_404(Package, pk=pk, profile__user=request.user)
    initial = {
        "name": package.name,
        "price": Decimal(package.price_pence) / 100,
        "hours": package.hours,
        "included": package.included,
    }
    form = PackageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_save(profile=package.profile, actor=request.user, package=package, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The package is saved."))
            return redirect("payments:offers")
    return _form_page(
        request,
        form,
        title=_("Change the package “%(name)s”") % {"name": package.name},
        button=_("Save package"),
        back=reverse("payments:offers"),
    )


@login_required
@require_POST
def package_remove(request, pk: int):
    package = get_object_or_404(Package, pk=pk, profile__user=request.user)
    services.package_delete(package=package, actor=request.user)
    messages.success(request, _("The package is removed. Bookings already made keep their price."))
    return redirect("payments:offers")


def _onboarding_urls(request) -> dict:
    return {
        "return_url": request.build_absolute_uri(reverse("payments:stripe-return")),
        "refresh_url": request.build_absolute_uri(reverse("payments:stripe-refresh")),
    }


@login_required
def stripe_onboard(request):
    """POST from the offers page; GET when Stripe sends the person back for a fresh link."""
    if request.method != "POST" and request.resolver_match.url_name != "stripe-refresh":
        return redirect("payments:offers")
    try:
        url = services.stripe_onboarding_link(actor=request.user, **_onboarding_urls(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("payments:offers")
    except (stripe_client.StripeError, stripe_client.NotConfigured):
        messages.error(request, _("We could not reach Stripe to set up card payments. Try again in a few minutes."))
        return redirect("payments:offers")
    return redirect(url)


@login_required
def stripe_return(request):
    try:
        account = services.stripe_account_refresh(actor=request.user)
    except (stripe_client.StripeError, stripe_client.NotConfigured):
        account = None
    if account and account.charges_enabled:
        messages.success(request, _("Card payments are set up. People can now pay you by card through Open Circle."))
    else:
        messages.warning(
            request,
            _("Stripe has not finished checking your details yet. Finish any remaining steps, then check again here."),
        )
    return redirect("payments:offers")


# Budget ------------------------------------------------------------------------------------


@login_required
def budget(request, user_id: int | None = None):
    seeker = selectors.managed_seeker(viewer=request.user, user_id=user_id)
    existing = Budget.objects.filter(user=seeker).first()
    which = request.POST.get("form")
    budget_initial = (
        {"amount": Decimal(existing.amount_pence) / 100, "period": existing.period, "starts_on": existing.starts_on}
        if existing
        else {"period": "four_weekly", "starts_on": timezone.localdate()}
    )
    budget_form = BudgetForm(request.POST if which == "budget" else None, initial=budget_initial)
    entry_form = BudgetEntryForm(request.POST if which == "entry" else None, initial={"spent_on": timezone.localdate()})
    form = budget_form if which == "budget" else entry_form
    if request.method == "POST" and form.is_valid():
        try:
            if form is budget_form:
                services.budget_set(seeker=seeker, actor=request.user, **form.cleaned_data)
            else:
                services.budget_entry_add(seeker=seeker, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your budget record is saved."))
            return redirect(request.path)
    status = selectors.budget_status(seeker, timezone.localdate())
    lines = selectors.spending(seeker, status.start, status.end) if status else []
    return render(
        request,
        "payments/budget.html",
        {
            "seeker": seeker,
            "is_self": seeker.pk == request.user.pk,
            "status": status,
            "lines": lines,
            "budget_form": budget_form,
            "entry_form": entry_form,
            "entries": BudgetEntry.objects.filter(user=seeker)[:50],
            "export_form": ExportForm(initial=_export_initial(status)),
        },
    )


def _export_initial(status) -> dict:
    today = timezone.localdate()
    return {"start": status.start, "end": status.end} if status else {"start": today.replace(day=1), "end": today}


@login_required
@require_POST
def budget_entry_remove(request, pk: int):
    entry = get_object_or_404(BudgetEntry, pk=pk, user_id__in=selectors.seeker_ids_actor_manages(request.user))
    services.budget_entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("The entry is removed."))
    return redirect(safe_next(request, reverse("payments:budget")))


def _export_data(request, user_id):
    seeker = selectors.managed_seeker(viewer=request.user, user_id=user_id)
    form = ExportForm(
        request.GET or None, initial=_export_initial(selectors.budget_status(seeker, timezone.localdate()))
    )
    if not form.is_valid():
        return seeker, None, None, []
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return seeker, start, end, selectors.spending(seeker, start, end)


@login_required
def budget_export_csv(request, user_id: int | None = None):
    _seeker, start, end, lines = _export_data(request, user_id)
    if start is None:
        return HttpResponse(
            _("Choose a start and end date, with the end on or after the start."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{start}-to-{end}.csv"'
    writer = csvsafe.writer(response)
    writer.writerow(
        [_("Date"), _("What was bought"), _("From whom"), _("Amount (GBP)"), _("How recorded"), _("Reference")]
    )
    for line in lines:
        writer.writerow(
            [line.on.isoformat(), line.what, line.paid_to, _gbp(line.amount_pence), line.source, line.reference]
        )
    writer.writerow(["", _("Total"), "", _gbp(sum(line.amount_pence for line in lines)), "", ""])
    return response


def _gbp(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


@login_required
def budget_print(request, user_id: int | None = None):
    seeker, start, end, lines = _export_data(request, user_id)
    if start is None:
        raise Http404("Choose a start and end date.")
    total = sum(line.amount_pence for line in lines)
    return render(
        request,
        "payments/budget_print.html",
        {"seeker": seeker, "start": start, "end": end, "lines": lines, "total": pounds(total)},
    )
