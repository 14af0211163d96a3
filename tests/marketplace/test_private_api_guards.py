"""Guards on the undocumented Django, asgiref and channels internals that the project's kept infrastructure
relies on (docs/decisions/asgi-request-handler.md, channel-layer-and-consumer.md). Each test names the
internal it checks, so an upgrade that removes or changes one fails here with that name, not somewhere
deep in a socket or a slow page. Each internal is checked for its shape and for the behaviour relied on.
One behaviour check has no private API behind it: that the handler's threads keep their database
connections, which is what removing the SQLite pool relied on (docs/decisions/sqlite-connection-pool.md).
"""

import asyncio
import inspect
import threading

import pytest
from asgiref.sync import AsyncToSync, ThreadSensitiveContext, sync_to_async
from channels.consumer import AsyncConsumer, get_handler_name
from channels.layers import InMemoryChannelLayer as StockInMemoryChannelLayer
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.urls import path

from marketplace.handlers import SyncChainASGIHandler
from messaging import layers
from messaging.consumers import ConversationConsumer


def params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# --- Django's handler (marketplace/handlers.py) -----------------------------------------------------------


def test_django_basehandler_load_middleware_still_takes_is_async_and_sets_middleware_chain():
    assert params(BaseHandler.load_middleware) == ["self", "is_async"], (
        "django.core.handlers.base.BaseHandler.load_middleware(is_async) changed: marketplace/handlers.py overrides it"
    )
    handler = BaseHandler()
    handler.load_middleware(is_async=False)
    assert callable(handler._middleware_chain), (
        "BaseHandler.load_middleware no longer sets the private _middleware_chain that "
        "marketplace/handlers.SyncChainASGIHandler replaces"
    )
    assert "self._middleware_chain(request)" in inspect.getsource(BaseHandler.get_response), (
        "BaseHandler.get_response no longer calls self._middleware_chain: the handler's replacement would be ignored"
    )
    assert "await self._middleware_chain(request)" in inspect.getsource(BaseHandler.get_response_async), (
        "BaseHandler.get_response_async no longer awaits self._middleware_chain: SyncChainASGIHandler relies on it"
    )


def test_django_asgihandler_handle_keeps_its_signature():
    assert params(ASGIHandler.handle) == ["self", "scope", "receive", "send"], (
        "django.core.handlers.asgi.ASGIHandler.handle(scope, receive, send) changed: SyncChainASGIHandler calls it"
    )


def test_asgiref_asynctosync_still_exposes_awaitable():
    async def top(request):
        return request

    wrapped = AsyncToSync(top)
    assert wrapped.awaitable is top, (
        "asgiref.sync.AsyncToSync.awaitable is gone: marketplace/handlers.py unwraps an async middleware chain with it"
    )


def test_asgiref_threadsensitivecontext_runs_sync_code_on_the_given_executor():
    from concurrent.futures import ThreadPoolExecutor

    assert "executor" in params(ThreadSensitiveContext.__init__), (
        "asgiref.sync.ThreadSensitiveContext(executor=...) is gone: SyncChainASGIHandler pins each request to a thread"
    )
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guard")
    try:
        pinned = executor.submit(threading.get_ident).result()

        async def run():
            async with ThreadSensitiveContext(executor=executor):
                return await sync_to_async(threading.get_ident, thread_sensitive=True)()

        assert asyncio.run(run()) == pinned, "ThreadSensitiveContext(executor=...) no longer runs sync code there"
    finally:
        executor.shutdown()


@pytest.mark.django_db(transaction=True)
def test_the_project_handler_serves_a_page_from_its_own_threads():
    from channels.testing import HttpCommunicator

    handler = SyncChainASGIHandler(threads=1)
    names = []

    async def run():
        response = await HttpCommunicator(
            handler, "GET", "/accessibility/", headers=[(b"host", b"testserver")]
        ).get_response(timeout=15)
        names.append(handler.executors[0].submit(lambda: threading.current_thread().name).result())
        return response

    try:
        response = asyncio.run(run())
    finally:
        for executor in handler.executors:
            executor.shutdown()
    assert response["status"] == 200
    assert names[0].startswith("request"), "the handler's request thread was not used"


