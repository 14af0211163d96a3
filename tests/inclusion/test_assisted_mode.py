"""Help from a trusted person (issue 17, item 6): a proxy or coordinator helps a person fill in sign-up, their
profile and their plan. What changed is noted with who helped; consent to keep special-category data is the
person's own (a proxy cannot give it, for lived experience, health or the plan); the person confirms later from
their own sign-in; the summary is for the person and the helper only."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inclusion import assisted
from inclusion.assisted_models import AssistedChange, AssistedSession, ConsentWaiting
from notifications.models import Kind, Notification
from planning import services as planning
from planning.models import Plan
from profiles import services as profiles
from profiles.models import ConsentRecord, Organisation, OrganisationMembership, ProxyLink
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db
CANARY = "CANARY-bipolar-3307"


@pytest.fixture
def person(db):
    return UserFactory(preferred_name="Ana")


@pytest.fixture
def proxy(person):
    helper = UserFactory(preferred_name="Dev")
    ProxyLink.objects.create(seeker=person, proxy=helper, relationship="brother")
    return helper


def test_a_proxy_assisted_sign_up_cannot_give_special_category_consent_for_the_person(
    client, person, proxy, django_capture_on_commit_callbacks
):
    profile = make_profile(person, role="seeker", display_name="Ana")
    client.force_login(proxy)
    client.post(reverse("inclusion:assisted-start"), {"person": person.pk})
    session = AssistedSession.objects.get(person=person, helper=proxy)
    assert not session.started_by_person and session.helper_role == "proxy"

    # The service refuses, with a plain message.
    with pytest.raises(PermissionDenied) as refused:
        profiles.consent_give(profile=profile, actor=proxy)
    assert str(refused.value) == "Only Ana can agree to this. Ask them to sign in and confirm."
    # The page shows the message instead of the consent form; posting asks the person to confirm.
    url = reverse("profiles:sensitive", args=[profile.pk])
    page = client.get(url).content.decode()
    assert "Only Ana can agree to this. Ask them to sign in and confirm." in page and "Give consent" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"consent": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.has_sensitive_consent and not ConsentRecord.objects.filter(profile=profile).exists()
    # Nor can the proxy then add lived experience or health details.
    with pytest.raises(ValidationError):
        profiles.sensitive_update(profile=profile, actor=proxy, lived_experience=["mental health"])
    waiting = ConsentWaiting.objects.get(person=person)
    assert (waiting.helper, waiting.session, waiting.link, waiting.confirmed_at) == (proxy, session, url, None)
    # The person hears of it in the notification centre (fixed words only).
    notification = Notification.objects.get(recipient=person, kind=Kind.CONSENT_TO_CONFIRM)
    assert notification.link == reverse("inclusion:assisted")

    # The person, signed in as themselves, sees it waiting and agrees; it is no longer waiting.
    client.force_login(person)
    assert url in client.get(reverse("inclusion:assisted")).content.decode()
    client.post(url, {"agree": "on"})
    profile.refresh_from_db()
    assert profile.has_sensitive_consent
    assert ConsentRecord.objects.get(profile=profile).recorded_by == person
    waiting.refresh_from_db()
    assert waiting.confirmed_at is not None


def test_a_proxy_cannot_agree_to_keep_the_plan_but_the_person_can(client, person, proxy):
    with pytest.raises(PermissionDenied):
        planning.plan_create(owner=person, actor=proxy, consent=True, starts_on=date(2026, 6, 1))
    assert not Plan.objects.exists()
    line = planning.add_resource_line(user=person, resource_id=7, title="Choir")  # a plan awaiting consent
    plan = line.plan
    with pytest.raises(PermissionDenied) as refused:
        planning.plan_consent_give(plan=plan, actor=proxy)
    assert "Only Ana can agree to this" in str(refused.value)
    client.force_login(proxy)
    url = reverse("planning:consent", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Only Ana can agree to this. Ask them to sign in and confirm." in page
    client.post(url, {"consent": "on"})
    plan.refresh_from_db()
    assert plan.consent_given_at is None
    assert ConsentWaiting.objects.get(person=person, key=f"plan-consent:{plan.pk}").confirmed_at is None
    client.force_login(person)
    client.post(url, {"consent": "on"})
    plan.refresh_from_db()
    assert plan.consent_given_at is not None
    assert ConsentWaiting.objects.get(person=person, key=f"plan-consent:{plan.pk}").confirmed_at is not None


def test_assisted_edits_record_who_helped_and_the_summary_says_it_plainly(client, person, proxy, caplog):
    caplog.set_level(logging.DEBUG)
    profile = make_profile(person, role="seeker", display_name="Ana")
    plan = planning.plan_create(owner=person, actor=person, consent=True, starts_on=date(2026, 6, 1))
    profiles.profile_update(profile=profile, actor=proxy, data={"about": "Before assisted mode"})
    assert not AssistedChange.objects.exists()  # nothing is noted outside a session

    session = assisted.session_start(actor=proxy, person=person, helper=proxy)
    profiles.profile_update(profile=profile, actor=proxy, data={"about": f"I like {CANARY}"})
    planning.section_save(plan=plan, actor=proxy, key="keeping_safe", text=CANARY)
    planning.line_add(plan=plan, actor=proxy, kind="one_off", title=CANARY, amount_pence=1000)
    changes = list(session.changes.values_list("area", "what", "by_helper"))
    assert changes == [
        ("profile", "About you", True),
        ("plan", "Plan: Keeping myself safe", True),
        ("plan", "Plan: the costing", True),
    ]
    # The person's own edits at home in the meantime are not the helper's session.
    profiles.profile_update(profile=profile, actor=person, data={"about": "On my own"})
    assert session.changes.count() == 3

    url = reverse("inclusion:assisted-summary", args=[session.pk])
    for viewer, who in ((proxy, "You helped Ana."), (person, "Dev helped you.")):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert who in page and "Keeping myself safe" in page and "Dev typed it." in page
        assert CANARY not in page  # what was typed is never on the summary, only which part
    assert CANARY not in "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert not any(CANARY in m.subject + m.body for m in mail.outbox)

    # Ending it stops the noting.
    client.force_login(proxy)
    client.post(reverse("inclusion:assisted-end", args=[session.pk]))
    profiles.profile_update(profile=profile, actor=proxy, data={"about": "After"})
    assert session.changes.count() == 3

    # Download my data has the session (names of parts only).
    client.force_login(person)
    data = json.loads(client.get(reverse("profiles:data-download")).content)["assisted_mode"]
    assert data["sessions"][0]["helper"] == "Dev" and len(data["sessions"][0]["changes"]) == 3


def test_the_person_can_start_it_with_their_coordinator_beside_them_for_sign_up(client, person):
    coordinator = UserFactory(preferred_name="Cleo")
    organisation = Organisation.objects.create(name="Ana's peer group")
    OrganisationMembership.objects.create(user=coordinator, organisation=organisation, role="coordinator")
    stranger = UserFactory()
    profile = make_profile(person, role="seeker", display_name="Ana")
    profile.organisation = organisation
    profile.save(update_fields=["organisation"])
    client.force_login(person)
    assert "Cleo (your coordinator)" in client.get(reverse("inclusion:assisted")).content.decode()
    # Someone who is neither a proxy nor their coordinator is refused, with a message.
    response = client.post(reverse("inclusion:assisted-start"), {"helper": stranger.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    client.post(reverse("inclusion:assisted-start"), {"helper": coordinator.pk})
    session = AssistedSession.objects.get(person=person)
    assert session.started_by_person and session.helper_role == "coordinator"
    # Filling in together from the person's own sign-in is noted as helped by the coordinator...
    make_profile(person, role="peer_advisor", display_name="Ana")
    assert ("sign-up", "Your name on the register", False) in session.changes.values_list("area", "what", "by_helper")
    # ...and the person can give their own consent while the coordinator is beside them.
    client.post(reverse("profiles:sensitive", args=[profile.pk]), {"agree": "on"})
    profile.refresh_from_db()
    assert profile.has_sensitive_consent
    # A coordinator cannot start it from their own sign-in (they cannot change someone else's details).
    with pytest.raises(PermissionDenied):
        assisted.session_start(actor=coordinator, person=person, helper=coordinator)
    # Coordinators sign in with a second factor (the site asks every coordinator for one).
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(coordinator)
    assert "You helped Ana." in client.get(reverse("inclusion:assisted-summary", args=[session.pk])).content.decode()


def test_another_persons_session_is_404(client, person, proxy, other_user):
    session = assisted.session_start(actor=proxy, person=person, helper=proxy)
    client.force_login(other_user)
    assert client.get(reverse("inclusion:assisted-summary", args=[session.pk])).status_code == 404
    assert client.post(reverse("inclusion:assisted-end", args=[session.pk])).status_code == 404
    assert client.get(reverse("inclusion:assisted-summary", args=[2**62])).status_code == 404
    session.refresh_from_db()
    assert session.is_active
    # Nor can they start a session for someone they do not act for.
    response = client.post(reverse("inclusion:assisted-start"), {"person": person.pk})
    assert response.status_code == 200 and not AssistedSession.objects.filter(helper=other_user).exists()
    with pytest.raises(PermissionDenied):
        assisted.session_start(actor=other_user, person=person, helper=other_user)


def test_the_api_refuses_a_proxys_consent_with_the_plain_message(client, person, proxy):
    profile = make_profile(person, role="seeker", display_name="Ana")
    client.force_login(proxy)
    response = client.post(f"/api/v1/me/profiles/{profile.pk}/consent/")
    assert response.status_code == 403
    assert "Only Ana can agree to this. Ask them to sign in and confirm." in response.content.decode()
    profile.refresh_from_db()
    assert not profile.has_sensitive_consent
    client.force_login(person)
    assert client.post(f"/api/v1/me/profiles/{profile.pk}/consent/").status_code == 200
