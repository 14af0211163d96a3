import pytest
from allauth.mfa.models import Authenticator
from channels.layers import channel_layers

from messaging import services
from profiles.services import organisation_add_coordinator
from tests.factories import OrganisationFactory, UserFactory, make_profile


@pytest.fixture(autouse=True)
def _fresh_cache_and_layer(_fresh_cache):
    # Rate-limit counters (cleared by tests/conftest.py's _fresh_cache, which leaves the database cache to
    # roll back with the database) and the in-memory channel layer must not leak between tests (or event loops).
    services._notify_marks.clear()
    channel_layers.backends = {}
    yield
    services._notify_marks.clear()


@pytest.fixture
def supporter(db):
    return UserFactory(preferred_name="Sam Supporter")


@pytest.fixture
def listing(supporter):
    return make_profile(supporter, role="pa", display_name="Sam the PA")


@pytest.fixture
def seeker(db):
    return UserFactory(preferred_name="Sara Seeker")


@pytest.fixture
def stranger(db):
    return UserFactory(preferred_name="Stan Stranger")


@pytest.fixture
def conversation(seeker, listing, supporter):
    request = services.contact_request_create(sender=seeker, profile=listing, message="Hello, I need help on Tuesdays.")
    return services.contact_request_accept(contact_request=request, actor=supporter)


@pytest.fixture
def moderator(db):
    user = UserFactory(preferred_name="Mo Moderator", is_moderator=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def coordinator(db):
    user = UserFactory(preferred_name="Cora Coordinator")
    organisation_add_coordinator(organisation=OrganisationFactory(), user=user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def client_for(client, user):
    client.force_login(user)
    return client
