"""Settings for bench/bench_infrastructure.py: the project's settings with one piece swapped for stock.

BENCH_THROTTLE=drf     DRF's AnonRateThrottle and UserRateThrottle (the first rate of each scope) instead of
                       marketplace/throttling.py's classes on the API.
BENCH_LAYER=stock      channels' InMemoryChannelLayer instead of messaging.layers' (one process, no Redis).
Anything unset keeps the project's setting. The ASGI side (handler, consumer) is in bench/infra_asgi.py.
"""

import os

from marketplace.settings import *  # noqa: F403
from marketplace.settings import REDIS_URL, REST_FRAMEWORK, THROTTLE_RATES

if os.environ.get("BENCH_THROTTLE") == "drf":
    REST_FRAMEWORK = {
        **REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": [
            "rest_framework.throttling.AnonRateThrottle",
            "rest_framework.throttling.UserRateThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "anon": THROTTLE_RATES["anon"].split(",")[0],
            "user": THROTTLE_RATES["user"].split(",")[0],
        },
    }

if os.environ.get("BENCH_LAYER") == "stock" and not REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
