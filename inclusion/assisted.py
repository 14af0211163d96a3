"""Help from a trusted person (issue 17, item 6): the one write path for assisted mode, and its reads.

A person can let someone they trust sit beside them while they fill in sign-up, their profile and their plan:

- a proxy (``profiles.ProxyLink``, accepted and not revoked) starts assisted mode from their own sign-in and
  fills things in for the person, with the rights a proxy already has;
- or the person starts it from their own sign-in and names who is beside them (one of their proxies, or a
  coordinator of the organisation on one of their listings), so sign-up can be done together.

Everything changed while a session is on is noted (``AssistedChange``: which part, never its value). Consent to
keep special-category data is never the helper's to give: the services refuse it (``profiles.services.
require_the_person``) and the person confirms it later from their own sign-in (``ConsentWaiting``).
inclusion sits just above profiles, so it learns of changes through profiles' signals; planning (above) calls
``note_change`` directly.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from profiles.models import OrganisationMembership, Profile, ProxyLink, User
from profiles.signals import consent_confirmed, consent_requested, person_details_changed

from .assisted_models import SESSION_HOURS, AssistedChange, AssistedSession, ConsentWaiting

# The words for each field a person may fill in (a change is noted by its name, never its value). They are kept
# in English (gettext_noop marks them for the catalogues) and translated when shown (the summary page).
FIELD_WORDS = {
    "role": gettext_noop("What you are on Open Circle"),
    "display_name": gettext_noop("Your name on the register"),
    "postcode": gettext_noop("Your area"),
    "travel_km": gettext_noop("How far you travel"),
    "capacity": gettext_noop("How many people you can support"),
    "about": gettext_noop("About you"),
    "skills": gettext_noop("Your skills"),
    "interests": gettext_noop("Your interests"),
    "languages": gettext_noop("Languages"),
    "availability": gettext_noop("When you are free"),
    "hourly_rate": gettext_noop("Your hourly rate"),
    "seeking": gettext_noop("What you are looking for"),
    "prompts": gettext_noop("Your answers to questions"),
    "lived_experience": gettext_noop("Your lived experience"),
    "health_details": gettext_noop("Your health details"),
    "lived_experience_visibility": gettext_noop("Who sees your lived experience"),
    "health_details_visibility": gettext_noop("Who sees your health details"),
}
AREA_WORDS = {
    "sign-up": gettext_lazy("Starting your profile"),
    "profile": gettext_lazy("Your profile"),
    "lived experience": gettext_lazy("Your profile"),
    "plan": gettext_lazy("Your support plan"),
}


def _name(user: User | None) -> str:
    return ((user.preferred_name if user else "") or "someone")[:80]


# Who may help whom ---------------------------------------------------------------------------------------------


def helper_role(*, person: User, helper: User) -> str | None:
    """``proxy`` if ``helper`` acts for ``person``; ``coordinator`` if they coordinate an organisation on one of
    the person's listings; else None."""
    if not helper.is_authenticated or helper.pk == person.pk or not helper.is_active:
        return None
    if ProxyLink.objects.filter(seeker=person, proxy=helper, revoked_at__isnull=True).exists():
        return AssistedSession.HelperRole.PROXY
    organisations = Profile.objects.filter(user=person, organisation__isnull=False).values("organisation_id")
    if OrganisationMembership.objects.filter(
        user=helper, organisation_id__in=organisations, role=OrganisationMembership.Role.COORDINATOR
    ).exists():
        return AssistedSession.HelperRole.COORDINATOR
    return None


