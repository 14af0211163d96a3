from decimal import Decimal

import pytest

from matching import live, quality
from matching.scoring import model
from tests.factories import UserFactory, make_profile

OTHER_POSTCODES = ["BB1", "BB2", "BB3", "BB4", "BB5", "BB6", "PR1", "PR2", "BL1", "OL1"]


@pytest.fixture(autouse=True)
def fresh_matching_state():
    """Each test gets its own index, weights cache and quality provider."""
    saved = quality._provider
    live.reset_index()
    model.reset_cache()
    yield
    quality._provider = saved
    live.reset_index()
    model.reset_cache()


@pytest.fixture
def busy_register(db):
    """Thirty ordinary supporters around Blackburn and Preston, so a good match has to stand out."""
    profiles = []
    for i in range(30):
        role = ("pa", "peer_advisor", "broker")[i % 3]
        profiles.append(
            make_profile(
                role=role,
                postcode=OTHER_POSTCODES[i % len(OTHER_POSTCODES)],
                travel_km=25,
                skills=[["personal_care"], ["shopping", "driving"], ["support_planning"]][i % 3],
                interests=[["music"], ["football", "cooking"], []][i % 3],
                languages=["en"],
                availability=["mon 09:00-13:00", "thu 18:00-21:00"][: 1 + i % 2],
                hourly_rate=None if role == "peer_advisor" else Decimal("13.00") + i % 5,
                lived_experience=[["older_person"], ["family_carer"], []][i % 3] or None,
                lived_experience_visibility="signed_in",
                about="Friendly and reliable, happy to help with everyday things.",
            )
        )
    return profiles


@pytest.fixture
def seeker_user(db):
    return UserFactory()
