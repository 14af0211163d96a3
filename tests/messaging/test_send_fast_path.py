"""message_send's per-message shortcuts agree with the plain ORM rules they replace.

The send path reads membership and blocks in one hand-written query, inserts the row without the
ORM's query building and queues at most one unread check per person; these tests hold each of
those to the simple reference behaviour.
"""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.tasks.signals import task_enqueued
from django.test import override_settings
from django.utils import timezone

from messaging import services
from messaging.models import Membership, Message, NotificationPreference
from profiles.models import Block

pytestmark = pytest.mark.django_db


def _reference_context(conversation_id: int, sender_id: int) -> tuple[dict[int, bool], bool]:
    """What message_send checked before: active memberships, then blocked_between each other member."""
    members = {
        user_id: archived_at is not None
        for user_id, archived_at in Membership.objects.filter(
            conversation_id=conversation_id, left_at__isnull=True
        ).values_list("user_id", "archived_at")
    }
    blocked = any(services.blocked_between(sender_id, other) for other in members if other != sender_id)
    return members, blocked


def _assert_context_matches_reference(conversation, people):
    for person in people:
        assert services._send_context(conversation.pk, person.pk) == _reference_context(conversation.pk, person.pk)


def test_membership_and_block_read_matches_the_orm_rules(coordinator, seeker, supporter, stranger):
    conversation = services.conversation_introduce(coordinator=coordinator, seeker=seeker, supporter=supporter)
    everyone = [coordinator, seeker, supporter, stranger]
    _assert_context_matches_reference(conversation, everyone)

    Block.objects.create(blocker=stranger, blocked=seeker)  # someone outside the conversation: no effect
    _assert_context_matches_reference(conversation, everyone)
    assert services._send_context(conversation.pk, seeker.pk)[1] is False

    services.conversation_archive(conversation=conversation, user=supporter)
    _assert_context_matches_reference(conversation, everyone)
    assert services._send_context(conversation.pk, seeker.pk)[0][supporter.pk] is True

    Block.objects.create(blocker=supporter, blocked=coordinator)  # either direction counts
    _assert_context_matches_reference(conversation, everyone)
    assert services._send_context(conversation.pk, coordinator.pk)[1] is True
    assert services._send_context(conversation.pk, supporter.pk)[1] is True
    assert services._send_context(conversation.pk, seeker.pk)[1] is False

    services.conversation_leave(conversation=conversation, user=supporter)  # a block with someone who left
    _assert_context_matches_reference(conversation, everyone)
    assert supporter.pk not in services._send_context(conversation.pk, seeker.pk)[0]
    assert services._send_context(conversation.pk, coordinator.pk)[1] is False


def test_a_block_refuses_the_next_send_both_ways(conversation, seeker, supporter):
    services.message_send(conversation=conversation, sender=seeker, body="Before")
    Block.objects.create(blocker=seeker, blocked=supporter)
    for sender in (seeker, supporter):
        with pytest.raises(PermissionDenied):
            services.message_send(conversation=conversation, sender=sender, body="After")
    assert list(conversation.messages.values_list("body", flat=True)) == ["Hello, I need help on Tuesdays.", "Before"]


def test_leaving_and_strangers_are_refused_and_a_lone_member_is_told(conversation, seeker, supporter, stranger):
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, sender=stranger, body="Hi")
    services.conversation_leave(conversation=conversation, user=supporter)
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, sender=supporter, body="Hi")
    with pytest.raises(ValidationError):
        services.message_send(conversation=conversation, sender=seeker, body="Anyone there?")


def test_the_inserted_row_is_the_one_the_orm_writes(conversation, seeker, supporter):
    body = "Can you send the money by bank transfer? Call me on 07700 900123"
    with time_machine.travel(timezone.now(), tick=False):  # created_at is auto_now_add: the same instant for both
        sent = services.message_send(conversation=conversation, sender=seeker, body=body)
        reference = Message.objects.create(
            conversation=conversation, sender=seeker, body=body, safety_flags=sent.safety_flags
        )
    columns = ["conversation_id", "sender_id", "body", "safety_flags", "created_at", "removed_at"]
    stored = Message.objects.filter(pk=sent.pk).values(*columns).get()
    assert stored == Message.objects.filter(pk=reference.pk).values(*columns).get()
    assert stored["safety_flags"] == ["money", "off_platform"] and stored["created_at"] == sent.created_at
    assert sent.pk < reference.pk and not sent._state.adding
    sent.refresh_from_db()  # the returned instance is a normal saved row
    conversation.refresh_from_db()
    assert conversation.last_message_at == sent.created_at


def test_a_new_message_unarchives_the_conversation_for_the_others(conversation, seeker, supporter):
    services.conversation_archive(conversation=conversation, user=supporter)
    services.conversation_archive(conversation=conversation, user=seeker)
    services.message_send(conversation=conversation, sender=seeker, body="Back again")
    archived = dict(conversation.memberships.values_list("user_id", "archived_at"))
    assert archived[supporter.pk] is None and archived[seeker.pk] is not None


# Unread-email checks: one waiting per person, however many messages ---------------------------


@pytest.fixture
def enqueued():
    calls: list = []

    def record(sender, task_result, **kwargs):
        calls.append(task_result.args[0])

    task_enqueued.connect(record, dispatch_uid="test-send-fast-path")
    yield calls
    task_enqueued.disconnect(dispatch_uid="test-send-fast-path")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_many_messages_queue_one_check_per_recipient_after_the_wait(
    conversation, seeker, supporter, enqueued, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            services.message_send(conversation=conversation, sender=seeker, body=f"Message {n}")
    assert enqueued == [supporter.pk]
    task = DBTaskResult.objects.get()
    assert timedelta(minutes=15) <= task.run_after - before < timedelta(minutes=16)
    assert NotificationPreference.objects.get(user=supporter).next_check_at == task.run_after

    cache.clear()  # a restarted server (or another one) knows only what the database says
    services._notify_marks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, sender=seeker, body="One more")
    assert enqueued == [supporter.pk] and DBTaskResult.objects.count() == 1


