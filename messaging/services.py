"""The only write paths for messaging. HTML views, the API and the WebSocket consumer all call these."""

from __future__ import annotations

import functools
import logging
import os
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.languages import saved_language
from marketplace import validators
from marketplace.cache_failover import PrimaryUnavailable
from marketplace.sql import column, table
from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles import ports
from profiles.models import Block, OrganisationMembership, Profile, User
from profiles.services import connection_create

from . import interest, realtime, safety
from .models import (
    MESSAGE_MAX_CHARS,
    REQUEST_MAX_CHARS,
    ContactRequest,
    Conversation,
    Membership,
    Message,
    ModerationAction,
    NotificationPreference,
    Report,
    pair_key,
)

logger = logging.getLogger(__name__)


class MessageRateLimited(ValidationError):
    """Too many messages in a minute. Interfaces answer 429."""


def rate_limit_per_minute() -> int:
    # settings.MESSAGING_RATE_PER_MINUTE wins; the environment variable lets the bench raise it.
    return int(getattr(settings, "MESSAGING_RATE_PER_MINUTE", 0) or os.environ.get("MESSAGING_RATE_PER_MINUTE", 30))


blocked_between = Block.blocked_between  # the one block rule (profiles.models.Block)


def _check_body(body: str, limit: int, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: [_("Write a message before sending.")]})
    if len(body) > limit:
        raise ValidationError(
            {
                field: [
                    _(
                        "Messages can be up to %(limit)s characters. Yours has %(length)s: "
                        "shorten it or send it in two parts."
                    )
                    % {"limit": f"{limit:,}", "length": f"{len(body):,}"}
                ]
            }
        )
    return body


def _rate_limited_text() -> str:
    return _("You have sent %(count)s messages in the last minute. Please wait a minute, then send again.") % {
        "count": rate_limit_per_minute()
    }


def _redis_client():
    """The raw Redis client behind the cache, or None for other cache backends.

    Behind the failover cache (marketplace/cache_failover.py) this is its Redis, and raises while
    that is taken as down, so the window is counted in the database instead.
    """
    backend = getattr(cache, "primary", cache)
    get_client = getattr(getattr(backend, "client", None), "get_client", None)
    return get_client(write=True) if get_client is not None else None


# The rule, once: at most rate_limit_per_minute() messages from one person in any RATE_WINDOW_SECONDS.
RATE_WINDOW_SECONDS = 60


def _check_rate(user: User) -> None:
    """A sliding one-minute window per person, kept in the shared cache (Redis when configured).

    When the cache cannot answer, the same window is counted from the person's messages in the
    database: a limit that protects people never switches off.
    """
    key = f"messaging:rate:{user.pk}"
    now = timezone.now().timestamp()
    try:
        redis = _redis_client()
        if redis is not None:
            _check_rate_redis(redis, cache.make_key(f"{key}:z"), now)
            return
        recent = [t for t in cache.get(key, []) if t > now - RATE_WINDOW_SECONDS]
        if len(recent) >= rate_limit_per_minute():
            raise MessageRateLimited(_rate_limited_text())
        cache.set(key, [*recent, now], timeout=RATE_WINDOW_SECONDS + 10)
    except MessageRateLimited:
        raise
    except Exception as error:  # noqa: BLE001 - a cache outage must not stop people talking, nor the limit
        if isinstance(error, PrimaryUnavailable):
            pass  # already known: the failover cache logged it once
        elif hasattr(cache, "primary_failed"):
            cache.primary_failed(error)  # leave Redis alone for a few seconds; logged once
        else:
            logger.warning("Rate-limit cache unavailable; counting recent messages in the database.")
        _check_rate_database(user, now)


def _check_rate_database(user: User, now: float) -> None:
    """The same window from the messages this person sent in it (only while the cache is down)."""
    since = datetime.fromtimestamp(now - RATE_WINDOW_SECONDS, tz=UTC)
    if Message.objects.filter(sender_id=user.pk, created_at__gt=since).count() >= rate_limit_per_minute():
        raise MessageRateLimited(_rate_limited_text())


