"""Published quality figures are withheld below one threshold, PUBLISH_MIN_COUNT (issue 12, item 9)."""

import csv
import io

import pytest
from django.urls import reverse

from ratings import selectors
from tests.factories import make_profile
from tests.ratings.test_quality_and_community import published, rate_n

pytestmark = pytest.mark.django_db


def test_a_single_review_publishes_no_distribution_or_monthly_average(client):
    profile = make_profile(role="pa", postcode="BB1")
    rate_n(profile, [1])
    published(profile)
    data = selectors.area_quality("BB", "pa")
    assert data["distribution"] == [] and data["trend"] == []
    page = client.get(reverse("ratings:quality", args=["BB", "pa"])).content.decode()
    assert "Fewer than 10 reviews so far" in page and "1 out of 5: 1 rating" not in page
    api = client.get("/api/v1/quality/BB/pa/").json()
    assert api["distribution"] == [] and api["trend"] == []
    rows = list(csv.reader(io.StringIO(client.get(reverse("ratings:quality_csv", args=["BB", "pa"])).content.decode())))
    assert rows == [["table", "key", "count", "value"]]


def test_figures_appear_at_the_threshold_and_the_threshold_is_one_setting(settings):
    profile = make_profile(role="pa", postcode="BB1")
    rate_n(profile, [5, 4, 4])
    published(profile)
    assert selectors.area_quality("BB", "pa")["distribution"] == []
    settings.PUBLISH_MIN_COUNT = 3
    data = selectors.area_quality("BB", "pa")
    assert [row["count"] for row in data["distribution"]] == [0, 0, 0, 2, 1]
    assert [row["count"] for row in data["trend"]] == [3]
    assert data["poll_min"] == 3
