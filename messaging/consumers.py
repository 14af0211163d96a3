"""The live conversation socket. Thin: checks membership, joins groups, forwards events, calls services.

When the channel layer (Redis) is down, the socket stays open and catches up from the database every
POLL_SECONDS, and once more when the layer is back (see messaging/layers.py for how that is noticed);
the page says it is reconnecting meanwhile. A frame that is not a JSON request gets a clean close.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inclusion.languages import has_catalogue, known, saved_language

from . import layers, realtime, safety, selectors, services
from .models import Conversation, Message

logger = logging.getLogger(__name__)

CLOSE_NOT_ALLOWED = 4403
CLOSE_SIGNED_OUT = 4401
CLOSE_BAD_REQUEST = 4400
# The standard "service restart" code: live updates are back, so connect again now.
CLOSE_RECONNECT = 1012
# A channel-layer alias with no layer: a socket that could not join the layer runs without one.
NO_LAYER = "messaging.no-layer"
# While the layer is down, each open socket catches up from the database this often.
POLL_SECONDS = 2.0
BATCH = 500
RECONNECTING_TEXT = gettext_lazy("Live updates paused: reconnecting. New messages still appear here every few seconds.")
LIVE_TEXT = gettext_lazy("Live updates are back.")
REQUEST_TYPES = {"send", "resync", "read", "ping"}


def _allowed(user_id: int, conversation_id: int) -> bool:
    if not selectors.is_active_member(user_id, conversation_id):
        return False
    others = Conversation.objects.get(pk=conversation_id).memberships.exclude(user_id=user_id)
    return not any(services.blocked_between(user_id, m.user_id) for m in others.filter(left_at__isnull=True))


@database_sync_to_async
def _may_join(user_id: int, conversation_id: int) -> int | None:
    """The conversation's latest message id if this person may follow it live, else None."""
    if not _allowed(user_id, conversation_id):
        return None
    return (
        Message.objects.filter(conversation_id=conversation_id).order_by("-id").values_list("id", flat=True).first()
        or 0
    )


@database_sync_to_async
def _send(user, conversation_id: int, body: str) -> dict:
    # Membership is checked inside the service; an unsaved stand-in saves a query per message.
    message = services.message_send(conversation=Conversation(pk=conversation_id), sender=user, body=body)
    return {"id": message.pk, "warning": str(safety.SENDER_WARNING) if message.safety_flags else ""}


def _payloads_after(user_id: int, conversation_id: int, after: int) -> list[dict]:
    rows = selectors.messages_after(conversation_id=conversation_id, viewer_id=user_id, after=after)
    return [realtime.message_payload(m) for m in rows]


_after = database_sync_to_async(_payloads_after)


@database_sync_to_async
def _catch_up_rows(user_id: int, conversation_id: int, after: int) -> list[dict] | None:
    """Messages after ``after``, or None if this person may no longer follow the conversation.

    Checked on every catch-up: while the layer is down, a leave or block cannot close the socket through it.
    """
    return _payloads_after(user_id, conversation_id, after) if _allowed(user_id, conversation_id) else None


@database_sync_to_async
def _mark_read(user, conversation_id: int, up_to: int) -> None:
    services.conversation_mark_read(conversation=Conversation.objects.get(pk=conversation_id), user=user, up_to=up_to)


@database_sync_to_async
def _language_for(user, cookie: str | None) -> str:
    """The language the socket speaks: the person's saved choice, else the page's language cookie (as the
    pages choose: inclusion.middleware), else the site's."""
    for code in (saved_language(user), cookie):
        if code and known(code) and has_catalogue(code):
            return code
    return settings.LANGUAGE_CODE


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot send messages here.")