def _check_rate_redis(redis, key: str, now: float) -> None:
    """The same window in one round trip: get-then-set was two, each a wait on the database thread.

    Record this send, drop sends older than a minute and count, all in one transaction; a send
    over the limit takes its record back out (a second round trip, only when refusing).
    """
    member = f"{now!r}:{os.getpid()}:{time.perf_counter_ns()}"  # unique, so two sends never merge
    pipe = redis.pipeline(transaction=True)
    pipe.zremrangebyscore(key, "-inf", now - RATE_WINDOW_SECONDS)
    pipe.zadd(key, {member: now})
    pipe.zcard(key)
    pipe.expire(key, RATE_WINDOW_SECONDS + 10)
    count = pipe.execute()[2]
    if count > rate_limit_per_minute():
        redis.zrem(key, member)
        raise MessageRateLimited(_rate_limited_text())


# Contact requests ---------------------------------------------------------------------------


def contact_request_create(*, sender: User, profile: Profile, message: str) -> ContactRequest:
    """A first approach to a listed profile's owner. Raises PermissionDenied, ValidationError."""
    recipient = profile.user
    if recipient is None or not profile.is_listed:
        raise ValidationError(_("This listing is not taking contact requests. Try another person on the register."))
    if recipient.pk == sender.pk:
        raise ValidationError(_("This is your own listing, so there is nobody to contact."))
    if blocked_between(sender.pk, recipient.pk):
        raise PermissionDenied(_("You cannot contact this person."))
    body = _check_body(message, REQUEST_MAX_CHARS, field="message")
    if conversation_direct_between(sender, recipient) is not None:
        raise ValidationError(_("You are already in touch with this person. Carry on in your conversation with them."))
    pending = ContactRequest.objects.filter(pair=pair_key(sender.pk, recipient.pk), status=ContactRequest.Status.OPEN)
    if pending.exists():
        raise ValidationError(
            _("There is already a contact request waiting between you and this person. Wait for a reply.")
        )
    try:
        with transaction.atomic():
            contact_request = ContactRequest.objects.create(
                sender=sender, recipient=recipient, profile=profile, message=body
            )
            # Mutual already (they answered this person's advert)? Then the conversation opens now.
            if interest_settle(actor=sender, other=recipient) is not None:
                contact_request.refresh_from_db()
                return contact_request
            notification_send(
                recipient=recipient, kind=NotificationKind.CONTACT_REQUEST, link=reverse("messaging:requests")
            )
            return contact_request
    except IntegrityError:  # another request for this pair committed first
        raise ValidationError(
            _("There is already a contact request waiting between you and this person. Wait for a reply.")
        ) from None


def _require_open_for_recipient(contact_request: ContactRequest, actor: User) -> None:
    if contact_request.recipient_id != actor.pk:
        raise PermissionDenied(_("Only the person this request was sent to can answer it."))
    if not contact_request.is_open:
        raise ValidationError(
            _("This request has already been answered (%(status)s).")
            % {"status": contact_request.get_status_display().lower()}
        )


@transaction.atomic
def contact_request_accept(*, contact_request: ContactRequest, actor: User) -> Conversation:
    """Accept: the pair become connected and their conversation starts with the request's message."""
    contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    _require_open_for_recipient(contact_request, actor)
    if blocked_between(contact_request.sender_id, actor.pk):
        raise PermissionDenied(_("You cannot accept a request from someone you have blocked or who has blocked you."))
    conversation = contact_request_open(contact_request=contact_request)
    notification_send(
        recipient=contact_request.sender_id,
        kind=NotificationKind.CONTACT_ACCEPTED,
        link=conversation.get_absolute_url(),
    )
    return conversation


def contact_request_open(*, contact_request: ContactRequest) -> Conversation:
    """Accept a waiting request (its recipient said yes, or both are interested: ``interest_settle``):
    the pair become connected and their conversation starts with the request's message. The caller
    holds the row lock and has checked permission and blocks."""
    conversation = _conversation_create(users=[contact_request.sender, contact_request.recipient])
    Message.objects.create(
        conversation=conversation,
        sender=contact_request.sender,
        body=contact_request.message,
        safety_flags=safety.flags_for(contact_request.message),
    )
    conversation.last_message_at = timezone.now()
    conversation.save(update_fields=["last_message_at"])
    contact_request.status = ContactRequest.Status.ACCEPTED
    contact_request.responded_at = timezone.now()
    contact_request.conversation = conversation
    contact_request.save(update_fields=["status", "responded_at", "conversation"])
    connection_create(a=contact_request.sender, b=contact_request.recipient)
    _record_outcome(contact_request, "contact_accepted")
    return conversation


