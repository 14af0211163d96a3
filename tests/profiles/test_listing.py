from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from profiles import services
from profiles.models import Profile, ProxyLink, TrustClaim
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = pytest.mark.django_db


def test_anyone_can_list_themselves_without_approval(user):
    profile = services.profile_create(actor=user, role="pa", display_name="Alex B.", postcode="BB1 2AB")
    assert profile.status == Profile.Status.DRAFT
    services.profile_publish(profile=profile, actor=user)
    assert Profile.objects.listed().filter(pk=profile.pk).exists()


def test_a_full_postcode_is_never_stored(user):
    profile = services.profile_create(actor=user, role="pa", display_name="Alex B.", postcode="bb1 2ab")
    stored = Profile.objects.filter(pk=profile.pk).values().get()
    assert profile.outcode == "BB1"
    assert not any("2AB" in str(value).upper() for value in stored.values())


def test_text_that_is_not_a_postcode_is_a_field_error(user):
    with pytest.raises(ValidationError) as error:
        services.profile_create(actor=user, role="pa", display_name="Alex B.", postcode="my house")
    assert "postcode" in error.value.message_dict


def test_the_owner_can_pause_and_remove_a_listing_at_any_time(user):
    profile = make_profile(user)
    services.profile_pause(profile=profile, actor=user)
    assert not Profile.objects.listed().filter(pk=profile.pk).exists()
    services.profile_remove(profile=profile, actor=user)
    assert not Profile.objects.filter(pk=profile.pk).exists()


def test_nobody_else_can_change_a_listing(user, other_user):
    profile = make_profile(user)
    with pytest.raises(PermissionDenied):
        services.profile_update(profile=profile, actor=other_user, data={"about": "hijacked"})
    with pytest.raises(PermissionDenied):
        services.profile_pause(profile=profile, actor=other_user)


def test_a_proxy_can_act_for_a_seeker_until_the_seeker_revokes_it(user, other_user):
    seeker_profile = make_profile(user, role="seeker")
    link = services.proxy_link_create(seeker=user, proxy_email=other_user.email, relationship="daughter")
    services.profile_update(profile=seeker_profile, actor=other_user, data={"about": "Dad likes walking."})
    services.proxy_link_revoke(link=link, actor=user)
    assert not ProxyLink.objects.get(pk=link.pk).is_active
    with pytest.raises(PermissionDenied):
        services.profile_update(profile=seeker_profile, actor=other_user, data={"about": "again"})


def test_peer_advisors_do_not_set_a_rate(user):
    with pytest.raises(ValidationError) as error:
        make_profile(user, role="peer_advisor", hourly_rate=Decimal("12.00"))
    assert "volunteers" in error.value.message_dict["hourly_rate"][0]


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-3"), Decimal("900")])
def test_absurd_rates_are_rejected_with_a_clear_message(user, rate):
    with pytest.raises(ValidationError) as error:
        make_profile(user, role="pa", hourly_rate=rate)
    assert "hourly rate between" in error.value.message_dict["hourly_rate"][0]


def test_a_malformed_time_slot_says_how_to_write_one(user):
    with pytest.raises(ValidationError) as error:
        make_profile(user, availability=["monday morning"])
    assert "mon 09:00-13:00" in error.value.message_dict["availability"][0]


def test_claims_are_self_declared_until_a_coordinator_sees_the_document(user):
    profile = make_profile(user)
    claim = services.claim_add(profile=profile, actor=user, kind="qualification", detail="Level 3 Diploma")
    assert claim.honest_status == "Self-declared: nobody has checked this."
    organisation = OrganisationFactory(name="Calderdale Peer Network")
    coordinator = UserFactory(preferred_name="Sam")
    services.organisation_add_coordinator(organisation=organisation, user=coordinator)
    services.claim_record_document_seen(claim=claim, actor=coordinator, organisation=organisation)
    claim.refresh_from_db()
    assert claim.status == TrustClaim.Status.DOCUMENT_SEEN
    assert "Document seen by Sam of Calderdale Peer Network on" in claim.honest_status
    assert "vetted" not in claim.honest_status.lower() and "approved" not in claim.honest_status.lower()


def test_only_a_coordinator_can_record_a_document_as_seen(user, other_user):
    claim = services.claim_add(profile=make_profile(user), actor=user, kind="dbs", detail="Enhanced DBS")
    with pytest.raises(PermissionDenied):
        services.claim_record_document_seen(claim=claim, actor=other_user, organisation=OrganisationFactory())


def test_a_person_can_hold_several_roles(user):
    make_profile(user, role="pa")
    make_profile(user, role="peer_advisor")
    assert {"pa", "peer_advisor"} <= user.roles
    with pytest.raises(ValidationError):
        make_profile(user, role="pa")
