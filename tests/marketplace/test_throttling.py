"""Request limits: the API's throttles, the HTML search pages' per-IP limit, and the one client-IP helper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import RequestFactory

from marketplace.client_ip import client_ip, limit_key
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
REGISTER_API = "/api/v1/register/"


@pytest.fixture
def rates(settings):
    """Small limits, so a test can reach them: rates(anon="3/min") and so on."""

    def set_rates(**changed):
        settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, **changed}

    return set_rates


# --- the client's address ------------------------------------------------------------------------------


def _request(remote="192.0.2.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, None, "192.0.2.1"),
        (0, "6.6.6.6", "192.0.2.1"),  # no trusted proxy: whatever the client wrote is ignored
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # our proxy appended the address it saw
        (1, None, "192.0.2.1"),  # straight to the app: the peer itself
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.5", "203.0.113.7"),  # two of ours: the second from the right
        (2, "203.0.113.7", "203.0.113.7"),  # came in past the outer proxy: the inner one wrote it
        (1, "6.6.6.6, not-an-address", "192.0.2.1"),  # nonsense from our proxy: fall back to the proxy
        (1, "6.6.6.6, 203.0.113.7:4711", "203.0.113.7"),
        (1, "6.6.6.6, [2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_with_no_trusted_proxy_an_address_the_server_copied_from_the_header_is_not_believed(settings):
    """uvicorn (without --no-proxy-headers) sets the connection's address from X-Forwarded-For when the
    connection comes from 127.0.0.1; with DJANGO_TRUSTED_PROXY_COUNT=0 that address is the client's choice."""
    settings.TRUSTED_PROXY_COUNT = 0
    rewritten = {client_ip(_request(remote=f"10.{i}.0.1", forwarded=f"10.{i}.0.1")) for i in range(5)}
    assert rewritten == {"0.0.0.0"}  # one shared allowance, whatever the header says
    assert client_ip(_request(remote="192.0.2.1", forwarded="6.6.6.6")) == "192.0.2.1"


def test_per_ip_limits_count_an_ipv6_slash_64_as_one_address():
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::9")
    assert limit_key("2001:db8:1:2::1") != limit_key("2001:db8:1:3::1")
    assert limit_key("203.0.113.7") == "203.0.113.7"


def test_one_setting_feeds_every_limiter():
    """DJANGO_TRUSTED_PROXY_COUNT reaches DRF and allauth, and all of them name the same client."""
    script = """
import json, django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from allauth.account.adapter import get_adapter
from rest_framework.throttling import BaseThrottle
from marketplace.client_ip import client_ip
request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.5")
print(json.dumps({
    "counts": [settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK["NUM_PROXIES"]],
    "ours": client_ip(request), "allauth": get_adapter().get_client_ip(request), "drf": BaseThrottle().get_ident(request),
}))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="marketplace.settings_test", DJANGO_TRUSTED_PROXY_COUNT="2")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"counts": [2, 2, 2], "ours": "203.0.113.7", "allauth": "203.0.113.7", "drf": "203.0.113.7"}


def test_a_mistyped_rate_stops_the_server_at_start_with_a_clear_message():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="marketplace.settings", DJANGO_THROTTLE_ANON="sixty a minute")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "DJANGO_THROTTLE_ANON: 'sixty a minute' is not a rate" in done.stderr
    assert "such as 60/min" in done.stderr


def test_the_default_anonymous_rate_has_a_burst_limit(settings):
    from marketplace.rates import Rate, parse_rates

    assert parse_rates(settings.THROTTLE_RATES["anon"]) == (Rate(60, 60), Rate(15, 10))


# --- the API -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_api_callers_are_limited_per_address_with_retry_after_and_a_plain_message(client, rates):
    rates(anon="3/min")
    with time_machine.travel("2026-11-24 10:00:10", tick=False) as clock:
        assert [client.get(REGISTER_API).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(REGISTER_API)
        assert refused.status_code == 429
        wait = int(refused["Retry-After"])
        assert 1 <= wait <= 2 * 60
        detail = refused.json()["detail"]
        assert "limit without signing in is 3 a minute" in detail
        assert f"Wait {wait} seconds and try again" in detail

        assert client.get(REGISTER_API, REMOTE_ADDR="198.51.100.4").status_code == 200  # someone else
        clock.shift(wait - 1)
        assert client.get(REGISTER_API).status_code == 429
        clock.shift(1)
        assert client.get(REGISTER_API).status_code == 200  # Retry-After was exact


@pytest.mark.django_db
def test_a_burst_limit_spreads_the_minutes_allowance(client, rates):
    """The default anonymous rate is "60/min,15/10s": a flood gets 15 at once, not the whole minute's 60."""
    rates(anon="6/min,3/10s")
    with time_machine.travel("2026-11-24 10:00:00", tick=False) as clock:
        assert [client.get(REGISTER_API).status_code for _ in range(4)] == [200, 200, 200, 429]
        refused = client.get(REGISTER_API)
        assert "the limit without signing in is 3 every 10 seconds" in refused.json()["detail"]
        clock.shift(int(refused["Retry-After"]))
        assert client.get(REGISTER_API).status_code == 200  # Retry-After was true
        clock.shift(20)  # the bursts are long past; the minute is not
        assert [client.get(REGISTER_API).status_code for _ in range(3)] == [200, 200, 429]  # 6 this minute
        refused = client.get(REGISTER_API)
        assert "the limit without signing in is 6 a minute" in refused.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("server_copies_the_header", [False, True], ids=["plain", "as-uvicorn-on-loopback"])
