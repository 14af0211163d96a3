"""Listings imported without an account say so, offer no contact that would fail, and can be claimed by their owner."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from profiles import services
from profiles.models import ListingClaim, Profile, RegisterChange
from profiles.register_format import dumps_record, register_import
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

NOT_YET = "Listed from another register; not on Open Circle yet."


@pytest.fixture
def imported():
    register_import(
        [
            dumps_record(
                {"ref": "pa-000777", "role": "pa", "display_name": "Priya K.", "outcode": "BB1", "travel_km": 10}
            )
        ]
    )
    return Profile.objects.get(ref="pa-000777")


@pytest.fixture
def moderator():
    user = UserFactory(preferred_name="Mo Moderator", is_moderator=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def claimant():
    return UserFactory(preferred_name="Priya Kaur")


def test_the_page_says_it_is_not_on_open_circle_and_offers_a_claim_not_a_contact_button(client, imported, claimant):
    client.force_login(claimant)
    page = client.get(imported.get_absolute_url()).content.decode()
    assert NOT_YET in page and "Is this you? Claim this listing" in page
    assert (
        "I&#x27;m interested" not in page
        and reverse("messaging:contact-request-create", args=[imported.ref]) not in page
    )
    form = client.get(reverse("messaging:contact-request-create", args=[imported.ref])).content.decode()
    assert NOT_YET in form and "Send request" not in form  # no message to write that could only fail


def test_signed_out_visitors_are_asked_to_sign_in_to_claim(client, imported):
    page = client.get(imported.get_absolute_url()).content.decode()
    assert NOT_YET in page and "Sign in to claim this listing" in page


def test_a_listing_with_an_account_says_nothing_about_another_register(client, claimant):
    profile = make_profile(UserFactory(), role="pa")
    client.force_login(claimant)
    assert NOT_YET not in client.get(profile.get_absolute_url()).content.decode()
    assert client.get(reverse("listing_claims:new", args=[profile.ref])).status_code == 302
    with pytest.raises(ValidationError):
        services.listing_claim_create(actor=claimant, profile=profile, evidence="It is me")


def test_a_claim_is_sent_a_moderator_approves_it_and_the_listing_joins_the_account(
    client, imported, claimant, moderator, django_capture_on_commit_callbacks
):
    client.force_login(claimant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("listing_claims:new", args=[imported.ref]),
            {"evidence": "I am on the Lancashire PA register as Priya K."},
        )
    assert response.status_code == 302
    claim = ListingClaim.objects.get(profile=imported, claimant=claimant, status="pending")
    assert Notification.objects.filter(recipient=moderator, kind="listing_claim").exists()  # moderators are told
    assert client.get(reverse("listing_claims:queue")).status_code == 404  # not a moderator

    client.force_login(moderator)
    queue = client.get(reverse("listing_claims:queue")).content.decode()
    assert "Lancashire PA register" in queue and "Approve" in queue
    before = RegisterChange.objects.filter(kind="profile", object_id=imported.pk).count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("listing_claims:decide", args=[claim.pk]), {"decision": "approve", "note": "Checked by phone"}
        )
    imported.refresh_from_db()
    claim.refresh_from_db()
    assert imported.user == claimant and claim.status == "approved" and claim.decided_by == moderator
    assert (
        RegisterChange.objects.filter(kind="profile", object_id=imported.pk).count() == before + 1
    )  # search sees the owner
    assert Notification.objects.filter(recipient=claimant, title="Your listing claim was approved").exists()
    client.force_login(claimant)
    assert NOT_YET not in client.get(imported.get_absolute_url()).content.decode()
    assert services.can_edit(imported, claimant)


def test_approving_one_claim_declines_the_others_and_a_declined_claim_changes_nothing(imported, claimant, moderator):
    rival = UserFactory(preferred_name="Someone Else")
    mine = services.listing_claim_create(actor=claimant, profile=imported, evidence="It is me")
    theirs = services.listing_claim_create(actor=rival, profile=imported, evidence="No, me")
    services.listing_claim_decide(claim=theirs, actor=moderator, approve=False, note="Could not check")
    imported.refresh_from_db()
    assert imported.user is None
    other = services.listing_claim_create(actor=rival, profile=imported, evidence="Really me")
    services.listing_claim_decide(claim=mine, actor=moderator, approve=True)
    other.refresh_from_db()
    assert other.status == "declined"
    with pytest.raises(ValidationError):
        services.listing_claim_decide(claim=other, actor=moderator, approve=True)


def test_bad_claims_get_plain_messages_not_errors(client, imported, claimant, moderator):
    client.force_login(claimant)
    response = client.post(reverse("listing_claims:new", args=[imported.ref]), {"evidence": "   "})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    services.listing_claim_create(actor=claimant, profile=imported, evidence="It is me")
    response = client.post(reverse("listing_claims:new", args=[imported.ref]), {"evidence": "Again"})
    assert "You have already asked to claim this listing" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.listing_claim_decide(claim=ListingClaim.objects.get(), actor=claimant, approve=True)


def test_a_moderator_cannot_approve_their_own_claim(imported, moderator):
    claim = services.listing_claim_create(actor=moderator, profile=imported, evidence="Mine")
    with pytest.raises(PermissionDenied):
        services.listing_claim_decide(claim=claim, actor=moderator, approve=True)


def test_a_listing_from_another_register_offers_no_booking_button_either(client, imported, claimant):
    client.force_login(claimant)
    page = client.get(imported.get_absolute_url()).content.decode()
    assert reverse("payments:booking-new", args=[imported.ref]) not in page