def contact_request_decline(*, contact_request: ContactRequest, actor: User, reason: str = "") -> ContactRequest:
    """A polite one-click decline, with an optional canned reason the sender sees."""
    _require_open_for_recipient(contact_request, actor)
    if reason not in ContactRequest.DeclineReason.values:
        raise ValidationError({"reason": [_("Choose one of the reasons listed, or none.")]})
    contact_request.status = ContactRequest.Status.DECLINED
    contact_request.decline_reason = reason
    contact_request.responded_at = timezone.now()
    contact_request.save(update_fields=["status", "decline_reason", "responded_at"])
    _record_outcome(contact_request, "contact_declined")
    return contact_request


def _record_outcome(contact_request: ContactRequest, kind: str) -> None:
    """A seeker's approach to a supporter, answered, is training data for matching (after commit)."""
    from matching.services import outcome_record

    supporter = contact_request.profile
    seeker = contact_request.sender.profiles.filter(role="seeker").first()
    if supporter is None or seeker is None or not supporter.is_supporter:
        return
    # robust: failing to record training data must never undo or break answering the request.
    transaction.on_commit(
        lambda: outcome_record(seeker_profile=seeker, supporter_profile=supporter, kind=kind), robust=True
    )


# Conversations ------------------------------------------------------------------------------


def _conversation_create(*, users: list[User], **fields) -> Conversation:
    conversation = Conversation.objects.create(**fields)
    Membership.objects.bulk_create([Membership(conversation=conversation, user=u) for u in users])
    return conversation


def conversation_open_direct(*, a: User, b: User) -> Conversation:
    """A one-to-one conversation for two people who are both interested (``interest_settle``): they
    become connected. The caller has checked that neither blocks the other."""
    conversation = _conversation_create(users=[a, b])
    connection_create(a=a, b=b)
    return conversation


def conversation_add_opening(*, conversation: Conversation, sender: User, body: str) -> Message:
    """Words someone wrote before the conversation existed (an advert response) as its next message.
    No rate limit and no socket broadcast: nobody can have the new conversation open yet."""
    body = _check_body(body, MESSAGE_MAX_CHARS)
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body, safety_flags=safety.flags_for(body)
    )
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at"])
    return message


def conversation_direct_between(a: User, b: User) -> Conversation | None:
    """The open one-to-one conversation between two people, if both are still in it."""
    return (
        Conversation.objects.filter(kind=Conversation.Kind.DIRECT)
        .filter(memberships__user=a, memberships__left_at__isnull=True)
        .filter(memberships__user=b, memberships__left_at__isnull=True)
        .first()
    )


@transaction.atomic
def conversation_introduce(*, coordinator: User, seeker: User, supporter: User, note: str = "") -> Conversation:
    """A coordinator introduces a seeker and a peer advisor (or other supporter) in one thread."""
    if not OrganisationMembership.objects.filter(
        user=coordinator, role=OrganisationMembership.Role.COORDINATOR
    ).exists():
        raise PermissionDenied(_("Only coordinators can introduce people."))
    people = [coordinator, seeker, supporter]
    if len({p.pk for p in people}) != 3:
        raise ValidationError(_("An introduction needs three different people: you, the seeker and the supporter."))
    if any(blocked_between(a.pk, b.pk) for i, a in enumerate(people) for b in people[i + 1 :]):
        raise ValidationError(_("These people cannot be introduced. Please talk to them separately."))
    conversation = _conversation_create(
        users=people,
        kind=Conversation.Kind.INTRODUCTION,
        introduced_by=coordinator,
        introduction_note=note.strip()[:1000],
    )
    connection_create(a=seeker, b=supporter)
    return conversation


def _active_membership(conversation: Conversation, user: User) -> Membership:
    membership = Membership.objects.filter(conversation=conversation, user=user, left_at__isnull=True).first()
    if membership is None:
        raise PermissionDenied(_("You are not in this conversation."))
    return membership


