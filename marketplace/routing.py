"""WebSocket routes, one list per app that has any."""

from importlib import import_module

websocket_urlpatterns = []
for _app in ("messaging",):
    try:
        websocket_urlpatterns += import_module(f"{_app}.routing").websocket_urlpatterns
    except ModuleNotFoundError as error:
        if error.name != f"{_app}.routing":
            raise
