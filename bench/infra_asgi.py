"""The ASGI application for bench/bench_infrastructure.py: marketplace/asgi.py with pieces swapped for stock.

BENCH_HANDLER=stock    Django's ASGIHandler (get_asgi_application) instead of marketplace.handlers'.
BENCH_DISPATCH=stock   the conversation socket with channels' own dispatch() (it closes old database
                       connections before every event) instead of messaging.consumers' override.
BENCH_MESSAGE_LIMIT=cache  the message limit counted as a list of times read and written through the cache
                       (two round trips, as DRF's throttles count) instead of one Redis pipeline.
Unset, this is the same application as marketplace.asgi.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.infra_settings")
django.setup(set_prefix=False)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.consumer import AsyncConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.urls import path  # noqa: E402

import marketplace.converters  # noqa: E402, F401  (registers <id:...>)
from marketplace.handlers import SyncChainASGIHandler  # noqa: E402
from marketplace.lifespan import Lifespan  # noqa: E402
from marketplace.routing import websocket_urlpatterns  # noqa: E402
from messaging.consumers import ConversationConsumer  # noqa: E402

if os.environ.get("BENCH_MESSAGE_LIMIT") == "cache":
    from messaging import services

    services._redis_client = lambda: None

http = ASGIHandler() if os.environ.get("BENCH_HANDLER") == "stock" else SyncChainASGIHandler()


class StockDispatchConsumer(ConversationConsumer):
    async def dispatch(self, message):
        self.started = True  # what the project's __call__ reads; the rest is channels' own dispatch
        await AsyncConsumer.dispatch(self, message)


if os.environ.get("BENCH_DISPATCH") == "stock":
    websocket_urlpatterns = [path("ws/conversations/<id:conversation_id>/", StockDispatchConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": http,
        "lifespan": Lifespan(),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
