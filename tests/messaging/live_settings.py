"""Settings for the bench's servers: the base settings with messaging's swept in-memory layer."""

from marketplace.settings import *  # noqa: F403
from marketplace.settings import REDIS_URL

if not REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "messaging.layers.InMemoryChannelLayer"}}
