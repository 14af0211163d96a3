"""Organisations and their membership: one write path per step, used by the pages and the admin.

Nobody joins an organisation by typing its name. The operator (staff) creates an organisation, or
approves someone's request for one, and names its first coordinator. Its coordinators invite people
by email (only the owner of that verified address can accept) or approve requests to join.
profiles.services.organisation_member_add / _remove write every membership change together with
the register's change log, inside the caller's transaction.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles.models import Organisation, OrganisationMembership, User
from profiles.services import organisation_member_add, organisation_member_remove

from .models import MembershipRequest, MembershipRole, OrganisationApproval, OrganisationInvitation


def approved_organisations():
    """The real organisations: the only ones any drop-down offers."""
    return Organisation.objects.filter(approval__status=OrganisationApproval.Status.APPROVED).order_by("name")


def is_approved(organisation: Organisation) -> bool:
    return approved_organisations().filter(pk=organisation.pk).exists()


def is_coordinator(user: User, organisation: Organisation) -> bool:
    return (
        bool(user and user.is_authenticated)
        and OrganisationMembership.objects.filter(
            user=user, organisation=organisation, role=OrganisationMembership.Role.COORDINATOR
        ).exists()
    )


def _require_staff(actor: User) -> None:
    if not (actor and actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only the Open Circle team can do that."))


def _require_coordinator(actor: User, organisation: Organisation) -> None:
    if not is_coordinator(actor, organisation):
        raise PermissionDenied(_("Only a coordinator of this organisation can do that."))


def _verified_emails(user: User) -> set[str]:
    return {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}


def _user_with_email(email: str) -> User | None:
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def _new_organisation(*, name: str, outcode: str, about: str) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the organisation's name.")]})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {
                "name": [
                    _(
                        "“%(name)s” is already on Open Circle (or waiting for approval). Ask its coordinator to invite you."
                    )
                    % {"name": name}
                ]
            }
        )
    organisation = Organisation(name=name, outcode=outcode.strip().upper()[:4], about=about.strip())
    organisation.full_clean()
    organisation.save()
    return organisation


# The operator ----------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, actor: User, name: str, first_coordinator_email: str, outcode: str = "", about: str = ""
) -> Organisation:
    """The operator adds a real organisation and names its first coordinator by email."""
    _require_staff(actor)
    organisation = _new_organisation(name=name, outcode=outcode, about=about)
    OrganisationApproval.objects.create(
        organisation=organisation,
        status=OrganisationApproval.Status.APPROVED,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    organisation_first_coordinator(actor=actor, organisation=organisation, email=first_coordinator_email)
    return organisation


@transaction.atomic
def organisation_first_coordinator(
    *, actor: User, organisation: Organisation, email: str
) -> OrganisationMembership | OrganisationInvitation:
    """The operator makes someone a coordinator of an approved organisation: at once if they have an
    account with that verified email, otherwise by an invitation they accept after signing up."""
    _require_staff(actor)
    if not is_approved(organisation):
        raise ValidationError(_("Approve the organisation first."))
    person = _user_with_email(email)
    if person is not None:
        return organisation_member_add(
            organisation=organisation, user=person, role=OrganisationMembership.Role.COORDINATOR
        )
    return _invite(organisation=organisation, email=email, role=MembershipRole.COORDINATOR, actor=actor)


@transaction.atomic
def organisation_request(*, actor: User, name: str, outcode: str = "", about: str = "") -> Organisation:
    """Someone asks for their organisation to be added. It is offered nowhere until the operator approves."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to ask for an organisation."))
    organisation = _new_organisation(name=name, outcode=outcode, about=about)
    OrganisationApproval.objects.create(organisation=organisation, requested_by=actor)
    return organisation


@transaction.atomic
def organisation_decide(*, actor: User, organisation: Organisation, approve: bool) -> OrganisationApproval:
    """The operator approves a request (the person who asked becomes its first coordinator) or declines it."""
    _require_staff(actor)
    approval = OrganisationApproval.objects.select_for_update().get(organisation=organisation)
    if approval.status != OrganisationApproval.Status.REQUESTED:
        raise ValidationError(
            _("This organisation is already %(status)s.") % {"status": approval.get_status_display().lower()}
        )
    approval.status = OrganisationApproval.Status.APPROVED if approve else OrganisationApproval.Status.DECLINED
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    if approve and approval.requested_by_id:
        organisation_member_add(
            organisation=organisation, user=approval.requested_by, role=OrganisationMembership.Role.COORDINATOR
        )
    return approval


@transaction.atomic
def organisation_approve_existing(*, actor: User, organisation: Organisation) -> OrganisationApproval:
    """The operator approves an organisation that has no request (for example one from an import)."""
    _require_staff(actor)
    approval, _ = OrganisationApproval.objects.get_or_create(organisation=organisation)
    if approval.status == OrganisationApproval.Status.REQUESTED:
        return organisation_decide(actor=actor, organisation=organisation, approve=True)
    approval.status, approval.decided_by, approval.decided_at = (
        OrganisationApproval.Status.APPROVED,
        actor,
        timezone.now(),
    )
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    return approval


