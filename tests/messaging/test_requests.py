import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from messaging import services
from messaging.models import ContactRequest, Conversation
from profiles.models import Connection
from profiles.services import block_create

pytestmark = pytest.mark.django_db


def test_a_seeker_sends_a_request_from_the_profile_page_and_sees_it_waiting(client, seeker, listing):
    client.force_login(seeker)
    url = reverse("messaging:contact-request-create", args=[listing.ref])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "Hello, could you help on Tuesday mornings?"}, follow=True)
    assert "Your request is sent to Sam the PA" in response.content.decode()
    assert ContactRequest.objects.get().status == ContactRequest.Status.OPEN


def test_accepting_a_request_starts_a_conversation_and_a_connection(client, seeker, supporter, listing):
    item = services.contact_request_create(sender=seeker, profile=listing, message="Hello there.")
    client.force_login(supporter)
    response = client.post(reverse("messaging:request-accept", args=[item.pk]), follow=True)
    conversation = Conversation.objects.get()
    assert response.redirect_chain[-1][0] == conversation.get_absolute_url()
    assert "Hello there." in response.content.decode()
    assert Connection.between(seeker.pk, supporter.pk).exists()


def test_a_polite_decline_is_one_click_and_the_sender_sees_the_reason(client, seeker, supporter, listing):
    item = services.contact_request_create(sender=seeker, profile=listing, message="Hello there.")
    client.force_login(supporter)
    client.post(reverse("messaging:request-decline", args=[item.pk]), {"reason": "too_far"})
    item.refresh_from_db()
    assert item.status == ContactRequest.Status.DECLINED
    assert not Conversation.objects.exists()
    client.force_login(seeker)
    page = client.get(reverse("messaging:requests")).content.decode()
    assert "Declined" in page and "I do not cover your area" in page


def test_only_one_open_request_per_pair_in_either_direction(seeker, supporter, listing):
    services.contact_request_create(sender=seeker, profile=listing, message="First.")
    with pytest.raises(ValidationError, match="already a contact request waiting"):
        services.contact_request_create(sender=seeker, profile=listing, message="Second.")


def test_blocked_people_cannot_send_requests_to_each_other(client, seeker, supporter, listing):
    block_create(blocker=supporter, blocked=seeker)
    with pytest.raises(PermissionDenied):
        services.contact_request_create(sender=seeker, profile=listing, message="Hello.")
    client.force_login(seeker)
    assert client.get(reverse("messaging:contact-request-create", args=[listing.ref])).status_code == 404


def test_only_the_recipient_can_answer_a_request(client, seeker, stranger, listing):
    item = services.contact_request_create(sender=seeker, profile=listing, message="Hello.")
    client.force_login(stranger)
    assert client.post(reverse("messaging:request-accept", args=[item.pk])).status_code == 404
    client.force_login(seeker)
    assert client.post(reverse("messaging:request-accept", args=[item.pk])).status_code == 404


def test_a_request_message_that_is_too_long_gets_a_clear_error(client, seeker, listing):
    client.force_login(seeker)
    response = client.post(reverse("messaging:contact-request-create", args=[listing.ref]), {"message": "x" * 501})
    assert "up to 500 characters" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_contact_details_stay_hidden_until_both_choose_to_share(client, conversation, seeker, supporter):
    url = conversation.get_absolute_url()
    client.force_login(seeker)
    client.post(reverse("messaging:share", args=[conversation.pk]), {"details": "07700 900123"})
    client.force_login(supporter)
    assert "07700 900123" not in client.get(url).content.decode()
    client.post(reverse("messaging:share", args=[conversation.pk]), {"details": "sam@example.org"})
    assert "07700 900123" in client.get(url).content.decode()
    client.force_login(seeker)
    assert "sam@example.org" in client.get(url).content.decode()


def test_the_api_sends_and_accepts_contact_requests(client, seeker, supporter, listing):
    client.force_login(seeker)
    response = client.post(
        "/api/v1/contact-requests/", {"profile": listing.ref, "message": "Hi."}, content_type="application/json"
    )
    assert response.status_code == 201
    again = client.post(
        "/api/v1/contact-requests/", {"profile": listing.ref, "message": "Hi."}, content_type="application/json"
    )
    assert again.status_code == 400 and "already a contact request" in again.content.decode()
    client.force_login(supporter)
    accepted = client.post(f"/api/v1/contact-requests/{response.json()['id']}/accept/")
    assert accepted.status_code == 200 and Conversation.objects.filter(pk=accepted.json()["conversation"]).exists()
