"""Issue 14 item 3: one write path, including the admin.

Every admin registered by the project's apps is listed here (through the public ``AdminSite.is_registered`` and
``get_model_admin``; Django 6.1 has no public ``get_model_admins``) and each is either read-only (no add, change
or delete, and the admin's own add/change/delete pages refuse a staff member) or its saving goes through a service
function, proved by what the change does: a listing edited in the admin writes the change log and search sees it;
a trust claim marked "document seen" records who and when; a panel is saved through ratings.services.
A new admin that is neither fails ``test_every_registered_admin_is_read_only_or_goes_through_a_service``."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory
from django.utils import timezone

from marketplace.admin import ReadOnlyAdmin, ServiceAdmin
from matching import services as matching_services
from profiles import services as profile_services
from profiles.models import Organisation, OrganisationMembership, Profile, RegisterChange, TrustClaim
from ratings.models import Panel, PanelMember
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"profiles", "matching", "peer_support", "messaging", "payments", "ratings", "notifications", "planning"}
# Admins whose saves go through a service, each with the test below that proves it.
SERVICE_ADMINS = {
    "profiles.profile": "test_a_listing_edited_in_the_admin_is_logged_and_search_sees_it",
    "ratings.panel": "test_a_panel_set_up_in_the_admin_is_saved_through_the_service",
    "planning.ratestable": "test_rates_edited_in_the_admin_are_saved_through_the_service",
}
# Read-only admins that still offer one action, which calls a service (proved by the named test).
SERVICE_ACTIONS = {
    "profiles.trustclaim": "test_document_seen_in_the_admin_records_who_checked_and_when",
}


def registered_admins():
    found = {}
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and admin.site.is_registered(model):
            found[model._meta.label_lower] = (model, admin.site.get_model_admin(model))
    return found


def staff_client():
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client = Client()
    client.force_login(staff)
    return client, staff


def test_the_listing_finds_every_project_admin():
    found = registered_admins()
    # Not vacuous: the admins named in issue 14 are all here.
    for label in (
        "profiles.profile",
        "profiles.trustclaim",
        "profiles.user",
        "payments.booking",
        "payments.budgetentry",
        "messaging.report",
        "peer_support.referral",
        "ratings.panel",
        "notifications.notification",
    ):
        assert label in found, label
    assert len(found) >= 27


@pytest.mark.parametrize("label", sorted(registered_admins()))
def test_every_registered_admin_is_read_only_or_goes_through_a_service(label):
    _model, model_admin = registered_admins()[label]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    if label in SERVICE_ADMINS:
        assert isinstance(model_admin, ServiceAdmin), label
        assert SERVICE_ADMINS[label] in globals()
        return
    assert isinstance(model_admin, ReadOnlyAdmin), f"{label}: make it read-only or save through a service"
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    if label in SERVICE_ACTIONS:
        assert SERVICE_ACTIONS[label] in globals()
    else:
        assert set(model_admin.get_actions(request)) == set(), f"{label}: an action would write around the services"


@pytest.mark.parametrize("label", sorted(set(registered_admins()) - set(SERVICE_ADMINS)))
def test_a_read_only_admin_refuses_to_add_or_change_through_its_pages(label):
    client, _ = staff_client()
    model, _ = registered_admins()[label]
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(base).status_code == 200  # staff can still look
    assert client.get(base + "add/").status_code == 403
    assert client.post(base + "add/", {}).status_code == 403


# --- Listings: the admin edits through profiles.services, so the change log and search follow -----------------


def _change_form_data(profile: Profile, **changes) -> dict:
    data = {
        "status": profile.status,
        "display_name": profile.display_name,
        "about": profile.about,
        "travel_km": profile.travel_km or "",
        "capacity": profile.capacity or "",
        "hourly_rate": profile.hourly_rate or "",
        "dbs_level": profile.dbs_level or "",
        "dbs_checked_on": profile.dbs_checked_on.isoformat() if profile.dbs_checked_on else "",
    }
    data.update(changes)
    return data


def _refs(seeker):
    return [r.ref for r in matching_services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, top=100)]


def test_a_listing_edited_in_the_admin_is_logged_and_search_sees_it():
    seeker = make_profile(role="seeker", postcode="BB1", seeking={"max_km": 20})
    pa = make_profile(role="pa", postcode="BB1", travel_km=20, display_name="Sam PA")
    assert pa.ref in _refs(seeker)  # the index is built and holds the listing
    before = RegisterChange.objects.filter(kind=RegisterChange.Kind.PROFILE, object_id=pa.pk).count()

    client, _ = staff_client()
    url = f"/admin/profiles/profile/{pa.pk}/change/"
    response = client.post(url, _change_form_data(pa, status=Profile.Status.PAUSED, display_name="Sam P."))
    assert response.status_code == 302, response.content.decode()[:2000]

    pa.refresh_from_db()
    assert (pa.status, pa.display_name) == (Profile.Status.PAUSED, "Sam P.")
    assert RegisterChange.objects.filter(kind=RegisterChange.Kind.PROFILE, object_id=pa.pk).count() == before + 1
    assert pa.ref not in _refs(seeker)  # every worker's search catches up from the log


def test_the_admin_checks_a_listing_like_the_service_does():
    pa = make_profile(role="pa", postcode="BB1", travel_km=20)
    client, _ = staff_client()
    url = f"/admin/profiles/profile/{pa.pk}/change/"
    response = client.post(url, _change_form_data(pa, dbs_level="basic", dbs_checked_on="0001-01-01"))
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2100" in response.content.decode()
    pa.refresh_from_db()
    assert pa.dbs_checked_on is None


def test_a_listing_deleted_or_paused_in_the_admin_leaves_search_at_once():
    seeker = make_profile(role="seeker", postcode="BB1", seeking={"max_km": 20})
    gone = make_profile(role="pa", postcode="BB1", travel_km=20)
    paused = make_profile(role="pa", postcode="BB1", travel_km=20)
    assert {gone.ref, paused.ref} <= set(_refs(seeker))
    client, _ = staff_client()
    response = client.post(f"/admin/profiles/profile/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        "/admin/profiles/profile/", {"action": "pause_listings", "_selected_action": [paused.pk], "index": 0}
    )
    assert response.status_code == 302
    assert not Profile.objects.filter(pk=gone.pk).exists()
    assert Profile.objects.get(pk=paused.pk).status == Profile.Status.PAUSED
    assert RegisterChange.objects.filter(kind=RegisterChange.Kind.PROFILE, object_id=gone.pk).count() >= 2
    refs = _refs(seeker)
    assert gone.ref not in refs and paused.ref not in refs


# --- Trust claims: "document seen" only through the service, which records who and when ----------------------


def test_document_seen_in_the_admin_records_who_checked_and_when():
    pa = make_profile(role="pa", postcode="BB1")
    claim = profile_services.claim_add(
        profile=pa, actor=pa.user, kind=TrustClaim.Kind.values[0], detail="DBS certificate"
    )
    client, staff = staff_client()
    organisation = Organisation.objects.create(name="Blackburn Peer Network")
    OrganisationMembership.objects.create(
        user=staff, organisation=organisation, role=OrganisationMembership.Role.COORDINATOR
    )

    # The change form cannot set it: the claim is read-only.
    response = client.post(
        f"/admin/profiles/trustclaim/{claim.pk}/change/", {"status": TrustClaim.Status.DOCUMENT_SEEN}
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == TrustClaim.Status.SELF_DECLARED

    response = client.post(
        "/admin/profiles/trustclaim/", {"action": "record_document_seen", "_selected_action": [claim.pk], "index": 0}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == TrustClaim.Status.DOCUMENT_SEEN
    assert (claim.checked_by, claim.checked_by_organisation, claim.checked_on) == (
        staff,
        organisation,
        timezone.localdate(),
    )


def test_staff_who_coordinate_nothing_are_told_and_nothing_changes():
    pa = make_profile(role="pa", postcode="BB1")
    claim = profile_services.claim_add(
        profile=pa, actor=pa.user, kind=TrustClaim.Kind.values[0], detail="DBS certificate"
    )
    client, _ = staff_client()
    response = client.post(
        "/admin/profiles/trustclaim/",
        {"action": "record_document_seen", "_selected_action": [claim.pk], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert "Only a coordinator of an organisation can record that they saw a document" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == TrustClaim.Status.SELF_DECLARED and claim.checked_by is None


# --- Panels: set up in the admin, saved through ratings.services ------------------------------------------------


def test_a_panel_set_up_in_the_admin_is_saved_through_the_service(monkeypatch):
    from ratings import services as ratings_services

    calls = []
    for name in ("panel_save", "panel_member_save", "panel_member_remove"):
        real = getattr(ratings_services, name)
        monkeypatch.setattr(
            ratings_services, name, lambda _real=real, _name=name, **kw: (calls.append(_name), _real(**kw))[1]
        )
    client, _ = staff_client()
    member = UserFactory()
    response = client.post(
        "/admin/ratings/panel/add/",
        {
            "name": "Blackburn panel",
            "area_prefix": "BB",
            "criteria": "Kind, reliable, listens.",
            "created_at_0": "2026-01-05",
            "created_at_1": "10:00:00",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
            "members-0-user": member.pk,
            "members-0-kind": PanelMember.Kind.PEER_ADVISOR,
            "members-0-joined_at_0": "2026-01-05",
            "members-0-joined_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    panel = Panel.objects.get(name="Blackburn panel")
    assert list(panel.members.values_list("user_id", flat=True)) == [member.pk]
    assert calls == ["panel_save", "panel_member_save"]


# --- Rates table (planning): edited in the admin, saved through planning.services.rates_table_save -------------


def test_rates_edited_in_the_admin_are_saved_through_the_service(monkeypatch):
    from django.forms.models import model_to_dict

    from planning import services as planning_services
    from planning.models import RatesTable

    calls = []
    real = planning_services.rates_table_save
    monkeypatch.setattr(
        planning_services, "rates_table_save", lambda **kw: (calls.append(kw["actor"].pk), real(**kw))[1]
    )
    client, staff = staff_client()
    table = RatesTable.objects.get(label="2026/27")
    data = {k: v for k, v in model_to_dict(table).items() if k not in ("id", "updated_by") and v is not None}
    data["sources"] = '{"min_wage_21_plus_pence": "https://www.gov.uk/national-minimum-wage-rates"}'
    url = f"/admin/planning/ratestable/{table.pk}/change/"
    response = client.post(url, {**data, "min_wage_21_plus_pence": 1280})
    assert response.status_code == 302, response.content.decode()[:3000]
    table.refresh_from_db()
    assert (table.min_wage_21_plus_pence, table.updated_by) == (1280, staff)
    assert calls == [staff.pk]
    # The service's checks show on the form: a lower limit above the upper one is refused, nothing saved.
    response = client.post(url, {**data, "qe_lower_pence": 6_000_000})
    assert response.status_code == 200
    assert "The upper limit must be above the lower limit." in response.content.decode()
    table.refresh_from_db()
    assert table.qe_lower_pence == 624_000
