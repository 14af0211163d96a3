"""Suggesting, publishing, checking and finding community resources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from community import selectors, services
from community.models import Service
from community.selectors import ResourceQuery
from community.services import ScheduleInput
from profiles import locality
from tests.community.factories import make_coordinator, make_resource, resource_input
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def place(code):
    return locality.locate(code)


def test_anyone_signed_in_suggests_and_only_a_curator_publishes():
    suggester = UserFactory()
    service = services.resource_suggest(actor=suggester, data=resource_input(name="Knit and natter"))
    assert service.status == Service.Status.SUGGESTED
    assert selectors.search(ResourceQuery()).total == 0
    with pytest.raises(PermissionDenied):
        services.resource_publish(actor=UserFactory(), service=service)
    coordinator = make_coordinator()
    services.resource_publish(actor=coordinator, service=service)
    service.refresh_from_db()
    assert service.is_published
    assert service.last_checked_by == coordinator and service.last_checked_at is not None
    assert [h.service.name for h in selectors.search(ResourceQuery()).hits] == ["Knit and natter"]


def test_moderator_publishes_too():
    moderator = UserFactory(is_moderator=True)
    service = make_resource(publish=False)
    services.resource_publish(actor=moderator, service=service)
    assert Service.objects.get(pk=service.pk).is_published


def test_a_suggestion_is_hidden_from_others_until_published():
    suggester, other = UserFactory(), UserFactory()
    service = make_resource(publish=False, suggester=suggester)
    assert selectors.service_for_viewer(service_id=service.pk, viewer=suggester) == service
    with pytest.raises(Http404):
        selectors.service_for_viewer(service_id=service.pk, viewer=other)
    with pytest.raises(Http404):
        services.resource_edit(actor=other, service=service, data=resource_input())


def test_bad_input_names_each_field():
    with pytest.raises(ValidationError) as caught:
        services.resource_suggest(
            actor=UserFactory(),
            data=resource_input(name="", postcode="nowhere", cost="price", price_pence=None, email="not-an-email"),
        )
    errors = caught.value.message_dict
    assert {"name", "postcode", "price_pence", "email"} <= set(errors)


def test_online_only_needs_no_postcode_and_price_is_kept_in_pence():
    service = make_resource(postcode="", online=True, cost="price", price_pence=350)
    assert service.outcode == "" and service.online
    assert service.cost_label == "£3.50 a session" and service.weekly_cost_pence == 350


def test_past_the_freshness_date_a_listing_is_flagged_not_dropped(settings):
    settings.COMMUNITY_FRESH_DAYS = 30
    service = make_resource()
    Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timedelta(days=31))
    service.refresh_from_db()
    assert service.needs_check
    assert selectors.search(ResourceQuery()).total == 1  # still found, with its flag
    coordinator = make_coordinator()
    assert list(selectors.due_for_check(coordinator)) == [service]
    assert list(selectors.due_for_check(UserFactory())) == []
    services.resource_mark_checked(actor=coordinator, service=service, note="Rang them")
    service.refresh_from_db()
    assert not service.needs_check and service.last_checked_by == coordinator
    assert service.checks.first().note == "Rang them"


def test_search_by_distance_orders_nearest_first_and_keeps_to_the_circle():
    make_resource(name="Halifax walk", postcode="HX1")
    make_resource(name="Brighouse walk", postcode="HD6")
    make_resource(name="London walk", postcode="SW1A")
    make_resource(name="Online chat", postcode="", online=True)
    result = selectors.search(ResourceQuery(place=place("HX1"), within_km=16))
    names = [h.service.name for h in result.hits]
    assert names == ["Halifax walk", "Brighouse walk", "Online chat"]
    assert result.hits[0].distance_label == "less than a mile away"


def test_search_filters_topic_cost_day_accessibility_and_district():
    make_resource(name="Walk", topics=["walking"], schedules=[ScheduleInput("sun")], accessibility=["step_free"])
    make_resource(
        name="Garden",
        topics=["gardening"],
        cost="pwyc",
        schedules=[ScheduleInput("tue")],
        accessibility=["step_free", "accessible_toilet"],
        postcode="BB1",
    )
    names = lambda **kw: [h.service.name for h in selectors.search(ResourceQuery(**kw)).hits]  # noqa: E731
    assert names(topic="gardening") == ["Garden"]
    assert names(cost=["pwyc"]) == ["Garden"]
    assert names(day="sun") == ["Walk"]
    assert names(accessibility=["step_free"]) == ["Garden", "Walk"]
    assert names(accessibility=["step_free", "accessible_toilet"]) == ["Garden"]
    assert names(district="BB1") == ["Garden"]


def test_a_seekers_interests_suggest_resources_explained():
    seeker = UserFactory()
    make_profile(seeker, role="seeker", postcode="HX1", interests=["walking"])
    make_resource(name="Calder Valley Ramblers", topics=["walking"], postcode="HX2", schedules=[ScheduleInput("sun")])
    make_resource(name="Chess club", topics=["gaming"], postcode="HX1")
    suggestions = selectors.suggestions_for(seeker)
    assert [s.service.name for s in suggestions] == ["Calder Valley Ramblers"]
    assert suggestions[0].reason.startswith("You like walking: Calder Valley Ramblers meets on Sundays, ")
    assert "mile" in suggestions[0].reason


def test_pages_list_map_detail_and_suggest(client):
    service = make_resource(name="Calder Valley Ramblers", postcode="HX1")
    response = client.get(reverse("community:index"), {"postcode": "HX1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Calder Valley Ramblers" in body and "<svg" in body and "Map of districts" in body
    assert client.get(reverse("community:detail", args=[service.pk])).status_code == 200
    assert client.get(reverse("community:index"), {"postcode": "nowhere"}).status_code == 200
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("community:suggest"), {"name": "", "cost": "free", "frequency": "WEEKLY"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    response = client.post(
        reverse("community:suggest"),
        {
            "name": "Book club",
            "organisation_name": "Halifax Library",
            "description": "Monthly chat about a book.",
            "cost": "free",
            "postcode": "HX1 2AB",
            "days": ["wed"],
            "frequency": "MONTHLY",
        },
    )
    assert response.status_code == 302
    created = Service.objects.get(name="Book club")
    assert created.outcode == "HX1" and created.status == "suggested"
    assert created.schedules.get().label == "one Wednesday a month"


def test_area_page_and_csv(client, settings):
    settings.PUBLISH_MIN_COUNT = 1
    make_resource(name="Walk", postcode="BB1")
    make_profile(role="pa", postcode="BB1", languages=["en"])
    seeker = UserFactory()
    make_profile(seeker, role="seeker", postcode="BB2", languages=["pl"], interests=["gardening"])
    response = client.get(reverse("community:area", args=["BB1"]))
    body = response.content.decode()
    assert response.status_code == 200 and "Support in BB1" in body
    assert "No Polish-speaking PA within 10 km" in body
    assert "No gardening group or resource within 10 km" in body
    csv_response = client.get(reverse("community:area-csv", args=["BB1"]))
    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("district,km_from_BB1,pas")
    assert any(line.startswith("BB1,0.0,1,0,0,1") for line in lines)
    assert client.get(reverse("community:area", args=["ZZ99"])).status_code == 404


def test_review_page_lists_suggestions_and_overdue_checks_for_curators_only(client, settings):
    from allauth.mfa.models import Authenticator

    settings.COMMUNITY_FRESH_DAYS = 30
    waiting = make_resource(name="Waiting group", publish=False)
    old = make_resource(name="Old group")
    Service.objects.filter(pk=old.pk).update(last_checked_at=timezone.now() - timedelta(days=40))
    client.force_login(UserFactory())
    assert client.get(reverse("community:review")).status_code == 404
    coordinator = make_coordinator()
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(coordinator)
    body = client.get(reverse("community:review")).content.decode()
    assert waiting.name in body and "Old group" in body and "30 days" in body


def test_a_gap_needs_enough_seekers_to_share_it(settings):
    settings.PUBLISH_MIN_COUNT = 2
    make_profile(role="pa", postcode="BB1", languages=["en"])
    make_profile(role="seeker", postcode="BB1", languages=["pl"], interests=["gardening"])
    texts = lambda: [gap.text for gap in selectors.area_gaps(place("BB1"))]  # noqa: E731
    assert texts() == []  # one person's language is not published as a gap
    make_profile(role="seeker", postcode="BB2", languages=["pl"], interests=["gardening"])
    assert "No Polish-speaking PA within 10 km, though people nearby speak it." in texts()
    assert "No gardening group or resource within 10 km." in texts()
