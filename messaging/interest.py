"""Interest that can be mutual: the one rule, and the one place a mutual interest opens a conversation.

A person shows interest in someone in one of two ways:

- "I'm interested" on their listing: a contact request (``ContactRequest``, waiting or accepted);
- responding to their "support wanted" advert (``matching.AdvertResponse``, from the supporter's listing).

Accepting a contact request is interest too (the request's sender showed it first). Two people are
**both interested** when each has shown interest in the other, or one accepted the other's request,
and neither has blocked the other (``Block.blocked_between``, the one block rule).

``interest_settle`` is called by every write path that shows interest: ``contact_request_create``
(pages and API) and ``matching.search_services.advert_respond`` (pages and API, through
``profiles.ports.interest_shown``, since matching may not import messaging). When interest has
just become mutual it opens the conversation (accepting the waiting request, so its message comes
first, then the advert response's message) and tells both people, after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from matching.models import AdvertResponse
from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles.models import Block, User

from .models import ContactRequest, Conversation

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


@transaction.atomic
def interest_settle(*, actor: User, other: User, first_words: str = "") -> Conversation | None:
    """``actor`` has just shown interest in ``other``: if that makes it mutual, open their conversation.

    Returns the conversation they share (new or already open), or None while only one side is
    interested. ``first_words`` (the advert response's message) becomes a message from ``actor``.
    Both people are told ("You are both interested") only when this call opened the conversation.
    """
    from . import services  # services calls this module

    if not interest_between(actor.pk, other.pk).mutual:
        return None
    existing = services.conversation_direct_between(actor, other)
    if existing is not None:
        return existing
    waiting = (
        ContactRequest.objects.select_for_update()
        .filter(pair=_pair(actor.pk, other.pk), status=ContactRequest.Status.OPEN)
        .first()
    )
    if waiting is not None:
        conversation = services.contact_request_open(contact_request=waiting)
    else:
        conversation = services.conversation_open_direct(a=actor, b=other)
    if first_words.strip():
        services.conversation_add_opening(conversation=conversation, sender=actor, body=first_words)
    for person in (actor, other):
        notification_send(recipient=person, kind=NotificationKind.MUTUAL_INTEREST, link=conversation.get_absolute_url())
    return conversation


def _pair(a_id: int, b_id: int) -> str:
    from .models import pair_key

    return pair_key(a_id, b_id)


def interest_shown(from_user_id: int, to_user_id: int, first_words: str = "") -> str | None:
    """The answer to ``profiles.ports.interest_shown``: the conversation's path when interest is mutual."""
    actor, other = User.objects.filter(pk=from_user_id).first(), User.objects.filter(pk=to_user_id).first()
    if actor is None or other is None:
        return None
    conversation = interest_settle(actor=actor, other=other, first_words=first_words)
    return conversation.get_absolute_url() if conversation is not None else None
