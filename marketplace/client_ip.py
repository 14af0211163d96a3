"""The client's IP address, worked out in one place for every limiter.

DRF's throttles (marketplace/throttling.py), the limit on the HTML search pages, the sign-in backoff and
allauth's own rate limits (through ``AccountAdapter.get_client_ip``) all call :func:`client_ip`, so they
agree on who is asking.

``X-Forwarded-For`` is a list anyone can start: each proxy appends the address it saw the connection come
from, so only the entries added by proxies we run can be believed. ``settings.TRUSTED_PROXY_COUNT``
(``DJANGO_TRUSTED_PROXY_COUNT``) says how many that is:

- 0 (the default): the header is ignored and the address is ``REMOTE_ADDR`` (the TCP peer), unless the
  server itself copied ``REMOTE_ADDR`` from the header (uvicorn does for connections from 127.0.0.1
  unless run with ``--no-proxy-headers``): then the real peer is unknown and the address is
  :data:`REWRITTEN`, one allowance shared by every such request;
- N: the Nth address from the right of the header, the one our outermost proxy saw. If the header has
  fewer than N addresses, the leftmost (a request that came in past the outer proxies was still
  written by one of ours). Without the header, ``REMOTE_ADDR``.

The address is never taken from the left of the header, which the client writes.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Per-IP limits count an IPv6 /64 as one address: one home or phone gets a whole /64 and can pick any of it.
IPV6_PREFIX = 64


def _parse(text: str) -> str | None:
    """One address as a proxy may write it ("203.0.113.5", "203.0.113.5:443", "[2001:db8::1]:443"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent ``request``, as far as the trusted proxies can vouch for it."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            address = _parse(forwarded[-min(count, len(forwarded))])
            if address:
                return address
            # Our own proxy wrote something that is not an address: fall back to the proxy itself.
    remote = request.META.get("REMOTE_ADDR", "")
    if count == 0 and remote and _server_took_it_from_the_header(remote, request):
        return REWRITTEN
    return _parse(remote) or remote or "unknown"


# What a request's address is when the server itself took REMOTE_ADDR from X-Forwarded-For (below): the real
# peer is unknown, so all such requests share one allowance, as they would share a proxy's.
REWRITTEN = "0.0.0.0"


def _server_took_it_from_the_header(remote: str, request: HttpRequest) -> bool:
    """uvicorn, unless run with --no-proxy-headers, replaces the connection's address with an
    X-Forwarded-For entry whenever the connection comes from 127.0.0.1 (its FORWARDED_ALLOW_IPS), so a
    client on the same machine could pick its address. With no trusted proxies, an address that appears in
    the header is taken as written by the client."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded:
        return False
    remote = _parse(remote) or remote
    return any((_parse(part) or part.strip()) == remote for part in forwarded.split(","))


def limit_key(address: str) -> str:
    """The part of an address a per-IP limit counts: the address itself, or its /64 for IPv6."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and not parsed.ipv4_mapped:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address) + f"/{IPV6_PREFIX}"
    if parsed.version == 6:
        return str(parsed.ipv4_mapped)
    return str(parsed)
