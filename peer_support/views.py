"""Pages for peer support: asking for a peer advisor, answering a proposed match, and the coordinator's queue.

They work without JavaScript (post, redirect, get). Anyone else's referral, proposal or
check-in answers 404 through the selectors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profiles.models import Profile

from . import selectors, services
from .forms import AnswerForm, CheckInForm, CloseForm, ProposeForm, ReferralForm, RematchForm, add_service_errors
from .models import LIVE_PROPOSAL, Referral


def _run(request, form, action, success: str, then):
    """Run a service on a valid POST: redirect with a message, or keep its errors on the form (None)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(then)


# The person asking, and the two people in a proposed match -------------------------------------


@login_required
def peer_support(request):
    proposals = selectors.proposals_for_person(viewer=request.user)
    return render(
        request,
        "peer_support/peer_support.html",
        {
            "referrals": selectors.referrals_for_person(viewer=request.user),
            "waiting": [p for p in proposals if p.status == p.Status.PROPOSED],
            "other_proposals": [p for p in proposals if p.status != p.Status.PROPOSED],
        },
    )


@login_required
def referral_create(request):
    seeker_profiles = selectors.seeker_profiles_for(request.user)
    form = ReferralForm(request.POST or None, seeker_profiles=seeker_profiles)

    def create(data):
        services.referral_create(actor=request.user, **data)

    done = _run(
        request,
        form,
        create,
        _("Your request is sent. A coordinator will propose a peer advisor and ask you both first."),
        "peer_support:peer-support",
    )
    return done or render(
        request, "peer_support/referral_form.html", {"form": form, "has_profile": seeker_profiles.exists()}
    )


def _side(proposal, user) -> str:
    return "supporter" if proposal.supporter_profile.user_id == user.pk else "seeker"


@login_required
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_for_participant(viewer=request.user, pk=pk)
    form = AnswerForm(request.POST or None)

    def answer(data):
        try:
            services.proposal_answer(proposal=proposal, actor=request.user, answer=data["answer"])
        except PermissionDenied:
            raise Http404 from None

    said = _("Thank you. We have recorded your answer.")
    done = _run(request, form, answer, said, request.path)
    side = _side(proposal, request.user)
    return done or render(
        request,
        "peer_support/proposal_detail.html",
        {
            "proposal": proposal,
            "form": form,
            "side": side,
            "my_answer": getattr(proposal, f"{side}_answer"),
        },
    )


# The coordinator ------------------------------------------------------------------------------


def _referral_url(referral) -> str:
    return reverse("peer_support:coordinator-referral", args=[referral.pk])


def _require_any_organisation(user) -> None:
    if not selectors.coordinator_organisations(user).exists():
        raise Http404


@login_required
def queue(request):
    _require_any_organisation(request.user)
    referrals = list(selectors.referral_queue(viewer=request.user))
    waiting = [r for r in referrals if r.status == Referral.Status.WAITING]
    for referral in waiting[:20]:
        referral.top = selectors.referral_suggestions(referral=referral, viewer=request.user, top=3).shown
    return render(
        request,
        "peer_support/queue.html",
        {
            "organisations": selectors.coordinator_organisations(request.user),
            "waiting": waiting,
            "in_progress": [r for r in referrals if r.status != Referral.Status.WAITING],
            "due": selectors.check_ins_due(viewer=request.user),
        },
    )


def _referral_page(request, referral, **extra):
    suggestions = None
    if referral.status == Referral.Status.WAITING:
        suggestions = selectors.referral_suggestions(referral=referral, viewer=request.user)
    live = referral.proposals.filter(status__in=LIVE_PROPOSAL).first()
    return render(
        request,
        "peer_support/referral_detail.html",
        {
            "referral": referral,
            "suggestions": suggestions,
            "live": live,
            "check_ins": live.check_ins.all() if live else [],
            "past": referral.proposals.exclude(status__in=LIVE_PROPOSAL).select_related("supporter_profile"),
            "events": referral.events.select_related("actor").order_by("at", "pk"),
            "close_form": extra.get("close_form") or CloseForm(),
            "going_well": live is not None and services.match_going_well(referral),
            "rematch_form": extra.get("rematch_form") or RematchForm(),
            **extra,
        },
    )


@login_required
def referral_detail(request, pk: int):
    return _referral_page(request, selectors.referral_for_coordinator(viewer=request.user, pk=pk))


@login_required
@require_POST
def propose(request, pk: int):
    referral = selectors.referral_for_coordinator(viewer=request.user, pk=pk)
    form = ProposeForm(request.POST)
    profile = Profile.objects.filter(ref=form.data.get("supporter", "")).first()
    try:
        if profile is None:
            raise ValidationError(_("Choose a peer advisor from the suggestions."))
        services.proposal_create(referral=referral, supporter_profile=profile, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is proposed. We have asked both people; you will see their answers here.")
            % {"name": profile.display_name},
        )
    return redirect("peer_support:coordinator-referral", pk=referral.pk)


@login_required
def check_in(request, pk: int):
    check_in = selectors.check_in_for_coordinator(viewer=request.user, pk=pk)
    referral = check_in.proposal.referral
    form = CheckInForm(request.POST or None)

    def record(data):
        services.check_in_record(check_in=check_in, actor=request.user, **data)

    done = _run(
        request,
        form,
        record,
        _("The week %(week)s check-in is recorded.") % {"week": check_in.week},
        _referral_url(referral),
    )
    return done or render(
        request, "peer_support/check_in.html", {"check_in": check_in, "referral": referral, "form": form}
    )


@login_required
def close(request, pk: int):
    referral = selectors.referral_for_coordinator(viewer=request.user, pk=pk)
    form = CloseForm(request.POST or None)

    def run(data):
        services.referral_close(referral=referral, actor=request.user, closing_note=data["closing_note"])

    done = _run(request, form, run, _("The referral is closed."), _referral_url(referral))
    return done or render(request, "peer_support/close.html", {"referral": referral, "form": form})


@login_required
@require_POST
def rematch(request, pk: int):
    referral = selectors.referral_for_coordinator(viewer=request.user, pk=pk)
    form = RematchForm(request.POST)
    if (
        not form.is_valid()
    ):  # both fields are optional (the service decides what a going-well match needs): only too long
        return _referral_page(request, referral, rematch_form=form)
    data = {"reason": form.cleaned_data.get("reason", ""), "confirmed": form.cleaned_data.get("confirm", False)}
    try:
        services.referral_rematch(referral=referral, actor=request.user, **data)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect("peer_support:coordinator-referral", pk=referral.pk)
        add_service_errors(form, error)
        return _referral_page(request, referral, rematch_form=form)
    messages.success(request, _("The match has ended. Choose someone else from the suggestions."))
    return redirect("peer_support:coordinator-referral", pk=referral.pk)
