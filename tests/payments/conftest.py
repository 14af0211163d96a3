"""Fixtures for payments: the real stripe SDK with a recording fake HTTP client, and signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from django.utils import timezone

from payments import services, stripe_client
from payments.models import StripeAccount
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile

WEBHOOK_SECRET = "whsec_test_secret_for_payments"


class FakeStripeHTTP(stripe.HTTPClient):
    """Records each request the SDK makes and answers with canned JSON. No network."""

    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self.responses: dict[tuple[str, str], dict] = {}
        self._lock = threading.Lock()
        self._counter = 0

    def respond(self, method: str, path: str, body: dict) -> None:
        self.responses[(method.upper(), path)] = body

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        data = dict(parse_qsl(post_data.decode() if isinstance(post_data, bytes) else post_data or ""))
        with self._lock:
            self._counter += 1
            self.requests.append({"method": method.upper(), "path": parts.path, "headers": dict(headers), "data": data})
            body = self.responses.get((method.upper(), parts.path)) or self._default(parts.path)
        return json.dumps(body), 200, {"request-id": f"req_{self._counter}"}

    def _default(self, path: str) -> dict:
        if path == "/v1/accounts":
            return {"id": "acct_test123", "object": "account", "charges_enabled": False, "details_submitted": False}
        if path == "/v1/account_links":
            return {"object": "account_link", "url": "https://connect.stripe.test/setup/e/acct_test123"}
        if path == "/v1/checkout/sessions":
            return {
                "id": f"cs_test_{self._counter}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{self._counter}",
            }
        if path == "/v1/refunds":
            return {"id": "re_test_1", "object": "refund", "status": "succeeded"}
        return {"object": "unknown"}

    def close(self):
        pass

    def paths(self, method: str = "POST") -> list[str]:
        return [r["path"] for r in self.requests if r["method"] == method]


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PLATFORM_FEE_PERCENT = "5"
    return settings


@pytest.fixture
def fake_stripe(stripe_keys):
    fake = FakeStripeHTTP()
    stripe_client.set_http_client(fake)
    yield fake
    stripe_client.set_http_client(None)


@pytest.fixture
def seeker(db):
    return UserFactory()


@pytest.fixture
def supporter(db):
    return UserFactory()


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def pa_profile(supporter):
    return make_profile(supporter, role="pa", hourly_rate=Decimal("15.00"), display_name="Sam PA")


@pytest.fixture
def connected(seeker, pa_profile, supporter):
    profile_services.connection_create(a=seeker, b=supporter)
    return pa_profile


@pytest.fixture
def card_ready(supporter):
    return StripeAccount.objects.create(user=supporter, account_id="acct_ready", charges_enabled=True)


def soon():
    return timezone.localdate() + timedelta(days=3)


@pytest.fixture
def booking(seeker, connected):
    return services.booking_create(
        actor=seeker, seeker=seeker, profile=connected, hours=Decimal("3"), start_date=soon(), start_time=clock(10, 0)
    )


@pytest.fixture
def accepted_booking(booking, supporter):
    return services.booking_accept(booking=booking, actor=supporter)


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The real Stripe-Signature scheme: v1 = HMAC-SHA256(secret, "{t}.{body}")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload.decode()}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event(event_id: str, event_type: str, obj: dict) -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}).encode()


@pytest.fixture
def deliver(client):
    def _deliver(body: bytes, signature: str | None = None):
        return client.post(
            "/stripe/webhook/",
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(body),
        )

    return _deliver
