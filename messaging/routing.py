from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from .consumers import ConversationConsumer

websocket_urlpatterns = [
    path("ws/conversations/<id:conversation_id>/", ConversationConsumer.as_asgi()),
]
