from datetime import time as clock
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from messaging import services as messaging_services
from payments import services as payments
from profiles.services import connection_create
from tests.factories import UserFactory, make_profile


@pytest.fixture(autouse=True)
def _fresh_cache():
    # messaging keeps rate-limit windows and "email queued" marks in the cache and in the process.
    cache.clear()
    messaging_services._notify_marks.clear()
    yield
    cache.clear()
    messaging_services._notify_marks.clear()


@pytest.fixture
def seeker(db):
    return UserFactory(preferred_name="Sara Seeker")


@pytest.fixture
def supporter(db):
    return UserFactory(preferred_name="Sam Supporter")


@pytest.fixture
def bystander(db):
    return UserFactory(preferred_name="Bea Bystander")


@pytest.fixture
def listing(supporter):
    return make_profile(supporter, role="pa", display_name="Sam the PA", hourly_rate="15.00")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit work (notifications are sent after commit) of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def make_booking(seeker, listing, hours: str = "3"):
    """A booking request from ``seeker`` for ``listing``, two days ahead (the two are connected first)."""
    connection_create(a=seeker, b=listing.user)
    return payments.booking_create(
        actor=seeker,
        seeker=seeker,
        profile=listing,
        hours=Decimal(hours),
        start_date=timezone.localdate() + timedelta(days=2),
        start_time=clock(10, 0),
    )
