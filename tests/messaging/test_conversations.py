from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from messaging import safety, services
from messaging.models import Conversation, Message, NotificationPreference
from messaging.tasks import SUBJECT, unread_notify
from profiles.services import block_create

pytestmark = pytest.mark.django_db


def _send(client, conversation, body, **kwargs):
    return client.post(reverse("messaging:conversation", args=[conversation.pk]), {"body": body}, **kwargs)


def test_a_member_sends_a_message_with_a_plain_form_and_is_redirected_back(client, conversation, seeker, supporter):
    client.force_login(seeker)
    response = _send(client, conversation, "See you on Tuesday.")
    message = Message.objects.latest("id")
    assert response.status_code == 302 and response["Location"].endswith(f"#message-{message.pk}")
    client.force_login(supporter)
    assert "See you on Tuesday." in client.get(conversation.get_absolute_url()).content.decode()


def test_unread_counts_show_in_the_navigation_and_clear_when_read(client, conversation, seeker, supporter):
    services.message_send(conversation=conversation, sender=seeker, body="Are you free?")
    client.force_login(supporter)
    assert "Messages (2 unread)" in client.get(reverse("messaging:inbox")).content.decode()
    client.get(conversation.get_absolute_url())
    assert "unread)" not in client.get(reverse("messaging:inbox")).content.decode()


def test_the_sender_sees_a_read_receipt_after_the_other_person_reads(client, conversation, seeker, supporter):
    services.message_send(conversation=conversation, sender=seeker, body="Are you free?")
    client.force_login(seeker)
    assert "Seen by Sam Supporter" not in client.get(conversation.get_absolute_url()).content.decode()
    services.conversation_mark_read(conversation=conversation, user=supporter)
    assert "Seen by Sam Supporter" in client.get(conversation.get_absolute_url()).content.decode()


def test_history_is_paged_with_a_link_to_earlier_messages(client, conversation, seeker, settings):
    settings.MESSAGING_RATE_PER_MINUTE = 100
    for n in range(35):
        services.message_send(conversation=conversation, sender=seeker, body=f"Note number {n}")
    client.force_login(seeker)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Note number 34" in page and "Note number 3<" not in page and "Show earlier messages" in page
    first_shown = Message.objects.order_by("-id")[29]
    older = client.get(conversation.get_absolute_url() + f"?before={first_shown.pk}").content.decode()
    assert "Note number 3<" in older and "Note number 34" not in older


def test_money_or_off_platform_messages_are_sent_with_a_friendly_warning_and_a_safety_note(
    client, conversation, seeker, supporter
):
    client.force_login(seeker)
    response = _send(client, conversation, "Please send your bank details, or WhatsApp me on 07700 900123", follow=True)
    assert "keep talking on Open Circle" in response.content.decode()
    message = Message.objects.latest("id")
    assert set(message.safety_flags) == {"money", "off_platform"}
    client.force_login(supporter)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "WhatsApp me" in page and "Safety note: this message asks about money" in page


def test_an_ordinary_message_carries_no_warning(conversation, seeker):
    message = services.message_send(conversation=conversation, sender=seeker, body="Tuesday at ten suits me.")
    assert message.safety_flags == [] and safety.recipient_note(message) == ""


def test_a_message_over_the_size_limit_gets_a_clear_error(client, conversation, seeker):
    client.force_login(seeker)
    response = _send(client, conversation, "x" * 2001)
    assert response.status_code == 400
    assert "Messages can be up to 2,000 characters. Yours has 2,001" in response.content.decode()
    api = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "x" * 2001}, content_type="application/json"
    )
    assert api.status_code == 400 and "up to 2,000 characters" in api.json()["body"][0]


def test_sending_too_fast_is_refused_with_a_clear_429(client, conversation, seeker):
    client.force_login(seeker)
    for n in range(30):
        assert _send(client, conversation, f"message {n}").status_code == 302
    response = _send(client, conversation, "one too many")
    assert response.status_code == 429 and "Please wait a minute" in response.content.decode()
    api = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "again"}, content_type="application/json"
    )
    assert api.status_code == 429 and "Please wait a minute" in api.json()["detail"]
    assert not Message.objects.filter(body__in=["one too many", "again"]).exists()