def _others(conversation: Conversation, user: User) -> list[int]:
    return list(
        Membership.objects.filter(conversation=conversation, left_at__isnull=True)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )


def _has_booking(sender_id: int, other_ids: list[int]) -> bool:
    """Whether the sender has agreed a booking with everyone else in the conversation (the money
    warning is for before a booking is agreed here). Payments answers, through profiles.ports."""
    return bool(other_ids) and all(ports.booking_agreed_between(sender_id, other) for other in other_ids)


@functools.cache
def _send_context_sql() -> str:
    m_user, blocker, blocked = (
        column(Membership, "user", "m"),
        column(Block, "blocker", "b"),
        column(Block, "blocked", "b"),
    )
    return (
        f"SELECT {m_user}, {column(Membership, 'archived_at', 'm')} IS NOT NULL, "
        f"EXISTS (SELECT 1 FROM {table(Block)} b WHERE {blocker} = %s AND {blocked} = {m_user}) "
        f"OR EXISTS (SELECT 1 FROM {table(Block)} b WHERE {blocker} = {m_user} AND {blocked} = %s) "
        f"FROM {table(Membership)} m "
        f"WHERE {column(Membership, 'conversation', 'm')} = %s AND {column(Membership, 'left_at', 'm')} IS NULL"
    )


def _send_context(conversation_id: int, sender_id: int) -> tuple[dict[int, bool], bool]:
    """The active members (user id -> archived?) and whether the sender and any of them block each other.

    One hand-written query because it runs for every message: building the two equivalent ORM
    queries cost more than running them (bench/bench_messaging.py). The block rule is
    blocked_between's, both directions; tests/messaging/test_send_fast_path.py checks they agree.
    """
    with connection.cursor() as cursor:
        cursor.execute(_send_context_sql(), [sender_id, sender_id, conversation_id])
        rows = cursor.fetchall()
    members = {user_id: bool(archived) for user_id, archived, _ in rows}
    blocked = any(bool(blocks) for user_id, _, blocks in rows if user_id != sender_id)
    return members, blocked


@functools.cache
def _last_message_at_sql() -> str:
    return f"UPDATE {table(Conversation)} SET {column(Conversation, 'last_message_at')} = %s WHERE {column(Conversation, 'pk')} = %s"


def _touch_conversation(conversation_id: int, at) -> None:
    """conversation.last_message_at = at, without the ORM's query building (it runs for every message)."""
    value = Conversation._meta.get_field("last_message_at").get_db_prep_value(at, connection)
    with connection.cursor() as cursor:
        cursor.execute(_last_message_at_sql(), [value, conversation_id])


