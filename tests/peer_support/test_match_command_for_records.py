"""``manage.py match --ref`` ranks a seeker record without an account as the coordinator holding it
would see the register: lived experience shared with members counts (the seed paper's peer match)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from peer_support.models import Referral
from profiles import locality, services
from profiles.models import Profile, Visibility
from tests.factories import OrganisationFactory, UserFactory, make_profile


def account_less_seeker(lived: list[str]) -> Profile:
    place = locality.locate("BB1")
    return Profile.objects.create(
        ref="seeker-referred-0001",
        role=Profile.Role.SEEKER,
        status=Profile.Status.LISTED,
        source=Profile.Source.IMPORT,
        display_name="Referred R.",
        outcode=place.outcode,
        latitude=place.latitude,
        longitude=place.longitude,
        lived_experience=lived,
        sensitive_consent_at=timezone.now(),
        seeking={"max_km": 20},
    )


def peer_advisor(name: str, lived: list[str]) -> Profile:
    profile = make_profile(role="peer_advisor", postcode="BB1", display_name=name, travel_km=20, lived_experience=lived)
    services.profile_update(
        profile=profile, actor=profile.user, data={"lived_experience_visibility": Visibility.SIGNED_IN}
    )
    return profile


def run_match(ref: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("match", "--ref", ref, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_referred_record_counts_lived_experience_shared_with_members_and_says_whose_view(db):
    organisation = OrganisationFactory(name="Blackburn Peer Support")
    coordinator = UserFactory(preferred_name="Cora Coordinator")
    services.organisation_add_coordinator(organisation=organisation, user=coordinator)
    record = account_less_seeker(["visual_impairment"])
    Referral.objects.create(organisation=organisation, seeker_profile=record)
    peer_advisor("Other O.", ["mental_health"])
    shared = peer_advisor("Shared S.", ["visual_impairment"])

    out, err = run_match(record.ref)

    first = out.splitlines()[0]
    assert shared.ref in first and "Visually impaired".lower() in first.lower()
    assert "Cora Coordinator" in err


def test_a_record_nobody_holds_is_ranked_as_an_anonymous_visitor_and_the_command_says_so(db):
    record = account_less_seeker(["visual_impairment"])
    shared = peer_advisor("Shared S.", ["visual_impairment"])

    out, err = run_match(record.ref)

    assert shared.ref in out and "visually impaired" not in out.lower()
    assert "anonymous visitor" in err
