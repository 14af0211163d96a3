"""Notifications for events that profiles announces by signal (profiles may not import notifications)."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from profiles.models import User
from profiles.signals import consent_requested, listing_claim_changed

from .models import Kind
from .services import notification_send


@receiver(listing_claim_changed, dispatch_uid="notifications-listing-claim")
def listing_claim_notify(sender, claim, event, declined, **kwargs) -> None:
    if event == "created":
        moderators = User.objects.filter(is_moderator=True, is_active=True).exclude(pk=claim.claimant_id)
        for moderator_id in moderators.values_list("pk", flat=True):
            notification_send(
                recipient=moderator_id,
                kind=Kind.LISTING_CLAIM,
                link=reverse("listing_claims:queue"),
                title=_("A listing claim is waiting for a moderator"),
            )
        return
    link = claim.profile.get_absolute_url()
    approved = claim.status == "approved"
    notification_send(
        recipient=claim.claimant_id,
        kind=Kind.LISTING_CLAIM,
        link=link,
        title=_("Your listing claim was approved") if approved else _("Your listing claim was declined"),
    )
    for other in declined:
        notification_send(
            recipient=other.claimant_id, kind=Kind.LISTING_CLAIM, link=link, title=_("Your listing claim was declined")
        )


@receiver(consent_requested, dispatch_uid="notifications-consent-requested")
def consent_requested_notify(sender, person_id, helper_id, key, link, **kwargs) -> None:
    """Someone helping the person reached a consent page only the person can agree to: tell the person."""
    notification_send(recipient=person_id, kind=Kind.CONSENT_TO_CONFIRM, link=reverse("inclusion:assisted"))
