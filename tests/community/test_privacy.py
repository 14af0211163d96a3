"""What community holds about a person is in their data download and goes when their account does."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from community import services
from community.models import Service
from profiles import privacy
from tests.community.factories import make_coordinator, make_resource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_download_lists_suggestions_and_deleting_the_account_forgets_who_checked(client):
    person = UserFactory(preferred_name="Bernadette Checker")
    service = make_resource(name="Lunch club", suggester=person)
    coordinator = make_coordinator(preferred_name="Cora")
    services.resource_mark_checked(actor=coordinator, service=service, note="Rang them")
    client.force_login(person)
    export = json.loads(client.get(reverse("profiles:data-download")).content)
    assert [s["name"] for s in export["community"]["suggested"]] == ["Lunch club"]

    privacy.user_delete(user=coordinator, actor=coordinator)
    service = Service.objects.get(pk=service.pk)
    assert service.last_checked_by is None and service.last_checked_by_name == "a former member"
    assert service.is_published  # the listing belongs to its organisation and stays
