"""Each event tells the right person, and nobody else, with a plain title and a link to the thing."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from messaging import services as messaging
from messaging.models import Report
from notifications.models import Kind, Notification
from payments import services as payments
from ratings import services as ratings
from tests.factories import UserFactory
from tests.notifications.conftest import make_booking

pytestmark = pytest.mark.django_db

GOOD = {"reliability": 5, "communication": 4, "respect": 5, "skills": 4, "overall": 5, "comment": "Kind."}


def only(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "link"))


def test_a_contact_request_tells_the_listing_owner_only(run_on_commit, seeker, listing, supporter, bystander):
    with run_on_commit():
        messaging.contact_request_create(sender=seeker, profile=listing, message="Hello")
    assert only(Kind.CONTACT_REQUEST) == [(supporter.pk, "/messages/requests/")]
    assert Notification.objects.count() == 1


def test_an_acceptance_tells_the_person_who_asked_only(run_on_commit, seeker, listing, supporter):
    request = messaging.contact_request_create(sender=seeker, profile=listing, message="Hello")
    with run_on_commit():
        conversation = messaging.contact_request_accept(contact_request=request, actor=supporter)
    assert only(Kind.CONTACT_ACCEPTED) == [(seeker.pk, conversation.get_absolute_url())]
    assert Notification.objects.filter(recipient=supporter).count() == 0


def test_a_booking_request_tells_the_supporter_and_hours_to_approve_tell_the_seeker(
    run_on_commit, seeker, listing, supporter
):
    with run_on_commit():
        booking = make_booking(seeker, listing)
    link = f"/bookings/{booking.pk}/"
    assert only(Kind.BOOKING_REQUEST) == [(supporter.pk, link)]
    payments.booking_accept(booking=booking, actor=supporter)
    with time_machine.travel(timezone.now() + timedelta(days=3)), run_on_commit():
        payments.timesheet_submit(booking=booking, actor=supporter, worked_hours=Decimal("3"))
    assert only(Kind.TIMESHEET_TO_APPROVE) == [(seeker.pk, link)]
    assert not Notification.objects.exclude(recipient__in=[seeker, supporter]).exists()


def test_approved_hours_give_both_people_a_rating_to_give(run_on_commit, seeker, listing, supporter):
    booking = make_booking(seeker, listing)
    payments.booking_accept(booking=booking, actor=supporter)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        payments.timesheet_submit(booking=booking, actor=supporter, worked_hours=Decimal("3"))
        with run_on_commit():
            payments.timesheet_approve(booking=booking, actor=seeker)
    recipients = [user_id for user_id, link in only(Kind.RATING_TO_GIVE)]
    assert sorted(recipients) == sorted([seeker.pk, supporter.pk])
    assert all(link.startswith("/ratings/engagements/") for _, link in only(Kind.RATING_TO_GIVE))


def test_confirming_work_together_and_a_first_rating_ask_for_a_rating(
    run_on_commit, seeker, listing, supporter, bystander
):
    confirmation = ratings.confirmation_request(actor=seeker, supporter_profile=listing)
    with run_on_commit():
        engagement = ratings.confirmation_respond(actor=supporter, confirmation=confirmation, confirm=True)
    link = f"/ratings/engagements/{engagement.pk}/rate/"
    assert only(Kind.RATING_TO_GIVE) == sorted([(seeker.pk, link), (supporter.pk, link)])
    Notification.objects.all().delete()
    with run_on_commit():
        ratings.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    assert only(Kind.RATING_TO_GIVE) == [(supporter.pk, link)]  # the one who has not rated yet
    with run_on_commit():
        ratings.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    assert only(Kind.RATING_TO_GIVE) == [(supporter.pk, link)]  # both have rated: nobody is asked again


def test_a_moderation_outcome_tells_the_reporter_not_the_reported_person(run_on_commit, seeker, listing, supporter):
    request = messaging.contact_request_create(sender=seeker, profile=listing, message="Hello")
    conversation = messaging.contact_request_accept(contact_request=request, actor=supporter)
    message = messaging.message_send(conversation=conversation, sender=supporter, body="Send me money")
    report = messaging.report_create(reporter=seeker, reason=Report.Reason.MONEY, message=message)
    moderator = UserFactory(is_moderator=True)
    Notification.objects.all().delete()
    with run_on_commit():
        messaging.report_act(report=report, moderator=moderator, action="warn")
    assert only(Kind.MODERATION_OUTCOME) == [(seeker.pk, f"/messages/reports/{report.pk}/")]
    assert Notification.objects.count() == 1


def test_a_change_that_rolls_back_notifies_nobody(run_on_commit, seeker, listing):
    with run_on_commit(), pytest.raises(ValidationError), transaction.atomic():
        messaging.contact_request_create(sender=seeker, profile=listing, message="Hello")
        raise ValidationError("something later in the same change failed")
    assert not Notification.objects.exists()
