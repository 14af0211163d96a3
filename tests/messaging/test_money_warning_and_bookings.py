"""The money warning is for before a booking is agreed here: once the two people have agreed a
booking, talk about payment is expected and carries no warning or safety note."""

from datetime import time as clock
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from messaging import safety, services
from payments import services as payments
from profiles import ports
from tests.factories import make_profile

MONEY_TALK = "Shall I pay by bank transfer? I can send the money on Friday."


@pytest.fixture
def booking(seeker, supporter, conversation):
    # The contact request accepted in `conversation` connected them, so a booking can be made.
    profile = make_profile(supporter, role="broker", hourly_rate=Decimal("15.00"), display_name="Sam Booked")
    return payments.booking_create(
        actor=seeker,
        seeker=seeker,
        profile=profile,
        hours=Decimal("2"),
        start_date=timezone.localdate() + timedelta(days=3),
        start_time=clock(10, 0),
    )


def test_money_talk_before_any_booking_is_flagged(conversation, seeker):
    message = services.message_send(conversation=conversation, sender=seeker, body=MONEY_TALK)
    assert message.safety_flags == ["money"]


def test_a_booking_only_requested_still_gets_the_warning(conversation, seeker, booking):
    message = services.message_send(conversation=conversation, sender=seeker, body=MONEY_TALK)
    assert message.safety_flags == ["money"]


def test_once_a_booking_is_agreed_money_talk_carries_no_warning_either_way(conversation, seeker, supporter, booking):
    payments.booking_accept(booking=booking, actor=supporter)
    from_seeker = services.message_send(conversation=conversation, sender=seeker, body=MONEY_TALK)
    from_supporter = services.message_send(conversation=conversation, sender=supporter, body="Bank transfer is fine.")
    assert from_seeker.safety_flags == [] and from_supporter.safety_flags == []
    assert safety.recipient_note(from_seeker) == ""


def test_a_declined_booking_does_not_count(conversation, seeker, supporter, booking):
    payments.booking_decline(booking=booking, actor=supporter)
    message = services.message_send(conversation=conversation, sender=seeker, body=MONEY_TALK)
    assert message.safety_flags == ["money"]


def test_the_question_is_answered_by_payments_not_left_unanswered():
    assert ports._booking_check is not None  # registered by payments' AppConfig.ready
