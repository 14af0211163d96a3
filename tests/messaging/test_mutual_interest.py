"""Interest that can be mutual: "I'm interested" on a listing, and a supporter answering the seeker's
advert. When both have shown interest, both are told "You are both interested" and their conversation
opens, through the pages and the API alike. A block stops it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from matching import search_services
from messaging import interest, services
from messaging.models import ContactRequest, Conversation
from notifications.models import Notification
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile


@pytest.fixture
def seeker_profile(seeker):
    return make_profile(seeker, role="seeker", display_name="Sara", listed=False)


@pytest.fixture
def advert(seeker_profile):
    return search_services.advert_create(
        seeker_profile=seeker_profile, actor=seeker_profile.user, title="PA wanted", what="Help on Monday mornings."
    )


@pytest.fixture
def pa_listing(supporter):
    return make_profile(supporter, role="pa", display_name="Sam the PA", travel_km=25, hourly_rate=Decimal("15.00"))


def respond(advert, pa_listing, message="I live nearby and I am free on Mondays."):
    return search_services.advert_respond(
        advert=advert, supporter_profile=pa_listing, actor=pa_listing.user, message=message
    )


def mutual_notices(user) -> int:
    return Notification.objects.filter(recipient=user, kind="mutual_interest").count()


def test_one_side_only_is_not_mutual(seeker, supporter, pa_listing, advert, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = respond(advert, pa_listing)
    assert response.conversation_url is None
    assert not interest.both_interested(seeker.pk, supporter.pk)
    assert not Conversation.objects.exists()
    assert mutual_notices(seeker) == mutual_notices(supporter) == 0


def test_seeker_interested_after_the_supporter_answered_the_advert_opens_the_conversation(
    seeker, supporter, pa_listing, advert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        respond(advert, pa_listing)
        sent = services.contact_request_create(sender=seeker, profile=pa_listing, message="Hello Sam, yes please.")
    assert sent.status == ContactRequest.Status.ACCEPTED and sent.conversation_id
    assert interest.both_interested(seeker.pk, supporter.pk) and interest.both_interested(supporter.pk, seeker.pk)
    conversation = services.conversation_direct_between(seeker, supporter)
    assert conversation.pk == sent.conversation_id
    assert [m.body for m in conversation.messages.all()] == ["Hello Sam, yes please."]
    assert mutual_notices(seeker) == mutual_notices(supporter) == 1
    # The supporter is not also told about a contact request they no longer need to answer.
    assert not Notification.objects.filter(recipient=supporter, kind="contact_request").exists()


def test_supporter_answering_the_advert_of_someone_interested_in_them_opens_it(
    seeker, supporter, pa_listing, advert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_request_create(sender=seeker, profile=pa_listing, message="Could you help on Mondays?")
        response = respond(advert, pa_listing, message="Yes, Mondays suit me.")
    conversation = services.conversation_direct_between(seeker, supporter)
    assert response.conversation_url == conversation.get_absolute_url()
    assert [m.body for m in conversation.messages.all()] == ["Could you help on Mondays?", "Yes, Mondays suit me."]
    assert ContactRequest.objects.get().status == ContactRequest.Status.ACCEPTED
    assert mutual_notices(seeker) == mutual_notices(supporter) == 1


def test_accepting_a_request_is_interest_too(seeker, supporter, pa_listing):
    request = services.contact_request_create(sender=seeker, profile=pa_listing, message="Hello")
    assert not interest.both_interested(seeker.pk, supporter.pk)
    services.contact_request_accept(contact_request=request, actor=supporter)
    assert interest.both_interested(seeker.pk, supporter.pk)


def test_a_block_stops_mutual_interest(seeker, supporter, pa_listing, advert):
    respond(advert, pa_listing)
    profile_services.block_create(blocker=seeker, blocked=supporter)
    assert not interest.both_interested(seeker.pk, supporter.pk)
    with pytest.raises(PermissionDenied):
        services.contact_request_create(sender=seeker, profile=pa_listing, message="Hello")
    assert services.interest_settle(actor=supporter, other=seeker) is None
    assert not Conversation.objects.exists()


def test_a_decline_is_not_interest(seeker, supporter, pa_listing, advert):
    request = services.contact_request_create(sender=seeker, profile=pa_listing, message="Hello")
    services.contact_request_decline(contact_request=request, actor=supporter)
    response = respond(advert, pa_listing)
    assert response.conversation_url is None
    assert not Conversation.objects.exists()


def test_the_pages_say_you_are_both_interested(client, seeker, supporter, pa_listing, advert):
    respond(advert, pa_listing)
    client.force_login(seeker)
    response = client.post(f"/register/{pa_listing.ref}/contact/", {"message": "Yes please"}, follow=True)
    conversation = services.conversation_direct_between(seeker, supporter)
    assert response.redirect_chain[-1][0] == conversation.get_absolute_url()
    assert "You are both interested" in response.content.decode()
    page = client.get(f"/register/{pa_listing.ref}/")
    assert "You are both interested" in page.content.decode()
    assert conversation.get_absolute_url() in page.content.decode()


def test_the_advert_page_opens_the_conversation_for_the_supporter(client, seeker, supporter, pa_listing, advert):
    services.contact_request_create(sender=seeker, profile=pa_listing, message="Hello")
    client.force_login(supporter)
    response = client.post(f"/adverts/{advert.pk}/respond/", {"message": "Happy to help."}, follow=True)
    conversation = services.conversation_direct_between(seeker, supporter)
    assert response.redirect_chain[-1][0] == conversation.get_absolute_url()
    assert "You are both interested" in response.content.decode()


def test_the_api_says_both_interested(client, seeker, supporter, pa_listing, advert):
    respond(advert, pa_listing)
    client.force_login(seeker)
    response = client.post(
        "/api/v1/contact-requests/", {"profile": pa_listing.ref, "message": "Yes"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["both_interested"] is True and body["status"] == "accepted"
    assert body["conversation"] == services.conversation_direct_between(seeker, supporter).pk


def test_the_api_advert_response_returns_the_open_conversation(client, seeker, supporter, pa_listing, advert):
    services.contact_request_create(sender=seeker, profile=pa_listing, message="Hello")
    client.force_login(supporter)
    response = client.post(
        f"/api/v1/adverts/{advert.pk}/respond/", {"message": "Happy to help."}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert (
        response.json()["conversation_url"]
        == services.conversation_direct_between(seeker, supporter).get_absolute_url()
    )


def test_someone_else_cannot_see_the_interest(seeker, supporter, pa_listing, advert):
    respond(advert, pa_listing)
    other = UserFactory()
    assert not interest.both_interested(other.pk, supporter.pk)
    assert not interest.interest_between(seeker.pk, other.pk).b_in_a
