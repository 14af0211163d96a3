# ruff: noqa: F811 - the payments fixtures are imported by name and used as test arguments
"""Issue 12 item 9: a date outside 1900-2100 (year 1, year 9999) is a typing mistake. Every page and API
endpoint where a person types a date refuses it beside the field (form error, or 400 naming the field), never a 500."""

from __future__ import annotations

import pytest

from marketplace.validators import date_range_message
from payments.models import Booking, BudgetEntry, Payment
from profiles.forms import ProfileForm
from tests.payments.conftest import (  # noqa: F401  (fixtures shared with the payments tests)
    accepted_booking,
    booking,
    connected,
    pa_profile,
    seeker,
    soon,
    supporter,
)

pytestmark = pytest.mark.django_db

BAD_DATES = ["0001-01-01", "9999-12-31"]
MESSAGE = date_range_message()


def _form_error(response, field: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    errors = []
    for form in (
        response.context["form"],
        *(response.context.get(name) for name in ("budget_form", "entry_form", "export_form")),
    ):
        if form is not None and hasattr(form, "errors"):
            errors.extend(form.errors.get(field, []))
    return errors


@pytest.mark.parametrize("bad", BAD_DATES)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_the_booking_page_refuses_a_silly_date_beside_the_field(client, seeker, connected, bad, field):
    client.force_login(seeker)
    data = {"kind": "hours", "hours": "2", "start_date": soon().isoformat(), "start_time": "10:00", field: bad}
    response = client.post(f"/bookings/new/{connected.ref}/", data)
    assert MESSAGE in _form_error(response, field)
    assert not Booking.objects.exists()


@pytest.mark.parametrize("bad", BAD_DATES)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_the_booking_api_refuses_a_silly_date_with_a_field_error(client, seeker, connected, bad, field):
    client.force_login(seeker)
    data = {
        "supporter_ref": connected.ref,
        "hours": "2",
        "start_date": soon().isoformat(),
        "start_time": "09:00",
        field: bad,
    }
    response = client.post("/api/v1/bookings/", data, content_type="application/json")
    assert response.status_code == 400
    assert MESSAGE in str(response.json())
    assert field in str(response.json())
    assert not Booking.objects.exists()


@pytest.mark.parametrize("bad", BAD_DATES)
def test_paid_outside_the_platform_refuses_a_silly_date_on_the_page_and_the_api(client, seeker, accepted_booking, bad):
    client.force_login(seeker)
    response = client.post(
        f"/bookings/{accepted_booking.pk}/paid-outside/", {"paid_how": "cash", "paid_on": bad, "paid_by": "Me"}
    )
    assert MESSAGE in _form_error(response, "paid_on")
    response = client.post(
        f"/api/v1/bookings/{accepted_booking.pk}/paid-outside/",
        {"paid_by": "Me", "paid_how": "cash", "paid_on": bad},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert MESSAGE in str(response.json().get("paid_on", response.json()))
    assert not Payment.objects.exists()


@pytest.mark.parametrize("bad", BAD_DATES)
def test_the_budget_page_refuses_a_silly_start_or_spending_date(client, seeker, bad):
    client.force_login(seeker)
    response = client.post("/me/budget/", {"form": "budget", "amount": "1000", "period": "month", "starts_on": bad})
    assert response.status_code == 200
    assert MESSAGE in response.context["budget_form"].errors.get("starts_on", [])
    response = client.post(
        "/me/budget/", {"form": "entry", "spent_on": bad, "description": "PA wages", "paid_to": "Sam", "amount": "10"}
    )
    assert response.status_code == 200
    assert MESSAGE in response.context["entry_form"].errors.get("spent_on", [])
    assert not BudgetEntry.objects.exists()


@pytest.mark.parametrize("bad", BAD_DATES)
def test_the_spending_export_with_a_silly_date_is_not_a_server_error(client, seeker, bad):
    client.force_login(seeker)
    for url in ("/me/budget/export.csv", "/me/budget/summary/", "/me/budget/"):
        response = client.get(url, {"start": bad, "end": "2026-01-01"})
        assert response.status_code < 500, url
    from payments.forms import ExportForm

    form = ExportForm({"start": bad, "end": "2026-01-01"})
    assert MESSAGE in form.errors["start"]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_the_profile_page_refuses_a_silly_dbs_check_date(client, pa_profile, bad):
    client.force_login(pa_profile.user)
    data = {k: v for k, v in ProfileForm.initial_for(pa_profile).items() if v is not None}
    data["availability"] = data.get("availability") or ""
    data["dbs_level"] = "basic"
    data["dbs_checked_on"] = bad
    response = client.post(f"/me/profiles/{pa_profile.pk}/edit/", data)
    assert MESSAGE in _form_error(response, "dbs_checked_on")
    pa_profile.refresh_from_db()
    assert pa_profile.dbs_checked_on is None


def test_an_ordinary_date_is_still_fine():
    from payments.forms import ExportForm

    assert ExportForm({"start": "2026-01-01", "end": "2026-02-01"}).is_valid()