def connection_view(request):
    from django.db import connection
    from django.http import HttpResponse

    connection.ensure_connection()
    return HttpResponse(str(id(connection.connection)))


urlpatterns = [path("connection/", connection_view)]


@pytest.mark.django_db(transaction=True)
def test_a_workers_requests_keep_using_its_threads_database_connections(settings):
    """What removing the SQLite pool relied on (docs/decisions/sqlite-connection-pool.md): under the
    project's handler Django's persistent connections are reused, one per request thread; under Django's
    stock handler every request has a new thread and so a new connection."""
    from channels.testing import HttpCommunicator

    settings.ROOT_URLCONF = __name__
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] or "sqlite" not in settings.DATABASES["default"]["ENGINE"]
    handler = SyncChainASGIHandler(threads=2)

    async def run(app):
        async def one():
            response = await HttpCommunicator(
                app, "GET", "/connection/", headers=[(b"host", b"testserver")]
            ).get_response(timeout=15)
            assert response["status"] == 200
            return response["body"]

        seen = []
        for _ in range(10):
            seen += await asyncio.gather(*(one() for _ in range(4)))
        return seen

    try:
        seen = asyncio.run(run(handler))
    finally:
        for executor in handler.executors:
            executor.shutdown()
    assert len(seen) == 40
    assert len(set(seen)) <= 2, f"40 requests on two threads used {len(set(seen))} database connections"


# --- channels (messaging/layers.py, messaging/consumers.py) -----------------------------------------------


def test_channels_inmemory_layer_still_has_clean_expired_and_groups():
    assert callable(getattr(StockInMemoryChannelLayer, "_clean_expired", None)), (
        "channels.layers.InMemoryChannelLayer._clean_expired is gone: messaging.layers.InMemoryChannelLayer "
        "rate-limits it, so the override would silently do nothing"
    )
    layer = StockInMemoryChannelLayer()
    assert isinstance(layer.groups, dict), (
        "channels.layers.InMemoryChannelLayer.groups is no longer a dict: messaging.layers.group_send reads it"
    )

    async def run():
        await layer.group_add("guard", "guard.channel")
        return layer.groups

    groups = asyncio.run(run())
    assert "guard.channel" in groups.get("guard", {}), (
        "channels' InMemoryChannelLayer.groups no longer maps a group to its channels: messaging.layers reads it"
    )


def test_the_project_layer_delivers_a_group_message_and_still_expires_old_ones(monkeypatch):
    layer = layers.InMemoryChannelLayer(expiry=60)

    async def run():
        channel = await layer.new_channel()
        await layer.group_add("guard", channel)
        await layer.group_send("guard", {"type": "guard.hello"})
        delivered = await layer.receive(channel)
        # A message older than its expiry is swept once the sweep interval has passed.
        await layer.send(channel, {"type": "guard.old"})
        monkeypatch.setattr(layers.time, "monotonic", lambda: layer._last_sweep + layers.SWEEP_INTERVAL_SECONDS)
        real_time = __import__("time").time
        monkeypatch.setattr("channels.layers.time.time", lambda: real_time() + 120)
        layer._clean_expired()
        return delivered, layer.channels.get(channel)

    delivered, left = asyncio.run(run())
    assert delivered == {"type": "guard.hello"}
    assert not left, "channels' _clean_expired no longer drops expired messages when the project's layer calls it"


def test_channels_dispatch_and_get_handler_name_are_what_the_consumer_override_replaces():
    assert params(AsyncConsumer.dispatch) == ["self", "message"], (
        "channels.consumer.AsyncConsumer.dispatch(message) changed: messaging.consumers.ConversationConsumer "
        "overrides it"
    )
    assert get_handler_name({"type": "message.new"}) == "message_new", (
        "channels.consumer.get_handler_name changed: ConversationConsumer.dispatch finds handlers with it"
    )
    assert "aclose_old_connections" in inspect.getsource(AsyncConsumer.dispatch), (
        "channels' AsyncConsumer.dispatch no longer closes old connections per event: the override in "
        "messaging/consumers.py may no longer be needed (measure with bench/bench_infrastructure.py)"
    )
    assert ConversationConsumer.dispatch is not AsyncConsumer.dispatch
