"""Who holds a seeker record that has no account: the coordinator of the organisation it was
referred to. Matching asks this (``matching.services.record_holder``) so that such a record is
ranked as that coordinator would see it, from the command line as on the coordinator's pages."""

from __future__ import annotations

from profiles.models import OrganisationMembership, Profile, User

from .models import Referral


def coordinator_holding(profile: Profile) -> User | None:
    """A coordinator of the organisation with the record's newest open referral, or None."""
    referral = (
        Referral.objects.filter(seeker_profile=profile)
        .exclude(status=Referral.Status.CLOSED)
        .order_by("-created_at")
        .first()
    )
    if referral is None:
        return None
    membership = (
        OrganisationMembership.objects.filter(
            organisation_id=referral.organisation_id, role=OrganisationMembership.Role.COORDINATOR
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None
