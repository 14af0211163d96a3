"""Organisation pages: your organisations (invitations, requests to join, asking for a new one), an
organisation's own page for its coordinators, and the operator's staff page.

Post, redirect, get; no JavaScript needed. Another organisation's page, or the staff page for
anyone but staff, answers 404. Every change goes through peer_support.organisations.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.forms import apply_form
from profiles.models import Organisation, OrganisationMembership

from . import organisations as services
from .forms import (
    CoordinatorForm,
    InviteForm,
    JoinForm,
    OrganisationCreateForm,
    OrganisationRequestForm,
)
from .models import MembershipRequest, OrganisationApproval, OrganisationInvitation

# Everyone -----------------------------------------------------------------------------------


@login_required
def my_organisations(request):
    join_form = JoinForm(request.POST if request.POST.get("form") == "join" else None, prefix="join")
    ask_form = OrganisationRequestForm(request.POST if request.POST.get("form") == "ask" else None, prefix="ask")
    if request.method == "POST":
        if request.POST.get("form") == "join" and apply_form(
            request,
            join_form,
            lambda d: services.membership_request_create(actor=request.user, organisation=d["organisation"]),
            _("Your request is sent. A coordinator of the organisation will approve or decline it."),
        ):
            return redirect("peer_support:organisations")
        if request.POST.get("form") == "ask" and apply_form(
            request,
            ask_form,
            lambda d: services.organisation_request(actor=request.user, **d),
            _(
                "Thank you. The Open Circle team will check the organisation; once approved, you will be its first coordinator."
            ),
        ):
            return redirect("peer_support:organisations")
    memberships = (
        OrganisationMembership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "peer_support/organisations.html",
        {
            "memberships": memberships,
            "invitations": services.invitations_for(request.user),
            "requests": MembershipRequest.objects.filter(
                user=request.user, status=MembershipRequest.Status.PENDING
            ).select_related("organisation"),
            "join_form": join_form,
            "ask_form": ask_form,
        },
    )


def _my_invitation(request, pk: int) -> OrganisationInvitation:
    invitation = services.invitations_for(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


@login_required
@require_POST
def invitation_answer(request, pk: int):
    invitation = _my_invitation(request, pk)
    try:
        if request.POST.get("answer") == "accept":
            services.invitation_accept(invitation=invitation, actor=request.user)
            messages.success(
                request,
                _("You are now a %(role)s of %(organisation)s.")
                % {"role": invitation.get_role_display().lower(), "organisation": invitation.organisation},
            )
        else:
            services.invitation_close(invitation=invitation, actor=request.user)
            messages.success(
                request,
                _("You declined the invitation from %(organisation)s.") % {"organisation": invitation.organisation},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("peer_support:organisations")


# An organisation's coordinators ---------------------------------------------------------------


def _coordinated(request, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not services.is_coordinator(request.user, organisation):
        raise Http404
    return organisation


@login_required
def organisation_page(request, pk: int):
    organisation = _coordinated(request, pk)
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and apply_form(
        request,
        invite_form,
        lambda d: services.invitation_create(
            actor=request.user, organisation=organisation, email=d["email"], role=d["role"]
        ),
        _("The invitation is sent. They can accept it once they sign in with that email address."),
    ):
        return redirect("peer_support:organisation", pk=organisation.pk)
    return render(
        request,
        "peer_support/organisation.html",
        {
            "organisation": organisation,
            "approved": services.is_approved(organisation),
            "members": organisation.memberships.select_related("user").order_by("role", "user__preferred_name", "pk"),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True, closed_at__isnull=True),
            "requests": organisation.membership_requests.filter(status=MembershipRequest.Status.PENDING).select_related(
                "user"
            ),
            "form": invite_form,
        },
    )


def _run_and_return(request, organisation, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, success)
    return redirect("peer_support:organisation", pk=organisation.pk)


@login_required
@require_POST
def request_decide(request, pk: int, request_pk: int):
    organisation = _coordinated(request, pk)
    join = get_object_or_404(MembershipRequest, pk=request_pk, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    return _run_and_return(
        request,
        organisation,
        lambda: services.membership_request_decide(actor=request.user, request=join, approve=approve),
        (_("%(person)s is now a member.") if approve else _("You declined %(person)s's request."))
        % {"person": join.user},
    )


@login_required
@require_POST
def invitation_withdraw(request, pk: int, invitation_pk: int):
    organisation = _coordinated(request, pk)
    invitation = get_object_or_404(OrganisationInvitation, pk=invitation_pk, organisation=organisation)
    return _run_and_return(
        request,
        organisation,
        lambda: services.invitation_close(invitation=invitation, actor=request.user),
        _("The invitation is withdrawn."),
    )


@login_required
@require_POST
def member_remove(request, pk: int, membership_pk: int):
    organisation = _coordinated(request, pk)
    membership = get_object_or_404(OrganisationMembership, pk=membership_pk, organisation=organisation)
    return _run_and_return(
        request,
        organisation,
        lambda: services.membership_end(actor=request.user, membership=membership),
        _("%(person)s is no longer a %(role)s of %(organisation)s.")
        % {"person": membership.user, "role": membership.get_role_display().lower(), "organisation": organisation},
    )


# The operator ---------------------------------------------------------------------------------


@login_required
def staff_organisations(request):
    if not request.user.is_staff:
        raise Http404
    which = request.POST.get("form")
    create_form = OrganisationCreateForm(request.POST if which == "create" else None, prefix="create")
    coordinator_form = CoordinatorForm(request.POST if which == "coordinator" else None, prefix="coordinator")
    if request.method == "POST":
        if which == "create" and apply_form(
            request,
            create_form,
            lambda d: services.organisation_create(actor=request.user, **d),
            _("The organisation is added and its first coordinator is set up (or invited)."),
        ):
            return redirect("peer_support:staff-organisations")
        if which == "coordinator" and apply_form(
            request,
            coordinator_form,
            lambda d: services.organisation_first_coordinator(
                actor=request.user, organisation=d["organisation"], email=d["email"]
            ),
            _("Done: they are a coordinator now, or have an invitation waiting."),
        ):
            return redirect("peer_support:staff-organisations")
    return render(
        request,
        "peer_support/staff_organisations.html",
        {
            "create_form": create_form,
            "coordinator_form": coordinator_form,
            "waiting": OrganisationApproval.objects.filter(status=OrganisationApproval.Status.REQUESTED).select_related(
                "organisation", "requested_by"
            ),
            "approved": services.approved_organisations(),
        },
    )


@login_required
@require_POST
def staff_decide(request, pk: int):
    if not request.user.is_staff:
        raise Http404
    organisation = get_object_or_404(Organisation, pk=pk, approval__status=OrganisationApproval.Status.REQUESTED)
    approve = request.POST.get("decision") == "approve"
    try:
        services.organisation_decide(actor=request.user, organisation=organisation, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(organisation)s is approved.") if approve else _("%(organisation)s is declined."))
            % {"organisation": organisation},
        )
    return redirect("peer_support:staff-organisations")
