"""A ``next`` that leaves the site is ignored everywhere (issue 12, item 9)."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from marketplace.redirects import safe_next
from payments import services as payment_services
from payments.models import BudgetEntry
from tests.factories import UserFactory

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/x",
    "http://evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    "\\\\evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_targets_fall_back(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/me/") == "/me/"


def test_same_site_targets_are_kept():
    request = RequestFactory().post("/x/", {"next": "/me/budget/?page=2"})
    assert safe_next(request, "/me/") == "/me/budget/?page=2"
    assert safe_next(RequestFactory().get("/x/", {"next": "http://testserver/me/"}), "/") == "http://testserver/me/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_removing_a_budget_entry_never_redirects_off_site(client, target):
    seeker = UserFactory()
    entry = payment_services.budget_entry_add(
        seeker=seeker,
        actor=seeker,
        spent_on=timezone.localdate(),
        description="PA wages",
        paid_to="Payroll",
        amount=Decimal("10"),
    )
    client.force_login(seeker)
    response = client.post(reverse("payments:budget-entry-remove", args=[entry.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:budget")
    assert not BudgetEntry.objects.filter(pk=entry.pk).exists()
