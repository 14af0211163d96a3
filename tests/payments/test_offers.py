from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from payments import services
from profiles.models import Profile

pytestmark = pytest.mark.django_db


def test_packages_are_kept_in_the_register_format_on_the_profile(supporter, pa_profile):
    package = services.package_save(
        profile=pa_profile,
        actor=supporter,
        name="Full support plan",
        price=Decimal("600"),
        hours=Decimal("30"),
        included="Plan and two reviews",
    )
    assert Profile.objects.get(pk=pa_profile.pk).packages == [
        {"name": "Full support plan", "price_gbp": 600.0, "hours": 30.0}
    ]
    services.package_delete(package=package, actor=supporter)
    assert Profile.objects.get(pk=pa_profile.pk).packages == []


def test_nobody_else_can_change_someones_offers(stranger, pa_profile):
    with pytest.raises(PermissionDenied):
        services.package_save(profile=pa_profile, actor=stranger, name="x", price=Decimal("1"), hours=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.offer_rate_set(profile=pa_profile, actor=stranger, hourly_rate=Decimal("1"))


def test_absurd_package_prices_and_hours_are_refused(supporter, pa_profile):
    for price, hours in ((Decimal("0"), Decimal("2")), (Decimal("20000"), Decimal("2")), (Decimal("10"), Decimal("0"))):
        with pytest.raises(ValidationError):
            services.package_save(profile=pa_profile, actor=supporter, name="x", price=price, hours=hours)


def test_the_offers_page_sets_the_rate_on_the_profile(client, supporter, pa_profile):
    client.force_login(supporter)
    client.post("/me/offers/", {"form": "rate", "profile": pa_profile.pk, "hourly_rate": "16.25"})
    assert Profile.objects.get(pk=pa_profile.pk).hourly_rate == Decimal("16.25")
    response = client.post("/me/offers/", {"form": "rate", "profile": pa_profile.pk, "hourly_rate": "-3"})
    assert "Enter an hourly rate between" in response.content.decode()


def test_the_offers_include_shows_rate_packages_and_terms(rf, supporter, pa_profile, stranger):
    services.package_save(
        profile=pa_profile,
        actor=supporter,
        name="Starter",
        price=Decimal("99.50"),
        hours=Decimal("5"),
        included="Two visits",
    )
    html = render_to_string("payments/includes/offers.html", {"profile": pa_profile, "user": stranger})
    assert "£15.00" in html and "Starter" in html and "£99.50" in html and "Two visits" in html
    assert "Free cancellation up to 24 hours" in html


def test_the_offers_page_says_card_payments_are_off_without_keys(client, supporter, pa_profile, settings):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(supporter)
    assert "Card payments are not set up on this Open Circle site" in client.get("/me/offers/").content.decode()
