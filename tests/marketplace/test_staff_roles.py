"""The operator gives roles from pages, not the admin: moderators, panels and panel seats (issue 13, item 4)."""

import pytest
from django.urls import reverse

from ratings.models import Panel, PanelMember
from tests.factories import UserFactory
from tests.peer_support.people import with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return with_totp(UserFactory(is_staff=True, preferred_name="Olu Operator"))


def test_only_staff_reach_the_roles_pages(client):
    panel = Panel.objects.create(name="Blackburn panel", area_prefix="BB", criteria="Kind and on time.")
    moderator = with_totp(UserFactory(is_moderator=True))
    for person in (UserFactory(), moderator):
        client.force_login(person)
        assert client.get(reverse("staff-roles")).status_code == 404
        assert client.get(reverse("staff-panel-seats", args=[panel.pk])).status_code == 404
        assert client.post(reverse("staff-moderator-end", args=[moderator.pk])).status_code == 404
    moderator.refresh_from_db()
    assert moderator.is_moderator


def test_the_operator_makes_and_ends_a_moderator(client, staff):
    mo = UserFactory(email="mo@example.org", preferred_name="Mo Moderator")
    client.force_login(staff)
    done = client.post(reverse("staff-roles"), {"form": "moderator", "moderator-email": "MO@example.org"}, follow=True)
    assert "Mo Moderator is a moderator now" in done.content.decode()
    mo.refresh_from_db()
    assert mo.is_moderator
    assert "End Mo Moderator’s moderator role" in client.get(reverse("staff-roles")).content.decode()

    client.post(reverse("staff-moderator-end", args=[mo.pk]))
    mo.refresh_from_db()
    assert not mo.is_moderator


def test_an_unknown_email_says_what_to_do_next(client, staff):
    client.force_login(staff)
    page = client.post(reverse("staff-roles"), {"form": "moderator", "moderator-email": "nobody@example.org"})
    assert page.status_code == 200
    assert "Ask them to join Open Circle first" in page.content.decode()


def test_the_operator_sets_up_a_panel_and_its_seats(client, staff):
    pat = UserFactory(email="pat@example.org", preferred_name="Pat Peer")
    client.force_login(staff)
    missing_area = client.post(
        reverse("staff-roles"), {"form": "panel", "panel-name": "Darwen panel", "panel-criteria": "Reliable."}
    )
    assert "give the postcode area the panel covers" in missing_area.content.decode()
    assert not Panel.objects.exists()

    client.post(
        reverse("staff-roles"),
        {"form": "panel", "panel-name": "Darwen panel", "panel-area_prefix": "bb3", "panel-criteria": "Reliable."},
    )
    panel = Panel.objects.get(name="Darwen panel")
    assert panel.area_prefix == "BB3"

    seats = reverse("staff-panel-seats", args=[panel.pk])
    client.post(seats, {"email": "pat@example.org", "kind": "peer_advisor"})
    seat = PanelMember.objects.get(panel=panel, user=pat, left_at__isnull=True)
    again = client.post(seats, {"email": "pat@example.org", "kind": "peer_advisor"})
    assert "already has a seat" in again.content.decode()
    assert "Pat Peer" in client.get(reverse("ratings:panel", args=[panel.pk])).content.decode()

    ended = client.post(reverse("staff-panel-seat-end", args=[panel.pk, seat.pk]), follow=True)
    assert "Pat Peer no longer has a seat on Darwen panel" in ended.content.decode()
    seat.refresh_from_db()
    assert seat.left_at is not None  # the seat stays on record
    assert "Pat Peer" not in client.get(reverse("ratings:panel", args=[panel.pk])).content.decode()


def test_another_panels_seat_id_is_not_found(client, staff):
    one = Panel.objects.create(name="One", area_prefix="BB", criteria="x")
    two = Panel.objects.create(name="Two", area_prefix="PR", criteria="x")
    seat = PanelMember.objects.create(panel=two, user=UserFactory(), kind="employer")
    client.force_login(staff)
    assert client.post(reverse("staff-panel-seat-end", args=[one.pk, seat.pk])).status_code == 404


def test_staff_reach_their_pages_from_the_navigation(client, staff):
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert reverse("staff-roles") in page and reverse("peer_support:staff-organisations") in page
    client.force_login(UserFactory())
    assert reverse("staff-roles") not in client.get("/").content.decode()


def test_a_panel_member_is_offered_to_propose_a_listing_their_panel_covers(client):
    from tests.factories import make_profile

    panel = Panel.objects.create(name="Blackburn panel", area_prefix="BB", criteria="Kind and on time.")
    seat_holder = with_totp(UserFactory())
    PanelMember.objects.create(panel=panel, user=seat_holder, kind="employer")
    near = make_profile(UserFactory(), role="pa", display_name="Near PA", postcode="BB1", hourly_rate="15.00")
    far = make_profile(UserFactory(), role="pa", display_name="Far PA", postcode="PR1", hourly_rate="15.00")
    propose = reverse("ratings:proposal_new", args=[panel.pk, near.ref])

    client.force_login(seat_holder)
    assert propose in client.get(near.get_absolute_url()).content.decode()
    assert "community recommended” badge" not in client.get(far.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert propose not in client.get(near.get_absolute_url()).content.decode()
