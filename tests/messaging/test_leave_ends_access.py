"""Leaving a conversation ends access: the leaver keeps what was said before they left, nothing after, on the
page, in the API (both ways of paging) and on a socket. One selector rule decides for all of them."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from django.utils import timezone

from marketplace.asgi import application
from messaging import services
from messaging.models import Membership
from profiles.services import organisation_add_coordinator
from tests.factories import OrganisationFactory, UserFactory, make_profile

BEFORE = "Said before Sam left"
AFTER = "Said after Sam left"


def _introduction():
    """A coordinator, a seeker and a supporter in one thread, so two can go on talking when one leaves."""
    from allauth.mfa.models import Authenticator

    coordinator, seeker = UserFactory(preferred_name="Cora"), UserFactory(preferred_name="Sara")
    supporter = make_profile(UserFactory(preferred_name="Sam"), role="peer_advisor").user
    organisation_add_coordinator(organisation=OrganisationFactory(), user=coordinator)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    conversation = services.conversation_introduce(coordinator=coordinator, seeker=seeker, supporter=supporter)
    return coordinator, seeker, supporter, conversation


@pytest.mark.django_db
def test_after_leaving_the_page_and_api_show_what_was_said_before_and_nothing_after(client):
    coordinator, seeker, supporter, conversation = _introduction()
    services.message_send(conversation=conversation, sender=seeker, body=BEFORE)
    client.force_login(supporter)
    assert client.post(reverse("messaging:leave", args=[conversation.pk])).status_code == 302
    later = services.message_send(conversation=conversation, sender=seeker, body=AFTER)
    services.message_send(conversation=conversation, sender=coordinator, body="And a reply from Cora")

    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert BEFORE in page and AFTER not in page and "And a reply from Cora" not in page
    api = f"/api/v1/conversations/{conversation.pk}/messages/"
    for url in (api, api + "?after=0"):
        bodies = [m["body"] for m in client.get(url).json()["results"]]
        assert BEFORE in bodies and AFTER not in bodies, url
    # Nor can they reach a later message another way (reporting it): it is not theirs to see.
    assert client.get(reverse("messaging:report-message", args=[later.pk])).status_code == 404
    assert client.post("/api/v1/reports/", {"message": later.pk, "reason": "spam"}).status_code == 404
    # The people still in the conversation see everything.
    client.force_login(seeker)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert BEFORE in page and AFTER in page


# Sockets ----------------------------------------------------------------------------------------------


@pytest.fixture
def _fresh_layer():
    from channels.layers import channel_layers

    channel_layers.backends = {}


async def _socket(conversation, user):
    from asgiref.sync import sync_to_async
    from django.test import Client

    @sync_to_async
    def cookie():
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    headers = [(b"origin", b"http://testserver"), (b"cookie", await cookie())]
    communicator = WebsocketCommunicator(application, f"/ws/conversations/{conversation.pk}/", headers=headers)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    return communicator


async def _next(communicator, kind: str):
    while True:
        event = await communicator.receive_json_from(timeout=3)
        if event["type"] == kind:
            return event


@pytest.mark.django_db(transaction=True)
async def test_a_socket_stops_delivering_once_its_person_has_left_even_before_the_close_arrives(_fresh_layer):
    coordinator, seeker, supporter, conversation = await database_sync_to_async(_introduction)()
    staying, leaving = await _socket(conversation, coordinator), await _socket(conversation, supporter)
    # The leave is in the database, but its close event has not reached this socket (another worker, a lost event).
    await database_sync_to_async(
        lambda: Membership.objects.filter(conversation=conversation, user=supporter).update(left_at=timezone.now())
    )()
    await database_sync_to_async(services.message_send)(conversation=conversation, sender=seeker, body=AFTER)
    assert (await _next(staying, "message"))["message"]["body"] == AFTER  # it was broadcast to the group
    assert await leaving.receive_nothing(timeout=0.5)  # but not forwarded to the person who left
    # Asking the socket to catch up does not hand it over either.
    await leaving.send_json_to({"type": "resync", "after": 0})
    events = []
    while (event := await leaving.receive_json_from(timeout=3))["type"] != "resynced":
        events.append(event)
    assert AFTER not in [e["message"]["body"] for e in events if e["type"] == "message"]
    await staying.disconnect()
    await leaving.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_leaving_closes_the_socket_and_nothing_said_later_reaches_it(_fresh_layer):
    coordinator, seeker, supporter, conversation = await database_sync_to_async(_introduction)()
    staying, leaving = await _socket(conversation, coordinator), await _socket(conversation, supporter)
    await database_sync_to_async(services.conversation_leave)(conversation=conversation, user=supporter)
    await database_sync_to_async(services.message_send)(conversation=conversation, sender=seeker, body=AFTER)
    assert (await _next(staying, "message"))["message"]["body"] == AFTER
    outputs = []
    while (output := await leaving.receive_output(timeout=3))["type"] != "websocket.close":
        outputs.append(output)
    assert AFTER not in str(outputs)
    await staying.disconnect()
