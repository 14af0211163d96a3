import pytest

from matching import live
from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Request limits (marketplace/throttling.py, allauth's) count in the cache, which outlives a test; each
    test starts with none used, as each starts from its own database. The database cache's rows roll back
    with the database, and the failover cache is its parts, so only the other caches are cleared."""
    from django.conf import settings
    from django.core.cache import caches

    for alias, config in settings.CACHES.items():
        if not config["BACKEND"].endswith(("DatabaseCache", "FailoverCache")):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """The matching index lives for the whole process; each test starts from its own database."""
    live.reset_index()
    yield
    live.reset_index()
