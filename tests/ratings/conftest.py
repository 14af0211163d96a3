import itertools

import pytest
from allauth.mfa.models import Authenticator

from matching.services import engagement_record
from tests.factories import UserFactory, make_profile

_refs = itertools.count(1)

GOOD = {"reliability": 5, "communication": 4, "respect": 5, "skills": 4, "overall": 5, "comment": "Kind and on time."}
LOW = {**GOOD, "overall": 1, "comment": "Did not turn up twice."}


def engage(seeker, supporter_profile):
    return engagement_record(
        seeker=seeker,
        supporter=supporter_profile.user,
        supporter_profile=supporter_profile,
        source="booking",
        source_ref=f"booking:{next(_refs)}",
    )


def with_second_factor(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})
    return user


@pytest.fixture
def seeker(db):
    return UserFactory(preferred_name="Amira Khan")


@pytest.fixture
def supporter_profile(db):
    return make_profile(UserFactory(preferred_name="Ben Lowe"), role="pa", postcode="BB1")


@pytest.fixture
def supporter(supporter_profile):
    return supporter_profile.user


@pytest.fixture
def engagement(seeker, supporter_profile):
    return engage(seeker, supporter_profile)


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return with_second_factor(UserFactory(is_moderator=True))
