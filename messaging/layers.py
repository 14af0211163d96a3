"""The in-memory channel layer with its expiry sweep rate-limited.

channels' InMemoryChannelLayer sweeps every channel and every group membership on each send and
receive: with 1,000 open sockets that sweep costs more than delivering the message. Messages
expire after a minute and group memberships after a day, so sweeping at most once a second
changes nothing a person can notice. group_send also puts the message on each member's queue
directly instead of through one task per member. Use it in settings as
``{"BACKEND": "messaging.layers.InMemoryChannelLayer"}`` (one process; more need Redis).
"""

from __future__ import annotations

import asyncio
import logging
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as _InMemoryChannelLayer

logger = logging.getLogger(__name__)
SWEEP_INTERVAL_SECONDS = 1.0


class InMemoryChannelLayer(_InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._last_sweep >= SWEEP_INTERVAL_SECONDS:
            self._last_sweep = now
            super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        # send() never waits (it puts without blocking), so a task per member only added overhead.
        for channel in list(self.groups.get(group, {})):
            try:  # noqa: SIM105 - cheaper than contextlib.suppress in this per-member loop
                await self.send(channel, message)
            except ChannelFull:
                pass  # as channels does: a full queue drops this one message (clients resync)


# Watching a shared layer ------------------------------------------------------------------------
#
# With Redis pub/sub, an outage is silent: sends fail in whoever publishes, while open sockets keep
# waiting for events that will never come (redis-py re-subscribes when Redis returns, but what was
# published meanwhile is gone). One watch per worker process and event loop pings through the layer
# every PING_EVERY_SECONDS on a channel of its own, which shares the sockets' connection to Redis;
# open sockets follow it (messaging/consumers.py): while it is down they catch up from the database,
# and when it is back they catch up once more and go live again.

PING_EVERY_SECONDS = 1.0
PING_TIMEOUT_SECONDS = 1.0
# Pings lost in a row before the layer counts as down (one slow moment is not an outage).
DOWN_AFTER_LOST = 2
# Pings the layer took but never delivered, in a row, before the watch starts a fresh channel.
RENEW_CHANNEL_AFTER = 5


def layer_errors() -> tuple[type[BaseException], ...]:
    """What a shared layer raises when its server cannot be reached."""
    errors: list[type[BaseException]] = [OSError, TimeoutError, asyncio.TimeoutError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(errors)


def needs_watch(layer) -> bool:
    """An in-process layer cannot fail on its own; a shared one (Redis) can."""
    return layer is not None and not isinstance(layer, _InMemoryChannelLayer)


class LayerWatch:
    """Whether the channel layer delivers, as far as this process can tell. Sockets register while open."""

    def __init__(self, layer):
        self.layer = layer
        self.up = True
        self.last_ok = 0.0  # time.monotonic() of the last ping that came back
        self._up = asyncio.Event()
        self._up.set()
        self._down = asyncio.Event()
        self._users = 0
        self._task: asyncio.Task | None = None
        self._pong: tuple[int, asyncio.Future] | None = None

    async def wait_down(self) -> None:
        await self._down.wait()

    async def wait_up(self, timeout: float) -> bool:
        """True once the layer delivers again; False after ``timeout`` seconds without."""
        try:
            async with asyncio.timeout(timeout):
                await self._up.wait()
            return True
        except TimeoutError:
            return False

    def register(self) -> None:
        self._users += 1
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def unregister(self) -> None:
        self._users -= 1
        if self._users <= 0 and self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            if _watches.get(asyncio.get_running_loop()) is self:
                del _watches[asyncio.get_running_loop()]

    def _set(self, ok: bool) -> None:
        if ok:
            self.last_ok = time.monotonic()
        if ok == self.up:
            return
        self.up = ok
        if ok:
            logger.warning("Channel layer delivering again; open conversations catch up from the database.")
            self._down.clear()
            self._up.set()
        else:
            logger.warning("Channel layer not delivering; open conversations poll the database until it is back.")
            self._up.clear()
            self._down.set()

    async def _run(self) -> None:
        channel, receiver, lost, failed, seq = None, None, 0, 0, 0
        errors = layer_errors()
        try:
            while True:
                seq += 1
                sent = ok = False
                try:
                    async with asyncio.timeout(PING_TIMEOUT_SECONDS):
                        if channel is None:
                            channel = await self.layer.new_channel("layer-watch.")
                            receiver = asyncio.create_task(self._receive(channel))
                        pong = asyncio.get_running_loop().create_future()
                        self._pong = (seq, pong)
                        await self.layer.send(channel, {"type": "layer.ping", "seq": seq})
                        sent = True
                        await pong
                        ok = True
                except (*errors, ChannelFull):
                    pass
                lost = 0 if ok or not sent else lost + 1
                if lost >= RENEW_CHANNEL_AFTER and receiver is not None:
                    # The server takes pings but this channel hears nothing: start a fresh one.
                    receiver.cancel()
                    await asyncio.gather(receiver, return_exceptions=True)
                    channel, receiver, lost = None, None, 0
                failed = 0 if ok else failed + 1
                if ok or failed >= DOWN_AFTER_LOST:
                    self._set(ok)
                await asyncio.sleep(PING_EVERY_SECONDS)
        finally:
            if receiver is not None:
                receiver.cancel()
                await asyncio.gather(receiver, return_exceptions=True)

    async def _receive(self, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            if self._pong is not None and message.get("seq") == self._pong[0] and not self._pong[1].done():
                self._pong[1].set_result(None)


_watches: dict[asyncio.AbstractEventLoop, LayerWatch] = {}


def watch_for(layer) -> LayerWatch | None:
    """This event loop's watch on ``layer`` (the default layer), or None for an in-process layer."""
    if not needs_watch(layer):
        return None
    loop = asyncio.get_running_loop()
    watch = _watches.get(loop)
    if watch is None or watch.layer is not layer:
        watch = _watches[loop] = LayerWatch(layer)
    return watch