def test_a_rotating_x_forwarded_for_does_not_escape_the_api_limit(client, rates, settings, server_copies_the_header):
    settings.TRUSTED_PROXY_COUNT = 0
    rates(anon="5/min")
    statuses = []
    for i in range(30):
        address = f"10.0.{i}.1"
        peer = {"REMOTE_ADDR": address} if server_copies_the_header else {}
        statuses.append(client.get(REGISTER_API, HTTP_X_FORWARDED_FOR=address, **peer).status_code)
    assert statuses.count(200) == 5 and statuses.count(429) == 25


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(client, rates, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(anon="2/min")
    first = [client.get(REGISTER_API, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.1").status_code for _ in range(3)]
    second = [client.get(REGISTER_API, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.2").status_code for _ in range(2)]
    assert first == [200, 200, 429] and second == [200, 200]


@pytest.mark.django_db
def test_signed_in_callers_are_limited_per_person_wherever_they_connect_from(client, rates):
    rates(user="3/min", anon="100/min")
    person, other = UserFactory(), UserFactory()
    client.force_login(person)
    statuses = [client.get(REGISTER_API, REMOTE_ADDR=f"203.0.113.{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many requests from your account: the limit is 3 a minute" in client.get(REGISTER_API).json()["detail"]
    client.force_login(other)
    assert client.get(REGISTER_API).status_code == 200


@pytest.mark.django_db
def test_changes_have_a_stricter_limit_than_reading(client, rates):
    rates(write="2/min", user="100/min")
    client.force_login(UserFactory())
    writes = [client.post("/api/v1/me/profiles/", {}, content_type="application/json").status_code for _ in range(3)]
    assert writes[:2] == [400, 400] and writes[2] == 429  # counted even when the data was wrong
    refused = client.post("/api/v1/me/profiles/", {}, content_type="application/json")
    assert refused.has_header("Retry-After") and "Too many changes in a short time" in refused.json()["detail"]
    assert client.get(REGISTER_API).status_code == 200  # reading is not a change


@pytest.mark.django_db
def test_every_api_view_is_throttled(client, rates):
    rates(anon="1/min")
    client.get("/api/v1/register/")
    assert client.get("/api/schema/").status_code == 429
    assert client.get("/api/v1/register/some-ref/").status_code == 429


# --- the HTML search pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_search_pages_are_limited_per_address_with_a_friendly_page(client, rates):
    rates(search_pages="2/min")
    assert [client.get("/register/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/register/?postcode=BB1")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 2 * 60
    page = refused.content.decode()
    assert "<h1>Please slow down</h1>" in page and "then try again" in page
    assert client.get("/register/", REMOTE_ADDR="198.51.100.4").status_code == 200  # someone else
    assert client.get("/accessibility/").status_code == 200  # not a search page


@pytest.mark.django_db
def test_the_match_pages_share_the_search_limit(client, rates):
    rates(search_pages="2/min")
    client.force_login(UserFactory())
    assert client.get("/register/").status_code == 200
    assert client.get("/matches/").status_code == 200
    assert client.get("/matches/why-not/").status_code == 429
    assert client.get("/adverts/").status_code == 429
