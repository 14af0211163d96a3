"""Channel-layer events. The database is the truth: a lost event is repaired by the client's resync."""

from __future__ import annotations

import asyncio
import logging
import os

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from .models import Message

logger = logging.getLogger(__name__)
LAYER_TIMEOUT_SECONDS = 1.0


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def conversation_group(conversation_id: int) -> str:
    return f"conversation-{conversation_id}"


def message_payload(message: Message) -> dict:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender_id": message.sender_id,
        "sender_name": str(message.sender) if message.sender_id else "A former member",
        "body": message.shown_body,
        "created_at": message.created_at.isoformat(),
        "flags": list(message.safety_flags),
        "removed": message.is_removed,
    }


async def _send(group: str, event: dict, timeout: float | None = None) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await asyncio.wait_for(layer.group_send(group, event), timeout)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The server's event loop when we run in one of its sync_to_async threads (views, consumers)."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    same_process = getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) == os.getpid()
    return loop if same_process and loop is not None and loop.is_running() else None


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.warning("Channel layer unavailable; clients will catch up on resync: %r", future.exception())


def publish(group: str, event: dict) -> None:
    """Send an event, never failing the caller: the row is already saved and clients resync.

    Inside the server the send is handed to its event loop without waiting, so the single
    database thread goes straight on to the next message; events keep their order.
    """
    loop = _server_loop()
    try:
        if loop is not None:
            asyncio.run_coroutine_threadsafe(_send(group, event), loop).add_done_callback(_log_failure)
        else:
            # A caller outside the server (a command, a test) waits, but never long.
            async_to_sync(_send)(group, event, LAYER_TIMEOUT_SECONDS)
    except Exception:  # a down layer must not turn a saved message into an error page
        logger.warning("Channel layer unavailable; clients will catch up on resync.", exc_info=True)


def message_broadcast(message: Message, to: list[int] | None = None) -> None:
    """``to``: the conversation's members when it was sent; a socket forwards it only to them (someone who
    left may still have a socket in the group until its close event arrives)."""
    event = {"type": "message.new", "message": message_payload(message)}
    if to is not None:
        event["to"] = to
    publish(conversation_group(message.conversation_id), event)


def message_removed_broadcast(message: Message) -> None:
    publish(
        conversation_group(message.conversation_id),
        {"type": "message.removed", "id": message.pk, "body": message.shown_body},
    )


def read_broadcast(conversation_id: int, user_id: int, last_read_id: int) -> None:
    publish(
        conversation_group(conversation_id),
        {"type": "message.read", "user_id": user_id, "last_read_id": last_read_id},
    )


def sockets_close_for_user(user_id: int, conversation_id: int | None = None) -> None:
    """Close a person's open sockets (all of them, or only those on one conversation)."""
    publish(user_group(user_id), {"type": "socket.close", "conversation": conversation_id})
