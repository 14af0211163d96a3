"""The live socket through the real ASGI application (origin check, session auth, routing)."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from marketplace.asgi import application
from messaging import services
from profiles.services import block_create
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = b"http://testserver"


@sync_to_async
def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@database_sync_to_async
def _people_and_conversation():
    seeker, supporter, stranger = UserFactory(), UserFactory(), UserFactory()
    listing = make_profile(supporter)
    request = services.contact_request_create(sender=seeker, profile=listing, message="Hello.")
    conversation = services.contact_request_accept(contact_request=request, actor=supporter)
    return seeker, supporter, stranger, conversation


async def _socket(conversation, user=None, origin=ORIGIN):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await _session_cookie(user)))
    communicator = WebsocketCommunicator(application, f"/ws/conversations/{conversation.pk}/", headers=headers)
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code


async def _next_message(communicator):
    while True:
        event = await communicator.receive_json_from(timeout=3)
        if event["type"] == "message":
            return event["message"]


async def test_a_bad_origin_no_session_and_a_non_member_are_refused():
    seeker, _, stranger, conversation = await _people_and_conversation()
    _, connected, _ = await _socket(conversation, seeker, origin=b"http://evil.example")
    assert not connected
    _, connected, code = await _socket(conversation, None)
    assert not connected and code == 4401
    _, connected, code = await _socket(conversation, stranger)
    assert not connected and code == 4403


async def test_two_members_exchange_messages_live():
    seeker, supporter, _, conversation = await _people_and_conversation()
    a, connected_a, _ = await _socket(conversation, seeker)
    b, connected_b, _ = await _socket(conversation, supporter)
    assert connected_a and connected_b
    await a.send_json_to({"type": "send", "body": "Are you free on Tuesday?", "ref": "r1"})
    received = await _next_message(b)
    assert received["body"] == "Are you free on Tuesday?" and received["mine"] is False
    own = await _next_message(a)
    assert own["id"] == received["id"] and own["mine"] is True
    await b.send_json_to({"type": "send", "body": "Yes, WhatsApp me on 07700 900123"})
    reply = await _next_message(a)
    assert reply["body"].startswith("Yes") and "Safety note" in reply["note"]
    await a.disconnect()
    await b.disconnect()


async def test_a_reconnecting_client_resyncs_with_no_gaps_or_duplicates():
    seeker, supporter, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)
    await a.send_json_to({"type": "resync", "after": 0})
    first = await _next_message(a)
    await a.disconnect()
    for n in range(5):  # sent while the seeker is away
        await database_sync_to_async(services.message_send)(
            conversation=conversation, sender=supporter, body=f"away {n}"
        )
    a, _, _ = await _socket(conversation, seeker)
    await a.send_json_to({"type": "resync", "after": first["id"]})
    await a.send_json_to({"type": "resync", "after": first["id"]})  # a client retrying must not see repeats
    seen = []
    while True:
        event = await a.receive_json_from(timeout=3)
        if event["type"] == "message":
            seen.append(event["message"]["body"])
        elif event["type"] == "resynced" and len(seen) >= 5:
            break
    await database_sync_to_async(services.message_send)(conversation=conversation, sender=supporter, body="live again")
    seen.append((await _next_message(a))["body"])
    assert seen == [f"away {n}" for n in range(5)] + ["live again"]
    await a.disconnect()


async def test_a_block_closes_both_peoples_sockets():
    seeker, supporter, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)
    b, _, _ = await _socket(conversation, supporter)
    await database_sync_to_async(block_create)(blocker=supporter, blocked=seeker)
    for communicator in (a, b):
        closed = await communicator.receive_output(timeout=3)
        assert closed["type"] == "websocket.close"
    _, connected, _ = await _socket(conversation, seeker)
    assert not connected


async def test_signing_out_closes_the_persons_sockets():
    seeker, _, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)

    @sync_to_async
    def sign_out():
        client = Client()
        client.force_login(seeker)
        client.post("/accounts/logout/")

    await sign_out()
    assert (await a.receive_output(timeout=3))["type"] == "websocket.close"


async def test_changing_a_password_closes_the_persons_sockets():
    from allauth.account.signals import password_changed

    seeker, _, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)
    await sync_to_async(password_changed.send)(sender=type(seeker), request=None, user=seeker)
    assert (await a.receive_output(timeout=3))["type"] == "websocket.close"


async def test_leaving_a_conversation_closes_that_socket_and_refuses_a_new_one():
    seeker, _, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)
    await database_sync_to_async(services.conversation_leave)(conversation=conversation, user=seeker)
    assert (await a.receive_output(timeout=3))["type"] == "websocket.close"
    _, connected, code = await _socket(conversation, seeker)
    assert not connected and code == 4403


async def test_a_send_racing_a_block_is_refused_before_the_socket_closes():
    # The block's close event may not have reached this socket yet: the send itself must still be refused.
    from profiles.models import Block

    seeker, supporter, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)
    await a.send_json_to({"type": "send", "body": "Before", "ref": "r1"})
    assert (await _next_message(a))["body"] == "Before"
    await database_sync_to_async(Block.objects.create)(blocker=supporter, blocked=seeker)  # no close event
    await a.send_json_to({"type": "send", "body": "After the block", "ref": "r2"})
    while (reply := await a.receive_json_from(timeout=3))["type"] == "sent":
        pass
    assert reply["type"] == "error" and reply["ref"] == "r2" and "blocked" in reply["message"]
    bodies = await database_sync_to_async(lambda: list(conversation.messages.values_list("body", flat=True)))()
    assert "After the block" not in bodies
    await a.disconnect()


async def test_a_send_after_leaving_is_refused_before_the_socket_closes():
    from django.utils import timezone

    from messaging.models import Membership

    seeker, _, _, conversation = await _people_and_conversation()
    a, _, _ = await _socket(conversation, seeker)
    await database_sync_to_async(
        lambda: Membership.objects.filter(conversation=conversation, user=seeker).update(left_at=timezone.now())
    )()  # no close event
    await a.send_json_to({"type": "send", "body": "Still here?", "ref": "r1"})
    reply = await a.receive_json_from(timeout=3)
    assert reply["type"] == "error" and reply["ref"] == "r1"
    await a.disconnect()


@pytest.mark.parametrize(
    "frame, reason",
    [
        ({"text_data": "this is not json"}, "That frame was not JSON."),
        ({"bytes_data": b"\x00\x01"}, "This socket takes text frames of JSON, not binary."),
        ({"text_data": "[1, 2, 3]"}, "Unknown request"),
        ({"text_data": '{"type": "shout"}'}, "Unknown request"),
        ({"text_data": '{"type": "send", "body": {"nested": true}}'}, "A send request needs a body that is text."),
        ({"text_data": '{"type": "resync", "after": "yesterday"}'}, "A resync request's after must be a whole number"),
        ({"text_data": '{"type": "read", "up_to": -4}'}, "A read request's up_to must be a whole number"),
    ],
)
async def test_a_frame_that_is_not_a_json_request_gets_a_clean_close_with_a_reason(frame, reason):
    seeker, _, _, conversation = await _people_and_conversation()
    socket, connected, _ = await _socket(conversation, seeker)
    assert connected
    await socket.send_to(**frame)
    closed = await socket.receive_output(timeout=3)
    assert closed["type"] == "websocket.close" and closed["code"] == 4400
    assert closed["reason"].startswith(reason)
    await socket.wait(timeout=3)  # the consumer ended cleanly (a server error would raise here)


async def test_a_ping_is_answered_without_the_channel_layer():
    seeker, _, _, conversation = await _people_and_conversation()
    socket, _, _ = await _socket(conversation, seeker)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    await socket.disconnect()


async def test_the_socket_speaks_the_persons_saved_language():
    """Errors on the live socket come in the language the person chose (saved on their account), as the
    pages do: a Polish reader is told in Polish why a message was refused."""
    from django.utils import translation

    from inclusion.languages import language_save
    from profiles.models import Block

    seeker, supporter, _, conversation = await _people_and_conversation()
    await database_sync_to_async(language_save)(user=seeker, code="pl")
    a, _, _ = await _socket(conversation, seeker)
    await database_sync_to_async(Block.objects.create)(blocker=supporter, blocked=seeker)
    await a.send_json_to({"type": "send", "body": "Hello?", "ref": "r1"})
    reply = await a.receive_json_from(timeout=3)
    english = "You cannot send messages here because one of you has blocked the other."
    with translation.override("pl"):
        polish = translation.gettext(english)
    assert polish != english, "the Polish catalogue translates this message"
    assert reply["type"] == "error" and reply["message"] == polish
    await a.disconnect()
