"""The live conversation socket. Thin: checks membership, joins groups, forwards events, calls services."""

from __future__ import annotations

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError

from . import realtime, safety, selectors, services
from .models import Conversation

CLOSE_NOT_ALLOWED = 4403
CLOSE_SIGNED_OUT = 4401


@database_sync_to_async
def _may_join(user_id: int, conversation_id: int) -> bool:
    if not selectors.is_active_member(user_id, conversation_id):
        return False
    others = Conversation.objects.get(pk=conversation_id).memberships.exclude(user_id=user_id)
    return not any(services.blocked_between(user_id, m.user_id) for m in others.filter(left_at__isnull=True))


@database_sync_to_async
def _send(user, conversation_id: int, body: str) -> dict:
    # Membership is checked inside the service; an unsaved stand-in saves a query per message.
    message = services.message_send(conversation=Conversation(pk=conversation_id), sender=user, body=body)
    return {"id": message.pk, "warning": safety.SENDER_WARNING if message.safety_flags else ""}


@database_sync_to_async
def _after(conversation_id: int, after: int) -> list[dict]:
    return [realtime.message_payload(m) for m in selectors.messages_after(conversation_id=conversation_id, after=after)]


@database_sync_to_async
def _mark_read(user, conversation_id: int, up_to: int) -> None:
    services.conversation_mark_read(conversation=Conversation.objects.get(pk=conversation_id), user=user, up_to=up_to)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You cannot send messages here."


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        # channels' dispatch first closes stale database connections with a round trip to the single
        # database thread, for every event: each delivery then queued behind everyone's sends. Every
        # database call here goes through database_sync_to_async, which does that cleanup itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.user = self.scope.get("user")
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        if not await _may_join(self.user.pk, self.conversation_id):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.groups_joined = [realtime.conversation_group(self.conversation_id), realtime.user_group(self.user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.delivered: set[int] = set()
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "send":
            await self._handle_send(content)
        elif kind == "resync":
            await self._handle_resync(content)
        elif kind == "read":
            await self._handle_read(content)
        else:
            await self.send_json({"type": "error", "message": "Unknown request type."})

    async def _handle_send(self, content):
        try:
            result = await _send(self.user, self.conversation_id, str(content.get("body", "")))
        except services.MessageRateLimited as error:
            await self.send_json({"type": "error", "code": 429, "message": _error_text(error), "ref": content.get("ref")})
        except (ValidationError, PermissionDenied) as error:
            await self.send_json({"type": "error", "message": _error_text(error), "ref": content.get("ref")})
        else:
            await self.send_json({"type": "sent", "ref": content.get("ref"), **result})

    async def _handle_resync(self, content):
        after = _as_int(content.get("after"))
        while True:
            batch = await _after(self.conversation_id, after)
            for payload in batch:
                await self._deliver(payload)
            if len(batch) < 500:
                break
            after = batch[-1]["id"]
        await self.send_json({"type": "resynced", "last_id": batch[-1]["id"] if batch else after})

    async def _handle_read(self, content):
        await _mark_read(self.user, self.conversation_id, _as_int(content.get("up_to")))

    def _decorate(self, event: dict) -> dict:
        message = event["message"]
        mine = message["sender_id"] == self.user.pk
        message["mine"] = mine
        if message["flags"] and not mine:
            labels = [dict(safety_labels()).get(flag, flag) for flag in message["flags"]]
            message["note"] = safety.RECIPIENT_NOTE.format(reasons=" and ".join(labels))
        return event

    # Channel-layer events ------------------------------------------------------------------

    async def _deliver(self, payload: dict) -> None:
        # A message can reach us twice (a resync racing a live event): send each id once.
        if payload["id"] in self.delivered:
            return
        self.delivered.add(payload["id"])
        await self.send_json(self._decorate({"type": "message", "message": dict(payload)}))

    async def message_new(self, event):
        await self._deliver(event["message"])

    async def message_removed(self, event):
        await self.send_json({"type": "removed", "id": event["id"], "body": event["body"]})

    async def message_read(self, event):
        if event["user_id"] != self.user.pk:
            await self.send_json({"type": "read", "user_id": event["user_id"], "last_read_id": event["last_read_id"]})

    async def socket_close(self, event):
        if event.get("conversation") in (None, self.conversation_id):
            await self.close(code=CLOSE_NOT_ALLOWED)


def safety_labels():
    from .models import Message

    return Message.Flag.choices


def _as_int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
