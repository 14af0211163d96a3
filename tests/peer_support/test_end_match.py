"""Ending a peer-support match whose last check-in said "going well" needs a reason and a confirmation
(in the service, so the page and the API agree); other matches end as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from peer_support import selectors, services
from peer_support.models import ReferralEvent
from tests.peer_support.people import both_say_yes, propose

pytestmark = pytest.mark.django_db


def _check_in(referral, coordinator, how):
    with time_machine.travel(timezone.now() + timedelta(weeks=2, days=1)):
        due = list(selectors.check_ins_due(viewer=coordinator))
        services.check_in_record(check_in=due[0], actor=coordinator, how_it_is_going=how)


@pytest.fixture
def going_well(referral, sara, pat, coordinator):
    both_say_yes(propose(referral, pat, coordinator), sara.user, pat.user)
    _check_in(referral, coordinator, "well")
    return referral


def test_the_service_wants_a_reason_and_a_confirmation(going_well, coordinator):
    with pytest.raises(ValidationError) as error:
        services.referral_rematch(referral=going_well, actor=coordinator)
    assert error.value.message_dict == {
        "reason": ["The last check-in said this match is going well. Say why you are ending it."],
        "confirm": ["Tick the box to confirm you want to end a match that is going well."],
    }
    with pytest.raises(ValidationError, match="Tick the box"):
        services.referral_rematch(referral=going_well, actor=coordinator, reason="Sara has moved away")
    going_well.refresh_from_db()
    assert going_well.status == "introduced"
    services.referral_rematch(referral=going_well, actor=coordinator, reason="Sara has moved away", confirmed=True)
    going_well.refresh_from_db()
    assert going_well.status == "waiting"
    assert (
        ReferralEvent.objects.filter(referral=going_well, action="rematch")
        .get()
        .detail.endswith("Reason: Sara has moved away")
    )


def test_the_page_asks_first_and_shows_the_errors_beside_the_fields(client, going_well, coordinator):
    client.force_login(coordinator)
    url = reverse("peer_support:coordinator-referral", args=[going_well.pk])
    page = client.get(url).content.decode()
    assert "End this match?" in page and "Why are you ending this match?" in page and 'name="confirm"' in page
    rematch = reverse("peer_support:coordinator-rematch", args=[going_well.pk])
    response = client.post(rematch, {"reason": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and "Say why you are ending it." in text and "Tick the box" in text
    going_well.refresh_from_db()
    assert going_well.status == "introduced"
    response = client.post(rematch, {"reason": "Sara has moved away", "confirm": "on"})
    assert response.status_code == 302
    going_well.refresh_from_db()
    assert going_well.status == "waiting"


def test_a_match_with_problems_ends_without_the_extra_step(referral, sara, pat, coordinator):
    both_say_yes(propose(referral, pat, coordinator), sara.user, pat.user)
    _check_in(referral, coordinator, "badly")
    services.referral_rematch(referral=referral, actor=coordinator)
    referral.refresh_from_db()
    assert referral.status == "waiting"
