"""Site-wide roles the operator gives from a staff page (never the admin with raw ids): moderators.

Organisation coordinators are given by the organisation pages (peer_support.organisations) and panel
seats by ratings.services; this is the one write path for the moderator flag.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only the Open Circle team can give or take away the moderator role."))


def active_user_by_email(email: str, *, field: str = "email") -> User:
    """The active account with this email address, or a field error that says what to do next."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                field: _(
                    "No one has an account with that email address. Ask them to join Open Circle first, then try again."
                )
            }
        )
    return user


@transaction.atomic
def moderator_set(*, actor: User, email: str, moderator: bool) -> User:
    """Make someone a moderator, or end it. They are asked to set up a second factor at their next sign-in
    (every privileged role needs one on every way in: profiles.authentication)."""
    _require_staff(actor)
    user = active_user_by_email(email)
    if user.is_moderator != moderator:
        user.is_moderator = moderator
        user.save(update_fields=["is_moderator"])
    return user


def moderators():
    return User.objects.filter(is_moderator=True, is_active=True).order_by("email")
