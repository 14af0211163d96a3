"""'Add to my plan' on a resource page puts it in the person's support plan (planning owns plans)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planning.models import SupportLine
from tests.community.factories import make_resource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_add_to_my_plan_makes_a_community_line_at_no_cost(client):
    service = make_resource(name="Calder Valley Ramblers")
    seeker = UserFactory()
    client.force_login(seeker)
    page = client.get(reverse("community:detail", args=[service.pk])).content.decode()
    assert "Add to my plan" in page
    response = client.post(reverse("community:add-to-plan", args=[service.pk]), follow=True)
    assert "Added Calder Valley Ramblers to your support plan, at no cost." in response.content.decode()
    line = SupportLine.objects.get(plan__owner=seeker)
    assert (line.title, line.weekly_pence, line.community_resource_id) == ("Calder Valley Ramblers", 0, service.pk)


def test_a_priced_resource_goes_in_at_its_price_and_a_suggestion_cannot_be_added(client):
    priced = make_resource(name="Lunch club", cost="price", price_pence=450)
    waiting = make_resource(name="Not yet", publish=False)
    client.force_login(UserFactory())
    client.post(reverse("community:add-to-plan", args=[priced.pk]))
    assert SupportLine.objects.get().weekly_pence == 450
    assert client.post(reverse("community:add-to-plan", args=[waiting.pk])).status_code == 404
    assert client.get(reverse("community:add-to-plan", args=[priced.pk])).status_code == 405
