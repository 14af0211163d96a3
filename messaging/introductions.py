"""Open the introduction conversation when a coordinator's proposed match is agreed by both people,
and take the peer advisor out of it when the match ends.

peer_support sends ``profiles.signals.match_introduced`` after commit, and asks
``profiles.ports.introductions_leave`` when a match ends; peer_support does not import messaging.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from profiles.models import User
from profiles.signals import match_introduced

from . import services
from .models import Conversation

logger = logging.getLogger(__name__)

NOTE = "You both said yes to this peer match, so I am introducing you here. Say hello when you are ready."


@receiver(match_introduced, dispatch_uid="messaging-open-introduction")
def open_introduction(sender, coordinator_id, seeker_id, supporter_id, proposal_id, **kwargs):
    people = User.objects.in_bulk([coordinator_id, seeker_id, supporter_id])
    if len(people) != 3:
        logger.warning("messaging: no introduction for proposal %s (someone's account is gone)", proposal_id)
        return None
    try:
        return services.conversation_introduce(
            coordinator=people[coordinator_id], seeker=people[seeker_id], supporter=people[supporter_id], note=NOTE
        )
    except (PermissionDenied, ValidationError):
        # Ids only: the reason may involve a block, which must not be spelled out in logs.
        logger.warning("messaging: the introduction for proposal %s could not be opened", proposal_id)
        return None


def introductions_leave(seeker_id: int, supporter_id: int) -> None:
    """The match is over: the peer advisor leaves every introduction conversation they share with the
    seeker (the seeker and the coordinator keep it), in the caller's transaction."""
    supporter = User.objects.filter(pk=supporter_id).first()
    if supporter is None:
        return
    threads = Conversation.objects.filter(
        kind=Conversation.Kind.INTRODUCTION,
        memberships__user=supporter,
        memberships__left_at__isnull=True,
    ).filter(memberships__user_id=seeker_id)
    for conversation in threads.distinct():
        services.conversation_leave(conversation=conversation, user=supporter)