# Invitations ------------------------------------------------------------------------------------


def _invite(*, organisation: Organisation, email: str, role: str, actor: User) -> OrganisationInvitation:
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ValidationError({"email": [_("Give the person's email address, like name@example.org.")]})
    if role not in MembershipRole.values:
        raise ValidationError({"role": [_("Choose coordinator or member.")]})
    person = _user_with_email(email)
    if person and OrganisationMembership.objects.filter(user=person, organisation=organisation, role=role).exists():
        raise ValidationError({"email": [_("This person is already in the organisation in that role.")]})
    invitation = OrganisationInvitation(organisation=organisation, email=email, role=role, invited_by=actor)
    invitation.full_clean(exclude=["invited_by"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {
                "email": [
                    _("This person already has an invitation waiting. They can accept it on their Organisations page.")
                ]
            }
        ) from None
    link = settings.SITE_URL.rstrip("/") + reverse("peer_support:organisations")
    if role == MembershipRole.COORDINATOR:
        invited = _("%(organisation)s has invited you to join them on Open Circle as a coordinator.")
    else:
        invited = _("%(organisation)s has invited you to join them on Open Circle as a member.")
    body = (
        invited % {"organisation": organisation.name}
        + "\n\n"
        + _("Sign in (or sign up) with this email address, then accept or decline the invitation here:")
        + f"\n{link}\n"
    )
    subject = _("Invitation from %(organisation)s") % {"organisation": organisation.name}
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    if (
        person is not None
    ):  # already on Open Circle: in their notification centre too (the email above is the invitation)
        notification_send(
            recipient=person,
            kind=NotificationKind.ORGANISATION_INVITATION,
            link=reverse("peer_support:organisations"),
            email=False,
        )
    return invitation


@transaction.atomic
def invitation_create(*, actor: User, organisation: Organisation, email: str, role: str) -> OrganisationInvitation:
    """A coordinator invites a coordinator or a member by email."""
    _require_coordinator(actor, organisation)
    if not is_approved(organisation):
        raise ValidationError(_("This organisation is waiting for approval, so it cannot invite anyone yet."))
    return _invite(organisation=organisation, email=email, role=role, actor=actor)


def invitations_for(user: User):
    """Open invitations addressed to one of the person's verified email addresses."""
    return OrganisationInvitation.objects.filter(
        email__in=_verified_emails(user), accepted_at__isnull=True, closed_at__isnull=True
    ).select_related("organisation")


@transaction.atomic
def invitation_accept(*, invitation: OrganisationInvitation, actor: User) -> OrganisationMembership:
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.email.lower() not in _verified_emails(actor):
        raise PermissionDenied(_("This invitation is for someone else."))
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used or withdrawn."))
    invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return organisation_member_add(organisation=invitation.organisation, user=actor, role=invitation.role)


@transaction.atomic
def invitation_close(*, invitation: OrganisationInvitation, actor: User) -> OrganisationInvitation:
    """The invitee declines, or a coordinator withdraws the invitation."""
    if invitation.email.lower() not in _verified_emails(actor):
        _require_coordinator(actor, invitation.organisation)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used or withdrawn."))
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["closed_at"])
    return invitation


# Requests to join -----------------------------------------------------------------------------


@transaction.atomic
def membership_request_create(*, actor: User, organisation: Organisation) -> MembershipRequest:
    if not is_approved(organisation):
        raise ValidationError({"organisation": [_("Choose an organisation from the list.")]})
    if OrganisationMembership.objects.filter(user=actor, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": [_("You are already a member of %(organisation)s.") % {"organisation": organisation}]}
        )
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(organisation=organisation, user=actor)
    except IntegrityError:
        raise ValidationError(
            {
                "organisation": [
                    _("You have already asked to join %(organisation)s. A coordinator will answer.")
                    % {"organisation": organisation}
                ]
            }
        ) from None


@transaction.atomic
def membership_request_decide(*, actor: User, request: MembershipRequest, approve: bool) -> MembershipRequest:
    request = MembershipRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request.pk)
    _require_coordinator(actor, request.organisation)
    if request.status != MembershipRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    request.status = MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.DECLINED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        organisation_member_add(
            organisation=request.organisation, user=request.user, role=OrganisationMembership.Role.VOLUNTEER
        )
    return request


@transaction.atomic
def membership_end(*, actor: User, membership: OrganisationMembership) -> None:
    """A coordinator removes someone (or anyone leaves). The last coordinator cannot leave."""
    if membership.user_id != actor.pk:
        _require_coordinator(actor, membership.organisation)
    coordinators = OrganisationMembership.objects.filter(
        organisation=membership.organisation, role=OrganisationMembership.Role.COORDINATOR
    )
    if membership.role == OrganisationMembership.Role.COORDINATOR and coordinators.count() == 1:
        raise ValidationError(_("An organisation needs at least one coordinator. Invite another coordinator first."))
    organisation_member_remove(membership=membership)
