"""The register for the two-process test: ``python -m tests.matching.two_process seed`` (with the servers'
environment) creates a seeker, supporters and a rating, and prints, as JSON, each person's session cookie
and listing. ``... rate REF`` records a rating whose double-blind clock has already run out, the way
time reveals one (no service runs, so nothing is logged until ``ratings_refresh_quality``)."""

from __future__ import annotations

import json
import sys


def _session(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _person(name: str, role: str, *, lived=None, visibility="signed_in", **data) -> dict:
    from profiles import services
    from profiles.models import User

    user = User.objects.create_user(email=f"{name.lower()}@two-process.example", password=None, preferred_name=name)
    profile = services.profile_create(actor=user, role=role, display_name=name, postcode="BB1", **data)
    if lived:
        services.consent_give(profile=profile, actor=user)
        services.sensitive_update(profile=profile, actor=user, lived_experience=lived)
        services.profile_update(profile=profile, actor=user, data={"lived_experience_visibility": visibility})
    if role != "seeker":
        services.profile_publish(profile=profile, actor=user)
    return {"user": user.pk, "profile": profile.pk, "ref": profile.ref, "session": _session(user)}


def seed() -> dict:
    from django.db import transaction

    with transaction.atomic():
        people = {
            "seeker": _person(
                "Sara", "seeker", lived=["visual_impairment"], seeking={"max_km": 30}, interests=["music"]
            ),
            "peer": _person("Priya", "peer_advisor", lived=["visual_impairment"], travel_km=30, interests=["music"]),
            "paused": _person("Paula", "pa", travel_km=30, hourly_rate="14.00"),
            "removed": _person("Rob", "broker", travel_km=30, hourly_rate="30.00"),
            "blocked": _person("Ben", "pa", travel_km=30, hourly_rate="15.00"),
            "rated": _person("Rita", "pa", travel_km=30, hourly_rate="16.00"),
            "member": _person("Mo", "peer_advisor", lived=["mental_health"], visibility="private", travel_km=30),
            "coordinator": _person("Cora", "seeker", lived=["mental_health"], seeking={"max_km": 30}),
        }
        _coordinate(people["coordinator"]["user"], "Two Process Peer Network")
    return people


def _coordinate(user_id: int, name: str) -> None:
    """A coordinator of a new organisation, with the second factor coordinators need."""
    from allauth.mfa.models import Authenticator

    from profiles.models import Organisation, User
    from profiles.services import organisation_add_coordinator

    user = User.objects.get(pk=user_id)
    organisation_add_coordinator(organisation=Organisation.objects.create(name=name), user=user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})


def nudge(profile_id: int, travel_km: int, interests: list[str]) -> None:
    """A listing's owner changes how far they travel and what they enjoy (through the service)."""
    from profiles import services
    from profiles.models import Profile

    profile = Profile.objects.select_related("user").get(pk=profile_id)
    services.profile_update(profile=profile, actor=profile.user, data={"travel_km": travel_km, "interests": interests})


def join(user_id: int, name: str) -> None:
    """The organisation takes the person on as a volunteer (the coordinator's approval, as a service call)."""
    from profiles.models import Organisation, OrganisationMembership, User
    from profiles.services import organisation_member_add

    organisation_member_add(
        organisation=Organisation.objects.get(name=name),
        user=User.objects.get(pk=user_id),
        role=OrganisationMembership.Role.VOLUNTEER,
    )


def rate_revealed(ref: str) -> None:
    """Five published five-star ratings of a listing whose reveal date has just passed."""
    from datetime import timedelta

    from django.utils import timezone

    from matching.models import Engagement
    from profiles.models import Profile, User
    from ratings.models import Rating

    profile = Profile.objects.get(ref=ref)
    past = timezone.now() - timedelta(hours=1)
    for n in range(5):
        rater = User.objects.create_user(email=f"rater{n}-{ref}@two-process.example", password=None)
        engagement = Engagement.objects.create(
            seeker=rater, supporter=profile.user, source="test", source_ref=f"{ref}-{n}", supporter_profile=profile
        )
        Rating.objects.create(
            engagement=engagement,
            rater=rater,
            rated=profile.user,
            rated_profile=profile,
            direction=Rating.Direction.OF_SUPPORTER,
            reliability=5,
            communication=5,
            respect=5,
            skills=5,
            overall=5,
            status=Rating.Status.PUBLISHED,
            visible_from=past,
        )


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:2] == ["seed"]:
        print(json.dumps(seed()))
    elif sys.argv[1:2] == ["rate"]:
        rate_revealed(sys.argv[2])
    elif sys.argv[1:2] == ["nudge"]:
        nudge(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",") if sys.argv[4] else [])
    elif sys.argv[1:2] == ["join"]:
        join(int(sys.argv[2]), sys.argv[3])
