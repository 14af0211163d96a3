"""Quality reaches matching's ranking through the provider registered in RatingsConfig.ready()."""

from decimal import Decimal

import pytest

from matching import live
from matching.services import match_rank
from ratings import services
from tests.factories import UserFactory, make_profile

from .conftest import GOOD, engage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    live.reset_index()
    yield
    live.reset_index()


def twin(name):
    """Supporters who differ only in their ratings."""
    return make_profile(
        role="pa",
        postcode="BB1",
        display_name=name,
        travel_km=20,
        skills=["personal_care"],
        languages=["en"],
        availability=["mon 09:00-13:00"],
        hourly_rate=Decimal("14.00"),
        about="Reliable and kind.",
    )


def rate(profile, overalls):
    for overall in overalls:
        seeker = UserFactory()
        engagement = engage(seeker, profile)
        services.rating_create(actor=seeker, engagement=engagement, data={**GOOD, "overall": overall})
        services.rating_create(actor=profile.user, engagement=engagement, data=GOOD)


def order(seeker_profile):
    return [r.display_name for r in match_rank(seeker_profile_or_query=seeker_profile, viewer=seeker_profile.user)]


def test_better_ratings_rank_higher_and_a_newcomer_is_not_buried(db):
    seeker = make_profile(role="seeker", postcode="BB1", seeking={"skills": ["personal_care"]})
    liked, newcomer, disliked = twin("Liked"), twin("Newcomer"), twin("Disliked")
    rate(liked, [5, 5, 5])
    rate(disliked, [3])  # one published rating below the prior (a 1 or 2 would still be waiting for review)
    assert order(seeker) == ["Liked", "Newcomer", "Disliked"]
    assert newcomer.pk  # never rated


def test_a_revealed_rating_updates_a_built_index(db, django_capture_on_commit_callbacks):
    seeker = make_profile(role="seeker", postcode="BB1", seeking={"skills": ["personal_care"]})
    first, second = twin("First"), twin("Second")
    rate(first, [4])
    assert order(seeker) == ["First", "Second"]  # index built now
    with django_capture_on_commit_callbacks(execute=True):
        rate(second, [5, 5, 5])
    assert order(seeker) == ["Second", "First"]


def test_the_daily_command_reports_ratings_revealed_by_the_clock(db):
    from io import StringIO

    import time_machine
    from django.core.management import call_command

    profile = twin("Clocked")
    seeker = UserFactory()
    with time_machine.travel("2026-03-01 10:00Z"):
        services.rating_create(actor=seeker, engagement=engage(seeker, profile), data=GOOD)
    out = StringIO()
    with time_machine.travel("2026-03-15 11:00Z"):
        call_command("ratings_refresh_quality", stdout=out)
    assert "Refreshed the quality factor of 1 supporter." in out.getvalue()