def test_a_block_stops_sending_both_ways(client, conversation, seeker, supporter):
    block_create(blocker=supporter, blocked=seeker)
    client.force_login(seeker)
    response = _send(client, conversation, "Hello?")
    assert response.status_code == 403 and "one of you has blocked the other" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, sender=supporter, body="Hello?")


def test_a_stranger_gets_404_for_someone_elses_conversation_pages_and_api(client, conversation, stranger):
    client.force_login(stranger)
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert _send(client, conversation, "Let me in").status_code == 404
    assert client.get(f"/api/v1/conversations/{conversation.pk}/messages/").status_code == 404
    api = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "x"}, content_type="application/json"
    )
    assert api.status_code == 404
    assert conversation.pk not in [c["id"] for c in client.get("/api/v1/conversations/").json()["results"]]


def test_the_api_sends_and_lists_through_the_same_service(client, conversation, seeker, supporter):
    client.force_login(seeker)
    sent = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "Via the API"}, content_type="application/json"
    )
    assert sent.status_code == 201 and sent.json()["warning"] == ""
    client.force_login(supporter)
    listed = client.get(f"/api/v1/conversations/{conversation.pk}/messages/?after=0").json()["results"]
    assert [m["body"] for m in listed][-1] == "Via the API"
    assert client.get("/api/v1/conversations/").json()["unread_total"] == 2


def test_a_person_who_leaves_cannot_send_and_the_other_is_told_nobody_is_listening(conversation, seeker, supporter):
    services.conversation_leave(conversation=conversation, user=supporter)
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, sender=supporter, body="Back again")
    with pytest.raises(ValidationError, match="Everyone else has left"):
        services.message_send(conversation=conversation, sender=seeker, body="Hello?")


def test_archiving_moves_a_conversation_out_of_the_inbox_until_a_new_message(client, conversation, seeker, supporter):
    client.force_login(supporter)
    client.post(reverse("messaging:archive", args=[conversation.pk]), {"archive": "1"})
    inbox = reverse("messaging:inbox")
    assert conversation.get_absolute_url() not in client.get(inbox).content.decode()
    assert conversation.get_absolute_url() in client.get(inbox + "?archived=1").content.decode()
    services.message_send(conversation=conversation, sender=seeker, body="Still there?")
    assert conversation.get_absolute_url() in client.get(inbox).content.decode()


def test_a_coordinator_introduction_puts_three_people_in_one_thread_with_a_note(client, coordinator, seeker, supporter):
    conversation = services.conversation_introduce(
        coordinator=coordinator, seeker=seeker, supporter=supporter, note="Sam has used direct payments for years."
    )
    assert conversation.kind == Conversation.Kind.INTRODUCTION
    client.force_login(seeker)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Introduced by Cora Coordinator" in page and "Sam has used direct payments" in page
    with pytest.raises(PermissionDenied):
        services.conversation_introduce(coordinator=seeker, seeker=seeker, supporter=supporter)


def test_the_unread_email_never_contains_the_message_or_names(
    conversation, seeker, supporter, django_capture_on_commit_callbacks
):
    canary = "CANARY-diabetes-7731"
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, sender=seeker, body=f"My {canary} details")
    assert mail.outbox == []  # not yet: it has not waited 15 minutes
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert unread_notify.call(supporter.pk) is True
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    text = email.subject + email.body + "".join(str(a) for a in email.alternatives)
    assert email.subject == SUBJECT and "/messages/" in email.body
    assert canary not in text and "Sara" not in text and "Tuesday" not in text
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert unread_notify.call(supporter.pk) is False


def test_no_email_for_people_who_turned_notifications_off(client, conversation, seeker, supporter):
    client.force_login(supporter)
    client.post(reverse("messaging:settings"), {"frequency": "off"})
    assert NotificationPreference.objects.get(user=supporter).frequency == "off"
    services.message_send(conversation=conversation, sender=seeker, body="Hello")
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert unread_notify.call(supporter.pk) is False
    assert mail.outbox == []
