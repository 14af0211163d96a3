"""The ASGI lifespan protocol: a worker warms up (match index built, scoring kernels loaded) before
the server sends it any request, and closes its database connections when it stops.

uvicorn waits for ``lifespan.startup.complete`` before it accepts connections, so no request waits
on a cold worker. Warm-up runs in a worker thread (it reads the database)."""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


def _warm() -> None:
    from matching import live

    try:
        index = live.warm_up()
        logger.info("worker ready: match index holds %s listings", len(index))
    finally:
        close_old_connections()


class Lifespan:
    async def __call__(self, scope, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await sync_to_async(_warm, thread_sensitive=False)()
                except Exception as error:  # the worker must not start half-ready
                    logger.exception("worker warm-up failed")
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await sync_to_async(connections.close_all, thread_sensitive=False)()
                await send({"type": "lifespan.shutdown.complete"})
                return
