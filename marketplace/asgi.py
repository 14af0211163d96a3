import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
# Set Django up before importing anything that touches models (as get_asgi_application does).
django.setup(set_prefix=False)

from marketplace.handlers import SyncChainASGIHandler  # noqa: E402

django_asgi_app = SyncChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from marketplace.lifespan import Lifespan  # noqa: E402
from marketplace.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "lifespan": Lifespan(),  # warm up before the first request (see marketplace/lifespan.py)
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
