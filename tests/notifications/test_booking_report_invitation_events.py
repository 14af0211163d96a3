"""Booking answers and cancellations, new reports for moderators, and organisation invitations reach the
notification centre (issue 13: nobody is told otherwise)."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from messaging import services as messaging
from notifications.models import Kind, Notification
from payments import services as payments
from peer_support import organisations
from profiles.models import Organisation
from profiles.services import organisation_add_coordinator
from tests.factories import UserFactory
from tests.notifications.conftest import make_booking

pytestmark = pytest.mark.django_db


def only(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "link"))


@pytest.mark.parametrize("answer", [payments.booking_accept, payments.booking_decline])
def test_the_seeker_hears_the_answer_to_a_booking_request(run_on_commit, seeker, listing, supporter, answer):
    booking = make_booking(seeker, listing, "2.5")
    with run_on_commit():
        answer(booking=booking, actor=supporter)
    assert only(Kind.BOOKING_ANSWERED) == [(seeker.pk, f"/bookings/{booking.pk}/")]
    assert [m.to for m in mail.outbox if "booking" in m.subject.lower()] == [[seeker.email]]


def test_a_cancellation_tells_the_other_person_only(run_on_commit, seeker, listing, supporter):
    booking = make_booking(seeker, listing, "2.5")
    payments.booking_accept(booking=booking, actor=supporter)
    with run_on_commit():
        payments.booking_cancel(booking=booking, actor=seeker)
    assert only(Kind.BOOKING_CANCELLED) == [(supporter.pk, f"/bookings/{booking.pk}/")]


def test_a_new_report_tells_every_moderator_but_not_the_reported_person(run_on_commit, seeker, supporter):
    moderators = [UserFactory(is_moderator=True), UserFactory(is_moderator=True)]
    with run_on_commit():
        messaging.report_create(reporter=seeker, reported_user=supporter, reason="scam", details="asked for my PIN")
    assert only(Kind.REPORT_TO_CHECK) == sorted((m.pk, "/moderation/all/") for m in moderators)
    assert all("PIN" not in m.body and "PIN" not in m.subject for m in mail.outbox)


def test_an_invitation_reaches_an_existing_members_notification_centre(run_on_commit, db):
    organisation = Organisation.objects.create(name="Darwen Peers", outcode="BB3")
    coordinator = UserFactory()
    organisation_add_coordinator(organisation=organisation, user=coordinator)
    from peer_support.models import OrganisationApproval

    OrganisationApproval.objects.create(organisation=organisation, status=OrganisationApproval.Status.APPROVED)
    member = UserFactory(email="pat@example.org")
    EmailAddress.objects.update_or_create(
        user=member, email="pat@example.org", defaults={"verified": True, "primary": True}
    )
    with run_on_commit():
        organisations.invitation_create(
            actor=coordinator, organisation=organisation, email="pat@example.org", role="volunteer"
        )
        organisations.invitation_create(
            actor=coordinator, organisation=organisation, email="new@example.org", role="volunteer"
        )
    assert only(Kind.ORGANISATION_INVITATION) == [(member.pk, "/organisations/")]
    # the invitation itself is the one email each: the notification adds none
    assert sorted(address for m in mail.outbox for address in m.to) == ["new@example.org", "pat@example.org"]