def _shape_problem(content) -> str:
    """What is wrong with a request's shape, in words for the close reason ('' if nothing)."""
    if not isinstance(content, dict) or content.get("type") not in REQUEST_TYPES:
        return "Unknown request: send a JSON object whose type is send, resync, read or ping."
    kind = content["type"]
    if kind == "send" and not isinstance(content.get("body"), str):
        return "A send request needs a body that is text."
    if "ref" in content and not (content["ref"] is None or isinstance(content["ref"], (str, int))):
        return "A request's ref must be text or a number."
    number = {"resync": "after", "read": "up_to"}.get(kind)
    if number and number in content and (type(content[number]) is not int or content[number] < 0):
        return f"A {kind} request's {number} must be a whole number of 0 or more."
    return ""


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    live = False  # joined the layer's groups, so events arrive without polling
    watch: layers.LayerWatch | None = None
    follower: asyncio.Task | None = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except layers.layer_errors():
            if getattr(self, "started", False):
                raise
            # The layer failed before this socket began (Redis down as it connected): run without it.
            # Nothing was read from the client yet, so starting again is clean.
            logger.warning(
                "Channel layer unavailable as a socket opened; it follows the database until the layer is back."
            )
            self.channel_layer_alias = NO_LAYER
            await super().__call__(scope, receive, send)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.close(code=CLOSE_BAD_REQUEST, reason="This socket takes text frames of JSON, not binary.")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.close(code=CLOSE_BAD_REQUEST, reason="That frame was not JSON.")
            return
        problem = _shape_problem(content)
        if problem:
            await self.close(code=CLOSE_BAD_REQUEST, reason=problem)
            return
        await self.receive_json(content)

    async def dispatch(self, message):
        self.started = True
        # channels' dispatch first closes stale database connections with a round trip to the single
        # database thread, for every event: each delivery then queued behind everyone's sends. Every
        # database call here goes through database_sync_to_async, which does that cleanup itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        # Errors, notes and status lines in the person's language (connect() works it out).
        with translation.override(getattr(self, "language", None) or settings.LANGUAGE_CODE):
            await handler(message)

    async def connect(self):
        self.user = self.scope.get("user")
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        latest = await _may_join(self.user.pk, self.conversation_id)
        if latest is None:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.language = await _language_for(self.user, self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(self.language)  # also for the layer follower started below (it copies this context)
        self.delivered: set[int] = set()
        # Up to here the client resyncs by its last-seen id; after it, this socket delivers.
        self.high_water = latest
        self.groups_joined = []
        if self.channel_layer is not None:
            try:
                for group in [realtime.conversation_group(self.conversation_id), realtime.user_group(self.user.pk)]:
                    await self.channel_layer.group_add(group, self.channel_name)
                    self.groups_joined.append(group)
                self.live = True
            except layers.layer_errors():
                logger.warning(
                    "Channel layer unavailable as a socket opened; it follows the database until the layer is back."
                )
        await self.accept()
        self.watch = layers.watch_for(get_channel_layer())
        if self.watch is not None:
            self.watch.register()
            self.follower = asyncio.create_task(self._follow_layer())

    async def disconnect(self, code):
        if self.follower is not None:
            self.follower.cancel()
            await asyncio.gather(self.follower, return_exceptions=True)
        if self.watch is not None:
            await self.watch.unregister()
            self.watch = None
        for group in getattr(self, "groups_joined", []):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except layers.layer_errors():
                pass  # the layer is down; its subscriptions went with it

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "send":
            await self._handle_send(content)
        elif kind == "resync":
            await self._handle_resync(content)
        elif kind == "read":
            await self._handle_read(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    async def _handle_send(self, content):
        try:
            result = await _send(self.user, self.conversation_id, str(content.get("body", "")))
        except services.MessageRateLimited as error:
            await self.send_json(
                {"type": "error", "code": 429, "message": _error_text(error), "ref": content.get("ref")}
            )
        except (ValidationError, PermissionDenied) as error:
            await self.send_json({"type": "error", "message": _error_text(error), "ref": content.get("ref")})
        else:
            await self.send_json({"type": "sent", "ref": content.get("ref"), **result})

    async def _handle_resync(self, content):
        after = _as_int(content.get("after"))
        while True:
            batch = await _after(self.user.pk, self.conversation_id, after)
            for payload in batch:
                await self._deliver(payload)
            if len(batch) < BATCH:
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
            message["note"] = safety.note_for_flags(message["flags"])
        return event

    # Following the layer ---------------------------------------------------------------------

    async def _follow_layer(self):
        """While the layer is down, catch up from the database; when it is back, once more, then go live."""
        watch = self.watch
        try:
            while True:
                if self.live:
                    await watch.wait_down()
                outage_from, since = self.high_water, time.monotonic()
                await self.send_json({"type": "status", "state": "reconnecting", "message": str(RECONNECTING_TEXT)})
                while True:
                    if not await self._catch_up(self.high_water):
                        return
                    if watch.up and watch.last_ok > since:
                        break
                    if watch.up:
                        # Up as far as the watch last saw, but not yet since this socket found the layer
                        # down: wait for the next ping before believing it.
                        await asyncio.sleep(layers.PING_EVERY_SECONDS)
                    else:
                        await watch.wait_up(POLL_SECONDS)
                # Anything published while the layer was down is lost: take it from the database.
                if not await self._catch_up(outage_from):
                    return
                if not self.live:
                    await self.close(code=CLOSE_RECONNECT, reason=_("Live updates are back: connect again."))
                    return
                await self.send_json({"type": "status", "state": "live", "message": str(LIVE_TEXT)})
        except layers.layer_errors():
            logger.warning("A socket could not catch up from the database.", exc_info=True)

    async def _catch_up(self, after: int) -> bool:
        """Deliver what the database holds after ``after``; False (and closed) if this person may no longer follow."""
        while True:
            batch = await _catch_up_rows(self.user.pk, self.conversation_id, after)
            if batch is None:
                await self.close(code=CLOSE_NOT_ALLOWED)
                return False
            for payload in batch:
                await self._deliver(payload)
            if len(batch) < BATCH:
                return True
            after = batch[-1]["id"]

    # Channel-layer events ------------------------------------------------------------------

    async def _deliver(self, payload: dict) -> None:
        # A message can reach us twice (a resync racing a live event): send each id once.
        if payload["id"] in self.delivered:
            return
        self.delivered.add(payload["id"])
        self.high_water = max(self.high_water, payload["id"])
        await self.send_json(self._decorate({"type": "message", "message": dict(payload)}))

    async def message_new(self, event):
        if self.user.pk in event.get("to", (self.user.pk,)):  # only to members (not someone who has left)
            await self._deliver(event["message"])

    async def message_removed(self, event):
        await self.send_json({"type": "removed", "id": event["id"], "body": event["body"]})

    async def message_read(self, event):
        if event["user_id"] != self.user.pk:
            await self.send_json({"type": "read", "user_id": event["user_id"], "last_read_id": event["last_read_id"]})

    async def socket_close(self, event):
        if event.get("conversation") in (None, self.conversation_id):
            await self.close(code=CLOSE_NOT_ALLOWED)


def _as_int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