def people_i_can_help(helper: User) -> QuerySet[User]:
    """The people a helper may start assisted mode for from their own sign-in: those they act for (a proxy can
    already fill in their details; a coordinator cannot, so they sit beside the person signed in as them)."""
    ids = ProxyLink.objects.filter(proxy=helper, revoked_at__isnull=True).values("seeker_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("preferred_name", "pk")


def my_possible_helpers(person: User) -> list[tuple[User, str]]:
    """Who the person may name as beside them: their proxies and the coordinators of their organisations."""
    found: dict[int, tuple[User, str]] = {}
    for link in ProxyLink.objects.filter(seeker=person, revoked_at__isnull=True).select_related("proxy"):
        found[link.proxy_id] = (link.proxy, AssistedSession.HelperRole.PROXY)
    organisations = Profile.objects.filter(user=person, organisation__isnull=False).values("organisation_id")
    for membership in OrganisationMembership.objects.filter(
        organisation_id__in=organisations, role=OrganisationMembership.Role.COORDINATOR, user__is_active=True
    ).select_related("user"):
        if membership.user_id != person.pk:
            found.setdefault(membership.user_id, (membership.user, AssistedSession.HelperRole.COORDINATOR))
    return sorted(found.values(), key=lambda pair: (_name(pair[0]).lower(), pair[0].pk))


# Sessions --------------------------------------------------------------------------------------------------------


def _active() -> Q:
    return Q(ended_at__isnull=True, started_at__gt=timezone.now() - timedelta(hours=SESSION_HOURS))


@transaction.atomic
def session_start(*, actor: User, person: User, helper: User) -> AssistedSession:
    """Start assisted mode. ``actor`` is either the helper (a proxy, for someone they act for) or the person
    (naming their proxy or coordinator, who is beside them). One session at a time for a person and helper."""
    role = helper_role(person=person, helper=helper)
    if actor.pk == helper.pk:
        if role != AssistedSession.HelperRole.PROXY:
            raise PermissionDenied(_("You can start assisted mode only for someone you act for."))
        by_person = False
    elif actor.pk == person.pk:
        if role is None:
            raise ValidationError(
                {"helper": [_("Choose someone who acts for you, or a coordinator of your organisation.")]}
            )
        by_person = True
    else:
        raise PermissionDenied(_("Only the person or their helper can start assisted mode."))
    AssistedSession.objects.filter(_active(), person=person, helper=helper).update(ended_at=timezone.now())
    return AssistedSession.objects.create(
        person=person, helper=helper, helper_role=role, helper_name=_name(helper), started_by_person=by_person
    )


def session_end(*, session: AssistedSession, actor: User) -> AssistedSession:
    if actor.pk not in (session.person_id, session.helper_id):
        raise PermissionDenied(_("Only the person or their helper can end assisted mode."))
    if session.ended_at is None:
        session.ended_at = min(timezone.now(), session.ends_at)
        session.save(update_fields=["ended_at"])
    return session


def active_session_for(*, person_id: int, actor_id: int) -> AssistedSession | None:
    """The session a change by ``actor_id`` to ``person_id``'s details belongs to: the helper's own session for
    that person, or, when the person types themselves, a session they started with a helper beside them."""
    sessions = AssistedSession.objects.filter(_active(), person_id=person_id)
    if actor_id == person_id:
        return sessions.filter(started_by_person=True).first()
    return sessions.filter(helper_id=actor_id).first()


def note_change(*, person_id: int, actor_id: int | None, area: str, what: str) -> AssistedChange | None:
    """Note that a part of the person's details changed, if an assisted session is on (inside the caller's
    transaction). ``what`` is the part's name, never what was typed."""
    if actor_id is None:
        return None
    session = active_session_for(person_id=person_id, actor_id=actor_id)
    if session is None:
        return None
    return AssistedChange.objects.create(session=session, area=area, what=what[:120], by_helper=actor_id != person_id)


# Reads with permission -------------------------------------------------------------------------------------------


def session_for(*, viewer: User, pk: int) -> AssistedSession:
    """A session the viewer was in (the person or the helper); anyone else's is a 404."""
    if not viewer.is_authenticated:
        raise Http404
    session = (
        AssistedSession.objects.filter(Q(person=viewer) | Q(helper=viewer), pk=pk).select_related("person").first()
    )
    if session is None:
        raise Http404
    return session


def sessions_for(viewer: User) -> QuerySet[AssistedSession]:
    return AssistedSession.objects.filter(Q(person=viewer) | Q(helper=viewer)).select_related("person", "helper")


def consents_waiting_for(person: User) -> QuerySet[ConsentWaiting]:
    return ConsentWaiting.objects.filter(person=person, confirmed_at__isnull=True)


# What profiles tells us ------------------------------------------------------------------------------------------


@receiver(person_details_changed, dispatch_uid="inclusion-assisted-details")
def _details_changed(sender, person_id, actor_id, area, fields, **kwargs) -> None:
    for field in fields:
        words = FIELD_WORDS.get(field)
        if words:
            note_change(person_id=person_id, actor_id=actor_id, area=area, what=words)


@receiver(consent_requested, dispatch_uid="inclusion-assisted-consent-requested")
def _consent_requested(sender, person_id, helper_id, key, link, **kwargs) -> None:
    session = active_session_for(person_id=person_id, actor_id=helper_id)
    with transaction.atomic():
        waiting = ConsentWaiting.objects.filter(person_id=person_id, key=key, confirmed_at__isnull=True).first()
        if waiting is None:
            ConsentWaiting.objects.create(person_id=person_id, helper_id=helper_id, session=session, key=key, link=link)


@receiver(consent_confirmed, dispatch_uid="inclusion-assisted-consent-confirmed")
def _consent_confirmed(sender, person_id, key, **kwargs) -> None:
    ConsentWaiting.objects.filter(person_id=person_id, key=key, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


# Download my data --------------------------------------------------------------------------------------------


def user_assisted_data(user: User) -> dict:
    return {
        "sessions": [
            {
                "i_was": "the person" if s.person_id == user.pk else "the helper",
                "helper": s.helper_name,
                "helper_role": s.helper_role,
                "started_at": s.started_at.isoformat(),
                "ended_at": s.ends_at.isoformat(),
                "changes": [
                    {"area": c.area, "what": c.what, "at": c.at.isoformat(), "by_helper": c.by_helper}
                    for c in s.changes.all()
                ],
            }
            for s in sessions_for(user).prefetch_related("changes")
        ],
        "consents_waiting": [
            {
                "what": w.what,
                "asked_at": w.created_at.isoformat(),
                "confirmed_at": w.confirmed_at and w.confirmed_at.isoformat(),
            }
            for w in ConsentWaiting.objects.filter(person=user)
        ],
    }
