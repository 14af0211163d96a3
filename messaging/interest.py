"""Interest that can be mutual: the one rule, and the one place a mutual interest opens a conversation.

A person shows interest in someone in one of two ways:

- "I'm interested" on their listing: a contact request (``ContactRequest``, waiting or accepted);
- responding to their "support wanted" advert (``matching.AdvertResponse``, from the supporter's listing).

Accepting a contact request is interest too (the request's sender showed it first). Two people are
**both interested** when each has shown interest in the other, or one accepted the other's request,
and neither has blocked the other (``Block.blocked_between``, the one block rule).

This module is the rule (``interest_between``, a read). The write, ``messaging.services.interest_settle``,
is called by every write path that shows interest: ``contact_request_create``
(pages and API) and ``matching.search_services.advert_respond`` (pages and API, through
``profiles.ports.interest_shown``, since matching may not import messaging). When interest has
just become mutual it opens the conversation (accepting the waiting request, so its message comes
first, then the advert response's message) and tells both people, after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from matching.models import AdvertResponse
from profiles.models import Block

from .models import ContactRequest

INTERESTED = (ContactRequest.Status.OPEN, ContactRequest.Status.ACCEPTED)


@dataclass(frozen=True)
class Interest:
    """What each of two people has shown the other (``a`` is the person asking)."""

    a_in_b: bool
    b_in_a: bool
    blocked: bool

    @property
    def mutual(self) -> bool:
        return self.a_in_b and self.b_in_a and not self.blocked


def _requested(sender_id: int, recipient_id: int) -> bool:
    return ContactRequest.objects.filter(sender_id=sender_id, recipient_id=recipient_id, status__in=INTERESTED).exists()


def _accepted_either_way(a_id: int, b_id: int) -> bool:
    pair = Q(sender_id=a_id, recipient_id=b_id) | Q(sender_id=b_id, recipient_id=a_id)
    return ContactRequest.objects.filter(pair, status=ContactRequest.Status.ACCEPTED).exists()


def _responded_to_advert(supporter_id: int, seeker_id: int) -> bool:
    """The supporter answered an advert posted for the seeker (by them or by someone acting for them)."""
    return AdvertResponse.objects.filter(
        supporter_profile__user_id=supporter_id, advert__seeker_profile__user_id=seeker_id
    ).exists()


def interest_between(a_id: int | None, b_id: int | None) -> Interest:
    """The one rule deciding mutual interest between two people (either order)."""
    if not a_id or not b_id or a_id == b_id:
        return Interest(False, False, False)
    accepted = _accepted_either_way(a_id, b_id)
    return Interest(
        a_in_b=accepted or _requested(a_id, b_id) or _responded_to_advert(a_id, b_id),
        b_in_a=accepted or _requested(b_id, a_id) or _responded_to_advert(b_id, a_id),
        blocked=Block.blocked_between(a_id, b_id),
    )


def both_interested(a_id: int | None, b_id: int | None) -> bool:
    return interest_between(a_id, b_id).mutual
