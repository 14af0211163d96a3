"""The availability picker on the profile edit page: a day and from/to times per slot, empty rows to fill
without JavaScript, the same stored strings ("mon 09:00-13:00"), and errors in plain English. Also the
hourly-rate help text, which now depends on the role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from profiles.models import Profile
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def pa(client):
    user = UserFactory()
    profile = make_profile(user, role="pa", display_name="Alex B.", availability=["tue 10:00-12:00"])
    client.force_login(user)
    return profile


def _base(**extra):
    return {"display_name": "Alex B.", "skills": ["personal_care"], **extra}


def test_the_edit_page_shows_the_saved_slot_and_empty_rows_to_fill(client, pa):
    page = client.get(reverse("profiles:edit", args=[pa.pk])).content.decode()
    assert "<legend>When you are free" in page
    assert '<option value="tue" selected>Tuesday</option>' in page
    assert 'name="availability_start_0" value="10:00"' in page and 'name="availability_end_0" value="12:00"' in page
    for i in (1, 2, 3):  # three empty rows: enough to add slots without JavaScript
        assert f"<legend>Slot {i + 1}</legend>" in page and f'name="availability_day_{i}"' in page
    assert 'name="availability_day_4"' not in page
    assert "Add another slot" in page and 'type="time"' in page


def test_slots_from_the_pickers_are_stored_as_the_same_strings(client, pa):
    data = _base(
        availability_day_0="mon",
        availability_start_0="09:00",
        availability_end_0="13:00",
        availability_day_2="wed",
        availability_start_2="18:00",
        availability_end_2="22:00",
        availability_day_3="",
        availability_start_3="",
        availability_end_3="",
    )
    response = client.post(reverse("profiles:edit", args=[pa.pk]), data)
    assert response.status_code == 302
    pa.refresh_from_db()
    assert pa.availability == ["mon 09:00-13:00", "wed 18:00-22:00"]


def test_seconds_from_a_browser_time_field_are_ignored(client, pa):
    data = _base(availability_day_0="fri", availability_start_0="09:30:00", availability_end_0="11:00:00")
    assert client.post(reverse("profiles:edit", args=[pa.pk]), data).status_code == 302
    pa.refresh_from_db()
    assert pa.availability == ["fri 09:30-11:00"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"availability_start_0": "09:00", "availability_end_0": "13:00"}, "Slot 1: choose a day."),
        (
            {"availability_day_0": "mon", "availability_start_0": "09:00"},
            "Slot 1: give the time you start and the time you finish, like 09:00 and 13:00.",
        ),
        (
            {"availability_day_0": "mon", "availability_start_0": "13:00", "availability_end_0": "09:00"},
            "Slot 1: the finishing time must be later than the starting time, on the same day.",
        ),
        (
            {"availability_day_0": "someday", "availability_start_0": "09:00", "availability_end_0": "10:00"},
            "Slot 1: choose a day.",
        ),
    ],
)
def test_a_half_filled_or_backwards_slot_is_a_plain_english_error_and_nothing_is_saved(client, pa, row, message):
    response = client.post(reverse("profiles:edit", args=[pa.pk]), _base(**row))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'href="#id_availability_day_0"' in page  # the error summary links to the first slot
    pa.refresh_from_db()
    assert pa.availability == ["tue 10:00-12:00"]


def test_emptying_every_row_clears_availability(client, pa):
    assert client.post(reverse("profiles:edit", args=[pa.pk]), _base()).status_code == 302
    pa.refresh_from_db()
    assert pa.availability == []


@pytest.mark.parametrize(
    ("role", "wanted", "unwanted"),
    [
        ("pa", "What you charge for an hour of support", "brokerage"),
        ("broker", "What you charge for an hour of brokerage", "of support,"),
    ],
)
def test_the_rate_help_text_is_written_for_the_role(client, role, wanted, unwanted):
    user = UserFactory()
    profile = make_profile(user, role=role, display_name="Sam")
    client.force_login(user)
    page = client.get(reverse("profiles:edit", args=[profile.pk])).content.decode()
    assert wanted in page
    assert "Peer advisors are volunteers" not in page
    assert unwanted not in page.split('id="id_hourly_rate_helptext"')[1][:200]


def test_a_peer_advisor_has_no_rate_field(client):
    user = UserFactory()
    profile = make_profile(user, role="peer_advisor", display_name="Pat")
    client.force_login(user)
    page = client.get(reverse("profiles:edit", args=[profile.pk])).content.decode()
    assert "hourly_rate" not in page
    assert Profile.objects.get(pk=profile.pk).hourly_rate is None
