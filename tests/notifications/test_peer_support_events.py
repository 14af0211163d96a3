"""A coordinator's proposal and the introduction that follows tell the two people in the match, and nobody else."""

import pytest

from notifications.models import Kind, Notification
from peer_support import services
from profiles.services import organisation_add_coordinator
from tests.factories import OrganisationFactory, UserFactory
from tests.matching.conftest import fresh_matching_state  # noqa: F401  (each test gets its own match index)
from tests.peer_support.people import peer, seeker_profile, with_totp

pytestmark = pytest.mark.django_db


def test_a_proposal_and_then_the_introduction_tell_the_seeker_and_the_peer_advisor_only(run_on_commit, bystander):
    organisation = OrganisationFactory(name="Blackburn Peer Support")
    coordinator = with_totp(UserFactory(preferred_name="Cora Coordinator"))
    organisation_add_coordinator(organisation=organisation, user=coordinator)
    sara, pat = seeker_profile(), peer("Pat Peer", organisation)
    referral = services.referral_create(
        actor=sara.user, seeker_profile=sara, organisation=organisation, what_would_help="CANARY-help-9931"
    )
    with run_on_commit():
        proposal = services.proposal_create(referral=referral, supporter_profile=pat, actor=coordinator)
    link = f"/peer-support/proposals/{proposal.pk}/"
    assert sorted(Notification.objects.filter(kind=Kind.MATCH_PROPOSAL).values_list("recipient_id", "link")) == sorted(
        [(sara.user_id, link), (pat.user_id, link)]
    )
    with run_on_commit():
        services.proposal_answer(proposal=proposal, actor=sara.user, answer="yes")
    assert not Notification.objects.filter(kind=Kind.INTRODUCTION).exists()  # one yes is not an introduction
    with run_on_commit():
        services.proposal_answer(proposal=proposal, actor=pat.user, answer="yes")
    introduced = sorted(Notification.objects.filter(kind=Kind.INTRODUCTION).values_list("recipient_id", flat=True))
    assert introduced == sorted([sara.user_id, pat.user_id])
    assert not Notification.objects.filter(recipient__in=[coordinator, bystander]).exists()
    assert not any("CANARY" in n.title + n.link for n in Notification.objects.all())
