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
def _fresh_matching_index():
    """The matching index lives for the whole process; each test starts from its own database."""
    live.reset_index()
    yield
    live.reset_index()
