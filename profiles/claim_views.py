"""Pages for claiming a listing imported without an account, and the moderators' queue of claims."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.forms import add_service_errors

from . import selectors, services
from .models import ListingClaim


class ListingClaimForm(forms.Form):
    evidence = forms.CharField(
        label=gettext_lazy("How can a moderator tell this listing is yours?"),
        max_length=ListingClaim.EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "For example: where else you are listed and how a moderator can check it with you there, or "
            "someone at your organisation who can confirm it. Only moderators see this. Do not include health details."
        ),
    )


class ClaimDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=300,
        help_text=gettext_lazy(
            "Kept with the decision for other moderators. The claimant is told only approved or declined."
        ),
    )


def _require_moderator(user) -> None:
    if not getattr(user, "is_moderator", False):
        raise Http404  # not a page other people can know about


@login_required
def claim_new(request, ref: str):
    profile = selectors.profile_for_viewer(ref=ref, viewer=request.user)
    if profile.user_id is not None:
        messages.info(request, _("This listing is already on an Open Circle account, so it cannot be claimed."))
        return redirect(profile)
    form = ListingClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_claim_create(actor=request.user, profile=profile, evidence=form.cleaned_data["evidence"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. A moderator will check your claim; we will let you know what they decide.")
            )
            return redirect(profile)
    return render(request, "profiles/listing_claim_new.html", {"profile": profile, "form": form})


@login_required
def claim_queue(request):
    _require_moderator(request.user)
    claims = ListingClaim.objects.filter(status=ListingClaim.Status.PENDING).select_related("profile", "claimant")
    decided = (
        ListingClaim.objects.exclude(status=ListingClaim.Status.PENDING)
        .select_related("profile", "claimant", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "profiles/listing_claim_queue.html",
        {"claims": claims, "decided": decided, "form": ClaimDecisionForm()},
    )


@login_required
@require_POST
def claim_decide(request, pk: int):
    _require_moderator(request.user)
    claim = get_object_or_404(ListingClaim, pk=pk)
    form = ClaimDecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline") or not form.is_valid():
        messages.error(request, _("Choose Approve or Decline, with a note of up to 300 characters."))
        return redirect("listing_claims:queue")
    try:
        services.listing_claim_decide(
            claim=claim, actor=request.user, approve=decision == "approve", note=form.cleaned_data["note"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if decision == "approve":
            messages.success(request, _("Claim approved: the listing is now on their account."))
        else:
            messages.success(request, _("Claim declined."))
    return redirect("listing_claims:queue")
