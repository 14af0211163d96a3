"""WebSocket routes, one list per app that has any."""

from importlib import import_module

from channels.generic.websocket import WebsocketConsumer
from django.urls import re_path


class NoSuchSocket(WebsocketConsumer):
    """Any path no app routes (a mistyped or out-of-range id): refuse the handshake (403), not a server error."""

    def connect(self):
        self.close()


websocket_urlpatterns = []
for _app in ("messaging",):
    try:
        websocket_urlpatterns += import_module(f"{_app}.routing").websocket_urlpatterns
    except ModuleNotFoundError as error:
        if error.name != f"{_app}.routing":
            raise
websocket_urlpatterns.append(re_path(r"", NoSuchSocket.as_asgi()))