def test_a_check_is_queued_again_once_the_last_one_ran(
    conversation, seeker, supporter, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, sender=seeker, body="First")
    assert enqueued == [supporter.pk]
    # The check ran (tests run tasks at once) and cleared next_check_at; after the mark expires, a new one.
    assert NotificationPreference.objects.get(user=supporter).next_check_at is None
    cache.clear()
    services._notify_marks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, sender=seeker, body="Second")
    assert enqueued == [supporter.pk, supporter.pk]


def test_no_check_for_people_who_want_no_email_and_a_default_row_for_new_people(
    conversation, seeker, supporter, enqueued, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=supporter, frequency=NotificationPreference.Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, sender=seeker, body="Hello")
        services.message_send(conversation=conversation, sender=supporter, body="Hi")
    assert enqueued == [seeker.pk]
    assert NotificationPreference.objects.get(user=seeker).frequency == NotificationPreference.Frequency.SOON


def test_a_check_already_waiting_in_the_database_is_not_queued_twice(conversation, seeker, supporter, enqueued):
    later = timezone.now() + timedelta(minutes=10)
    NotificationPreference.objects.create(user=supporter, next_check_at=later)
    services.notifications_schedule(user_ids=[supporter.pk])
    assert enqueued == []
    assert NotificationPreference.objects.filter(Q(next_check_at=later), user=supporter).exists()


def test_the_rate_limit_window_survives_a_thousand_other_people_sending(seeker):
    # The local cache used to hold 300 entries, so a busy site forgot people's windows (and the limit).
    services._check_rate(seeker)
    for n in range(1000):
        services._check_rate(SimpleNamespace(pk=10_000_000 + n))
    for _ in range(services.rate_limit_per_minute() - 1):
        services._check_rate(seeker)
    with pytest.raises(services.MessageRateLimited):
        services._check_rate(seeker)


def test_a_mark_from_another_server_is_honoured_and_kept_locally(conversation, seeker, supporter, enqueued):
    services.notifications_schedule(user_ids=[supporter.pk])
    assert enqueued == [supporter.pk]
    services._notify_marks.clear()  # this process never saw it: the shared cache still knows
    services.notifications_schedule(user_ids=[supporter.pk])
    assert enqueued == [supporter.pk] and supporter.pk in services._notify_marks
    cache.clear()  # the local copy alone now answers
    services.notifications_schedule(user_ids=[supporter.pk])
    assert enqueued == [supporter.pk]


@pytest.fixture
def redis_cache(tmp_path, settings):
    """The default cache on a real redis-server of our own (django-redis), as with several servers."""
    from pathlib import Path

    from django.core.cache import caches

    from tests.messaging import live

    if not Path(live.REDIS_SERVER).exists():
        pytest.fail(f"{live.REDIS_SERVER} is missing. Install it (apt-get install redis-server) to run the Redis test.")
    port = live.free_port()
    proc = live.start_redis(port, tmp_path)
    location = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    try:
        # Through pytest-django's settings, not override_settings: a test that also changes a setting would
        # otherwise restore this CACHES after the fixture ends, for every later test.
        settings.CACHES = {"default": location}
        yield caches["default"]
    finally:
        live.stop(proc)


@pytest.mark.redis
@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_the_rate_window_is_the_same_on_redis_and_the_local_cache(backend, request, seeker, settings):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
        assert services._redis_client() is not None
    settings.MESSAGING_RATE_PER_MINUTE = 3
    start = timezone.now()
    outcomes = []
    for seconds in (0, 1, 2, 3, 4, 59.5, 61.5, 62, 63, 63.5):  # each send leaves the window 60 s later
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            try:
                services._check_rate(seeker)
                outcomes.append("sent")
            except services.MessageRateLimited:
                outcomes.append("refused")
    assert outcomes == ["sent", "sent", "sent", "refused", "refused", "refused", "sent", "sent", "sent", "refused"]


async def test_the_local_layer_gives_each_member_its_own_copy_and_skips_a_full_queue():
    from messaging.layers import InMemoryChannelLayer

    layer = InMemoryChannelLayer(capacity=1)
    first, second, full = [await layer.new_channel() for _ in range(3)]
    for channel in (first, second, full):
        await layer.group_add("conversation-1", channel)
    await layer.send(full, {"type": "message.new", "message": {"id": 0}})  # its one place is taken
    await layer.group_send("conversation-1", {"type": "message.new", "message": {"id": 1, "flags": []}})
    a, b = await layer.receive(first), await layer.receive(second)
    assert a == b == {"type": "message.new", "message": {"id": 1, "flags": []}}
    a["message"]["flags"].append("changed by one consumer")
    assert b["message"]["flags"] == []
    assert (await layer.receive(full))["message"]["id"] == 0


def test_a_long_running_worker_forgets_marks_that_have_expired(
    conversation, seeker, supporter, enqueued, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "NOTIFY_MARKS_PRUNE_AT", 100)
    long_gone = time.time() - 60
    services._notify_marks.update({10_000_000 + n: long_gone for n in range(150)})
    services._notify_marks[seeker.pk] = time.time() + 600  # still waiting: kept
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, sender=seeker, body="Hello")
    assert enqueued == [supporter.pk]
    assert set(services._notify_marks) == {seeker.pk, supporter.pk}
