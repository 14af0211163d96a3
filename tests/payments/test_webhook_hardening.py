"""Stripe webhooks: concurrent duplicates, future timestamps, events that keep failing (issue 12, items 8 and 9)."""

import io
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from payments.models import StripeAccount, StripeEvent
from tests.payments.conftest import event, sign

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_deliveries_of_one_event_all_get_200(supporter, stripe_keys):
    if connection.vendor == "sqlite":
        pytest.skip("Run with DATABASE_URL pointing at PostgreSQL to race real transactions.")
    StripeAccount.objects.create(user=supporter, account_id="acct_race")
    body = event("evt_ten", "account.updated", {"id": "acct_race", "object": "account", "charges_enabled": True})
    signature = sign(body)
    start = threading.Barrier(10)
    statuses, errors = [], []

    def deliver():
        try:
            start.wait(timeout=10)
            response = Client(raise_request_exception=False).post(
                "/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
            )
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    for _ in range(2):  # a race is not certain in any one round
        StripeEvent.objects.filter(event_id="evt_ten").delete()
        threads = [threading.Thread(target=deliver) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert statuses == [200] * len(statuses) and len(statuses) % 10 == 0
    assert StripeEvent.objects.get(event_id="evt_ten").status == StripeEvent.Status.PROCESSED


def test_a_signature_timestamped_in_the_future_beyond_the_tolerance_is_refused(client, supporter, stripe_keys):
    StripeAccount.objects.create(user=supporter, account_id="acct_future")
    body = event("evt_future", "account.updated", {"id": "acct_future", "object": "account", "charges_enabled": True})
    response = client.post(
        "/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, timestamp=int(time.time()) + 3600),
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.filter(event_id="evt_future").exists()
    # A small clock difference is still fine.
    response = client.post(
        "/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, timestamp=int(time.time()) + 30),
    )
    assert response.status_code == 200


def test_a_signed_body_nested_thousands_deep_is_a_400(client, stripe_keys):
    body = ("[" * 5000 + "]" * 5000).encode()
    response = client.post(
        "/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    assert response.status_code == 400


def test_an_event_missing_its_data_stops_after_the_limit_and_is_listed_for_a_person(client, stripe_keys, settings):
    from allauth.mfa.models import Authenticator
    from django.core.management import call_command

    from tests.factories import UserFactory

    settings.STRIPE_EVENT_MAX_ATTEMPTS = 3
    body = event("evt_nodata", "account.updated", {}).replace(b', "data": {"object": {}}', b"")
    assert b'"data"' not in body
    assert (
        client.post(
            "/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
        ).status_code
        == 500
    )  # Stripe will retry
    out = io.StringIO()
    for _ in range(5):
        call_command("retry_stripe_events", stdout=out)
    row = StripeEvent.objects.get(event_id="evt_nodata")
    assert row.status == StripeEvent.Status.FAILED and row.attempts == 3
    assert "evt_nodata" in out.getvalue() and "will not be retried" in out.getvalue()
    # Stripe's own redelivery is acknowledged now, and changes nothing.
    response = client.post(
        "/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.attempts == 3
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    admin_client = Client()
    admin_client.force_login(staff)
    listed = admin_client.get("/admin/payments/stripeevent/", {"needs_person": "yes"})
    assert listed.status_code == 200, listed.get("Location")
    listed = listed.content.decode()
    assert "evt_nodata" in listed
