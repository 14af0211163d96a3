"""Reads with permission rules: someone else's conversation, request or case answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.http import Http404

from profiles.models import Block, User

from .models import ContactRequest, Conversation, Membership, Message, Report

PAGE_SIZE = 30


def membership_for(*, viewer: User, conversation_id: int) -> Membership:
    """The viewer's place in a conversation they belong to (including one they left, read-only)."""
    if not viewer.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("conversation", "conversation__introduced_by")
        .filter(user=viewer, conversation_id=conversation_id)
        .first()
    )
    if membership is None:
        raise Http404("No such conversation.")
    return membership


def conversation_for(*, viewer: User, conversation_id: int) -> Conversation:
    return membership_for(viewer=viewer, conversation_id=conversation_id).conversation


def is_active_member(user_id: int, conversation_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, conversation_id=conversation_id, left_at__isnull=True).exists()


def memberships_for(*, viewer: User, archived: bool = False):
    """The viewer's conversations, newest activity first, each with its unread count."""
    unread = (
        Message.objects.filter(conversation=OuterRef("conversation"), id__gt=OuterRef("last_read_id"))
        .exclude(sender=viewer)
        .order_by()
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Membership.objects.filter(user=viewer, left_at__isnull=True, archived_at__isnull=not archived)
        .select_related("conversation", "conversation__introduced_by")
        .prefetch_related("conversation__memberships__user")
        .annotate(unread=Subquery(unread))
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")
    )


def unread_total(*, viewer: User) -> int:
    return (
        Message.objects.filter(
            conversation__memberships__user=viewer,
            conversation__memberships__left_at__isnull=True,
            id__gt=F("conversation__memberships__last_read_id"),
        )
        .exclude(sender=viewer)
        .count()
    )


def readable_by(viewer_id: int) -> Exists:
    """The rule for reading messages, used by the pages, the API and the socket: the viewer is in the
    conversation, and if they left it, the message was sent before they left. Leaving ends access; what
    was said while they were there stays theirs to read."""
    return Exists(
        Membership.objects.filter(conversation_id=OuterRef("conversation_id"), user_id=viewer_id).filter(
            Q(left_at__isnull=True) | Q(left_at__gte=OuterRef("created_at"))
        )
    )


def messages_before(*, conversation: Conversation, viewer_id: int, before: int | None = None, limit: int = PAGE_SIZE):
    """One page of what the viewer may read, oldest first, ending just before ``before`` (or at the latest)."""
    qs = conversation.messages.filter(readable_by(viewer_id)).select_related("sender")
    if before:
        qs = qs.filter(id__lt=before)
    page = list(qs.order_by("-id")[: limit + 1])
    has_older = len(page) > limit
    return list(reversed(page[:limit])), has_older


def messages_after(*, conversation_id: int, viewer_id: int, after: int, limit: int = 500) -> list[Message]:
    """Everything the viewer may read after their last-seen id, in order: the resync that closes any gap."""
    return list(
        Message.objects.filter(readable_by(viewer_id), conversation_id=conversation_id, id__gt=after)
        .select_related("sender")
        .order_by("id")[:limit]
    )


@dataclass
class SharedContact:
    name: str
    details: str


def shared_contacts(*, membership: Membership) -> list[SharedContact]:
    """Other people's details, only where both they and the viewer chose to share, and neither has
    blocked the other: a block hides details already shared, both ways (the rule: Block.user_ids_hidden_from)."""
    if not membership.shares_contact:
        return []
    others = (
        Membership.objects.filter(conversation_id=membership.conversation_id, shares_contact=True, left_at__isnull=True)
        .exclude(user_id=membership.user_id)
        .exclude(user_id__in=Block.user_ids_hidden_from(membership.user_id))
        .select_related("user")
    )
    return [SharedContact(name=m.user.display_name, details=m.contact_details) for m in others]


def requests_received(*, viewer: User):
    return ContactRequest.objects.filter(recipient=viewer).select_related("sender", "profile")


def requests_sent(*, viewer: User):
    return ContactRequest.objects.filter(sender=viewer).select_related("recipient", "profile")


def request_for_recipient(*, viewer: User, pk: int) -> ContactRequest:
    request = ContactRequest.objects.filter(pk=pk, recipient=viewer).select_related("sender", "profile").first()
    if request is None:
        raise Http404("No such request.")
    return request


def message_for_member(*, viewer: User, message_id: int) -> Message:
    message = (
        Message.objects.filter(readable_by(viewer.pk), pk=message_id).select_related("sender", "conversation").first()
    )
    if message is None:
        raise Http404("No such message.")
    return message


def report_for_reporter(*, viewer: User, pk: int) -> Report:
    report = Report.objects.filter(pk=pk, reporter=viewer).first()
    if report is None:
        raise Http404("No such report.")
    return report


def moderation_queue(*, viewer: User, status: str = "open"):
    if not getattr(viewer, "is_moderator", False):
        raise Http404
    qs = Report.objects.select_related("reporter", "reported_user")
    return qs.filter(status=status) if status else qs


def report_for_moderator(*, viewer: User, pk: int) -> Report:
    if not getattr(viewer, "is_moderator", False):
        raise Http404
    report = Report.objects.filter(pk=pk).select_related("reporter", "reported_user", "message").first()
    if report is None:
        raise Http404
    return report


def people_in(conversation: Conversation, *, exclude: User | None = None) -> list[User]:
    qs = conversation.memberships.filter(left_at__isnull=True).select_related("user")
    if exclude is not None:
        qs = qs.exclude(user=exclude)
    return [m.user for m in qs]


def read_by_others(*, conversation: Conversation, viewer: User) -> dict[int, list[str]]:
    """For read receipts: each other member's last-read message id."""
    rows = conversation.memberships.exclude(user=viewer).filter(~Q(last_read_id=0)).select_related("user")
    return {m.user_id: [str(m.user), m.last_read_id] for m in rows}
