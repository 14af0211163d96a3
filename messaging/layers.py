"""The in-memory channel layer with its expiry sweep rate-limited.

channels' InMemoryChannelLayer sweeps every channel and every group membership on each send and
receive: with 1,000 open sockets that sweep costs more than delivering the message. Messages
expire after a minute and group memberships after a day, so sweeping at most once a second
changes nothing a person can notice. group_send also puts the message on each member's queue
directly instead of through one task per member. Use it in settings as
``{"BACKEND": "messaging.layers.InMemoryChannelLayer"}`` (one process; more need Redis).
"""

from __future__ import annotations

import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as _InMemoryChannelLayer

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
            try:
                await self.send(channel, message)
            except ChannelFull:
                pass  # as channels does: a full queue drops this one message (clients resync)
