import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import live
from ratings import selectors
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_batched_summaries_equal_one_by_one_summaries():
    profiles = [make_profile(role="pa") for _ in range(5)]
    batched = selectors.summaries_for(profiles)
    for profile in profiles:
        assert batched[profile.pk] == selectors.summary_for(profile)


def test_the_browse_page_does_not_query_per_card(client):
    for _ in range(3):
        make_profile(role="pa", postcode="BB1")
    live.get_index()  # the match index catches up with the new listings first (not a per-card cost)
    with CaptureQueriesContext(connection) as few:
        client.get("/register/?postcode=BB1")
    for _ in range(12):
        make_profile(role="pa", postcode="BB1")
    live.get_index()
    with CaptureQueriesContext(connection) as many:
        page = client.get("/register/?postcode=BB1").content.decode()
    assert page.count("New to the register") >= 15 or page.count("Ratings:") >= 15
    assert len(many.captured_queries) == len(few.captured_queries)