@functools.cache
def _message_insert_sql() -> tuple[str, tuple]:
    fields = tuple(f for f in Message._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(column(Message, f.name) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table(Message)} ({columns}) VALUES ({placeholders}) RETURNING {column(Message, 'pk')}", fields


def _message_insert(message: Message) -> None:
    """message.save() for a new message, minus the ORM's SQL building: the largest cost of a send.

    Values still go through each field's pre_save (created_at) and get_db_prep_save (the JSON
    flags), so the row is the one save() writes; tests/messaging/test_send_fast_path.py compares.
    """
    if not connection.features.can_return_columns_from_insert:
        message.save(force_insert=True)
        return
    sql, fields = _message_insert_sql()
    values = [f.get_db_prep_save(f.pre_save(message, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        message.pk = cursor.fetchone()[0]
    message._state.adding, message._state.db = False, connection.alias


def message_send(*, conversation: Conversation, sender: User, body: str) -> Message:
    """Save a message, then broadcast it after commit. Raises PermissionDenied, ValidationError."""
    members, blocked = _send_context(conversation.pk, sender.pk)
    if sender.pk not in members:
        raise PermissionDenied(_("You are not in this conversation."))
    others = [user_id for user_id in members if user_id != sender.pk]
    if blocked:
        raise PermissionDenied(_("You cannot send messages here because one of you has blocked the other."))
    if not others:
        raise ValidationError(_("Everyone else has left this conversation, so your message would not reach anyone."))
    body = _check_body(body, MESSAGE_MAX_CHARS)
    _check_rate(sender)
    flags = safety.flags_for(body)
    if flags and _has_booking(sender.pk, others):  # asked only when the text would be flagged
        flags = []
    with transaction.atomic():
        message = Message(conversation_id=conversation.pk, sender=sender, body=body, safety_flags=flags)
        _message_insert(message)
        _touch_conversation(conversation.pk, message.created_at)
        archived = [user_id for user_id in others if members[user_id]]
        if archived:  # a new message brings an archived conversation back to the inbox
            Membership.objects.filter(conversation_id=conversation.pk, user_id__in=archived).update(archived_at=None)
        transaction.on_commit(lambda: realtime.message_broadcast(message, to=list(members)))
        transaction.on_commit(lambda: notifications_schedule(user_ids=others))
    return message


def conversation_mark_read(*, conversation: Conversation, user: User, up_to: int | None = None) -> Membership:
    membership = _active_membership(conversation, user)
    latest = conversation.messages.order_by("-id").values_list("id", flat=True).first() or 0
    target = min(up_to, latest) if up_to is not None else latest
    if target > membership.last_read_id:
        membership.last_read_id = target
        membership.last_read_at = timezone.now()
        membership.save(update_fields=["last_read_id", "last_read_at"])
        transaction.on_commit(lambda: realtime.read_broadcast(conversation.pk, user.pk, target))
    return membership


def conversation_leave(*, conversation: Conversation, user: User) -> Membership:
    membership = _active_membership(conversation, user)
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    transaction.on_commit(lambda: realtime.sockets_close_for_user(user.pk, conversation.pk))
    return membership


def conversation_archive(*, conversation: Conversation, user: User, archived: bool = True) -> Membership:
    membership = _active_membership(conversation, user)
    membership.archived_at = timezone.now() if archived else None
    membership.save(update_fields=["archived_at"])
    return membership


def contact_share(*, conversation: Conversation, user: User, details: str, share: bool = True) -> Membership:
    """One side's choice to share contact details; they show only when both sides have chosen."""
    membership = _active_membership(conversation, user)
    details = (details or "").strip()
    validators.reject_nul(details, field="details")
    if share and not details:
        raise ValidationError({"details": [_("Write the phone number, email or address you want to share.")]})
    if len(details) > 300:
        raise ValidationError({"details": [_("Keep your contact details under 300 characters.")]})
    membership.shares_contact = share
    membership.contact_details = details if share else ""
    membership.save(update_fields=["shares_contact", "contact_details"])
    return membership


# Notifications ------------------------------------------------------------------------------


def notification_preference_for(user: User) -> NotificationPreference:
    return NotificationPreference.objects.get_or_create(user=user)[0]


def notification_preference_set(*, user: User, frequency: str) -> NotificationPreference:
    if frequency not in NotificationPreference.Frequency.values:
        raise ValidationError({"frequency": [_("Choose how often we should email you.")]})
    preference = notification_preference_for(user)
    preference.frequency = frequency
    preference.save(update_fields=["frequency"])
    return preference


def notification_delay(preference: NotificationPreference) -> timedelta:
    if preference.frequency == NotificationPreference.Frequency.DAILY:
        return timedelta(days=1)
    return timedelta(minutes=15)


# "A check is waiting for this person until <time>": kept in the shared cache and, in front of it,
# in this process, so the common case (a check already waiting) costs no round trip to Redis on
# the database thread. Nothing cancels a mark early, so a local copy is as right as the shared one.
_notify_marks: dict[int, float] = {}
# Past this many, expired marks are dropped, so a long-running worker does not keep one per person ever notified.
NOTIFY_MARKS_PRUNE_AT = 10_000


def _notify_marked(user_ids: list[int]) -> set[int]:
    now = time.time()
    marked = {u for u in user_ids if _notify_marks.get(u, 0.0) > now}
    unknown = [u for u in user_ids if u not in marked]
    if unknown:
        for key, until in _cache_get_many([f"messaging:notify:{u}" for u in unknown]).items():
            user_id = int(key.rsplit(":", 1)[1])
            marked.add(user_id)
            if isinstance(until, float):  # older marks held 1, not their end
                _notify_marks[user_id] = until
    return marked


def _notify_mark(user_id: int, seconds: int) -> None:
    now = time.time()
    until = now + seconds
    if len(_notify_marks) >= NOTIFY_MARKS_PRUNE_AT:
        # list() copies the items in one step under the GIL, so other threads' marks cannot break the loop.
        for marked_id, marked_until in list(_notify_marks.items()):
            if marked_until <= now:
                _notify_marks.pop(marked_id, None)
    _notify_marks[user_id] = until
    try:
        cache.set(f"messaging:notify:{user_id}", until, timeout=seconds)
    except Exception:  # noqa: BLE001 - the mark only saves queries; the database decides
        logger.warning("Cache unavailable; unread checks are found in the database instead.")


def notifications_schedule(*, user_ids: list[int]) -> None:
    """Queue one unread check per person, unless one is already waiting.

    Runs after every message: a mark skips people with a check waiting, and the rest take one
    read, a create only for people with no preference row yet, and a conditional update per
    check queued (so two servers never queue two checks for one person).
    """
    from .tasks import unread_notify

    marked = _notify_marked(user_ids)
    user_ids = [u for u in user_ids if u not in marked]
    if not user_ids:
        return
    now = timezone.now()
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    missing = [NotificationPreference(user_id=u) for u in user_ids if u not in preferences]
    if missing:
        NotificationPreference.objects.bulk_create(missing, ignore_conflicts=True)
        preferences.update((p.user_id, p) for p in missing)
    for user_id in user_ids:
        preference = preferences[user_id]
        off = preference.frequency == NotificationPreference.Frequency.OFF
        if off or (preference.next_check_at is not None and preference.next_check_at > now):
            _notify_mark(user_id, 60)  # re-read in a minute: the person may change their setting
            continue
        run_after = now + notification_delay(preference)
        due = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)
        if not NotificationPreference.objects.filter(due, user_id=user_id).update(next_check_at=run_after):
            continue  # another server queued it a moment ago
        _notify_mark(user_id, int(notification_delay(preference).total_seconds()))
        task = unread_notify.using(run_after=run_after) if unread_notify.get_backend().supports_defer else unread_notify
        try:
            task.enqueue(user_id)
        except Exception:  # a queue outage must not undo a sent message
            logger.warning("Could not queue an unread-message email.", exc_info=True)


def _cache_get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - the cache only saves queries; the database decides
        return {}


# Safety and moderation ----------------------------------------------------------------------

_SEVERITY: dict[str, Report.Severity] = {
    Report.Reason.SAFEGUARDING: Report.Severity.HIGH,
    Report.Reason.HARASSMENT: Report.Severity.HIGH,
    Report.Reason.MONEY: Report.Severity.MEDIUM,
    Report.Reason.SCAM: Report.Severity.MEDIUM,
}


@transaction.atomic
def report_create(
    *, reporter: User, reason: str, details: str = "", message: Message | None = None, reported_user: User | None = None
) -> Report:
    """Open a moderation case about a message or a person. The reported person never sees it."""
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": [_("Choose the reason that fits best.")]})
    if message is not None:
        _active_membership(message.conversation, reporter)
        reported_user = message.sender
    if reported_user is None or reported_user.pk == reporter.pk:
        raise ValidationError(_("Choose someone else's message or profile to report."))
    if len(details or "") > 2000:
        raise ValidationError({"details": [_("Keep the details under 2,000 characters.")]})
    report = Report.objects.create(
        reporter=reporter,
        reported_user=reported_user,
        message=message,
        message_snapshot=message.body if message else "",
        reason=reason,
        details=(details or "").strip(),
        severity=_SEVERITY.get(reason, Report.Severity.LOW),
    )
    ModerationAction.objects.create(report=report, actor=reporter, action=ModerationAction.Action.OPENED)
    for moderator_id in (
        User.objects.filter(is_moderator=True, is_active=True).exclude(pk=reporter.pk).values_list("pk", flat=True)
    ):
        notification_send(recipient=moderator_id, kind=NotificationKind.REPORT_TO_CHECK, link=reverse("moderation-all"))
    return report


def _require_moderator(user: User) -> None:
    if not getattr(user, "is_moderator", False):
        raise PermissionDenied(_("Only moderators can act on reports."))


@transaction.atomic
def report_act(*, report: Report, moderator: User, action: str, note: str = "") -> ModerationAction:
    """Warn, suspend, remove the message or close the case, recording who did it and when."""
    _require_moderator(moderator)
    Action = ModerationAction.Action
    if action not in {Action.WARN, Action.SUSPEND, Action.REMOVE_MESSAGE, Action.CLOSE}:
        raise ValidationError({"action": [_("Choose warn, suspend, remove the message or close.")]})
    if report.status == Report.Status.CLOSED:
        raise ValidationError(_("This case is closed. Open a new case if there is more to do."))
    notification_send(
        recipient=report.reporter_id,
        kind=NotificationKind.MODERATION_OUTCOME,
        link=reverse("messaging:report-thanks", args=[report.pk]),
    )
    if action == Action.REMOVE_MESSAGE:
        _message_remove(report)
    elif action == Action.SUSPEND:
        _user_suspend(report.reported_user)
    elif action == Action.WARN:
        _user_warn(report.reported_user)
    report.status = Report.Status.CLOSED if action == Action.CLOSE else Report.Status.ACTIONED
    report.save(update_fields=["status", "updated_at"])
    return ModerationAction.objects.create(
        report=report, actor=moderator, action=action, note=(note or "").strip()[:2000]
    )


def _message_remove(report: Report) -> None:
    message = report.message
    if message is None:
        raise ValidationError(_("This case is about a person, not a message, so there is no message to remove."))
    if not message.is_removed:
        message.removed_at = timezone.now()
        message.save(update_fields=["removed_at"])
        transaction.on_commit(lambda: realtime.message_removed_broadcast(message))


def _user_suspend(user: User | None) -> None:
    if user is None:
        raise ValidationError(_("This account has already been deleted."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    transaction.on_commit(lambda: realtime.sockets_close_for_user(user.pk))


def _user_warn(user: User | None) -> None:
    from django.core.mail import send_mail

    if user is None:
        raise ValidationError(_("This account has already been deleted."))
    # In the warned person's language, not the moderator's.
    with translation.override(saved_language(user) or settings.LANGUAGE_CODE):
        subject = _("A message from the Open Circle safety team")
        body = _(
            "We have looked at a report about how you are using Open Circle. Please read our community "
            "guidelines and keep every conversation kind, safe and on the platform. Repeated problems can "
            "lead to suspension."
        )
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


# Interest that can be mutual (the rule: messaging.interest) -------------------------------------------


@transaction.atomic
def interest_settle(*, actor: User, other: User, first_words: str = "") -> Conversation | None:
    """``actor`` has just shown interest in ``other``: if that makes it mutual, open their conversation.

    Returns the conversation they share (new or already open), or None while only one side is
    interested. ``first_words`` (the advert response's message) becomes a message from ``actor``.
    Both people are told ("You are both interested") only when this call opened the conversation.
    """
    if not interest.interest_between(actor.pk, other.pk).mutual:
        return None
    existing = conversation_direct_between(actor, other)
    if existing is not None:
        return existing
    waiting = (
        ContactRequest.objects.select_for_update()
        .filter(pair=pair_key(actor.pk, other.pk), status=ContactRequest.Status.OPEN)
        .first()
    )
    if waiting is not None:
        conversation = contact_request_open(contact_request=waiting)
    else:
        conversation = conversation_open_direct(a=actor, b=other)
    if first_words.strip():
        conversation_add_opening(conversation=conversation, sender=actor, body=first_words)
    for person in (actor, other):
        notification_send(recipient=person, kind=NotificationKind.MUTUAL_INTEREST, link=conversation.get_absolute_url())
    return conversation


def interest_shown(from_user_id: int, to_user_id: int, first_words: str = "") -> str | None:
    """The answer to ``profiles.ports.interest_shown``: the conversation's path when interest is mutual."""
    actor, other = User.objects.filter(pk=from_user_id).first(), User.objects.filter(pk=to_user_id).first()
    if actor is None or other is None:
        return None
    conversation = interest_settle(actor=actor, other=other, first_words=first_words)
    return conversation.get_absolute_url() if conversation is not None else None
