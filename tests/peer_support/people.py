"""The people and steps the peer-support tests share: plain helpers (the fixtures built from them are
in conftest.py)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from peer_support import services
from peer_support.models import ReferralEvent
from profiles.services import organisation_member_add
from tests.factories import UserFactory, make_profile

# --- People ---------------------------------------------------------------------------------------

WEEKDAYS = ["mon 09:00-13:00", "wed 09:00-13:00"]


def with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def seeker_profile(name="Sara", postcode="BB1"):
    return make_profile(
        UserFactory(preferred_name=name),
        role="seeker",
        postcode=postcode,
        display_name=name,
        interests=["music", "cooking"],
        availability=WEEKDAYS,
        seeking={"max_km": 40},
    )


def peer(name, organisation, *, postcode="BB1", interests=("music", "cooking"), capacity=1, **data):
    user = UserFactory(preferred_name=name)
    organisation_member_add(organisation=organisation, user=user, role="volunteer")  # membership granted, not typed
    return make_profile(
        user,
        role="peer_advisor",
        postcode=postcode,
        display_name=name,
        interests=list(interests),
        availability=WEEKDAYS,
        languages=["en"],
        capacity=capacity,
        travel_km=40,
        organisation_name=organisation.name,
        **data,
    )


def propose(referral, supporter, coordinator):
    return services.proposal_create(referral=referral, supporter_profile=supporter, actor=coordinator)


def both_say_yes(proposal, seeker_user, supporter_user):
    services.proposal_answer(proposal=proposal, actor=seeker_user, answer="yes")
    return services.proposal_answer(proposal=proposal, actor=supporter_user, answer="yes")


def actions(referral):
    return list(ReferralEvent.objects.filter(referral=referral).order_by("at", "pk").values_list("action", flat=True))
