"""Write paths for a person's shortlist and for "support wanted" adverts.

The pages (matching/views.py) and the API (matching/api_search.py) both call these, so each
state change has one set of rules. Another person's objects never reach here: the selectors
answer 404 first; the checks below are the second line.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from profiles import ports
from profiles import vocabulary as vocab
from profiles.models import MAX_TRAVEL_KM, Block, Profile, User
from profiles.services import can_edit

from .models import Advert, AdvertResponse, Shortlist

RESPONSE_MAX_CHARS = 1000
MAX_ADVERT_RATE = Decimal("500.00")


blocked_between = Block.blocked_between  # the one block rule (profiles.models.Block)


# Shortlist -------------------------------------------------------------------------------


def shortlist_add(*, user: User, profile: Profile) -> Shortlist:
    """Keep a listed supporter to come back to. Adding twice keeps the one entry."""
    if not profile.is_supporter or not profile.is_listed:
        raise ValidationError(
            {"profile": [gettext("You can shortlist people who offer support and are listed on the register.")]}
        )
    if profile.user_id == user.pk:
        raise ValidationError({"profile": [gettext("This is your own listing, so there is no need to shortlist it.")]})
    if blocked_between(user.pk, profile.user_id):
        raise PermissionDenied(gettext("You cannot shortlist this person."))
    entry, _ = Shortlist.objects.get_or_create(user=user, profile=profile)
    return entry


def shortlist_remove(*, entry: Shortlist, actor: User) -> None:
    if entry.user_id != actor.pk:
        raise PermissionDenied(gettext("You can only change your own shortlist."))
    entry.delete()


# Adverts ---------------------------------------------------------------------------------


def _tags(values, field: str, errors: dict) -> list[str]:
    tags = [vocab.normalise_tag(v) for v in values or [] if isinstance(v, str) and vocab.normalise_tag(v)]
    if len(tags) != len(list(values or [])) or not all(vocab.is_tag(t) for t in tags):
        errors[field] = [
            gettext(
                "Use words from the lists, or short tags with lower-case letters and underscores, like personal_care."
            )
        ]
    return list(dict.fromkeys(tags))


def _slots(values, errors: dict) -> list[str]:
    slots = [str(v).strip().lower() for v in values or [] if str(v).strip()]
    bad = [s for s in slots if not vocab.parse_slot(s)]
    if bad:
        errors["availability"] = [
            gettext("“%(slot)s” is not a time slot. Write one slot per line, like mon 09:00-13:00 (day, start, end).")
            % {"slot": bad[0]}
        ]
    return slots


def _advert_fields(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    title, what = str(data.get("title") or "").strip(), str(data.get("what") or "").strip()
    if not title:
        errors["title"] = [gettext("Give your advert a short title, like “PA wanted for weekday mornings”.")]
    if not what:
        errors["what"] = [gettext("Say what support you are looking for, in a few sentences.")]
    roles = [r for r in data.get("roles") or [] if r]
    if not set(roles) <= set(vocab.SUPPORTER_ROLES):
        errors["roles"] = [
            gettext("Choose who you are looking for from: %(roles)s.")
            % {"roles": ", ".join(str(vocab.ROLES[r]).lower() for r in vocab.SUPPORTER_ROLES)}
        ]
    fields = {
        "title": title[:120],
        "what": what[:1500],
        "roles": list(dict.fromkeys(roles)),
        "skills": _tags(data.get("skills"), "skills", errors),
        "interests": _tags(data.get("interests"), "interests", errors),
        "languages": _tags(data.get("languages"), "languages", errors),
        "availability": _slots(data.get("availability"), errors),
        "max_km": _max_km(data.get("max_km"), errors),
        "max_rate": _max_rate(data.get("max_rate"), errors),
    }
    if errors:
        raise ValidationError(errors)
    return fields


def _max_km(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not 1 <= value <= MAX_TRAVEL_KM:
        errors["max_km"] = [
            gettext("Enter a distance from 1 to %(max_km)s km, or leave it empty.") % {"max_km": MAX_TRAVEL_KM}
        ]
        return None
    return value


def _max_rate(value, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        rate = Decimal("-1")
    if not Decimal("0") < rate <= MAX_ADVERT_RATE:
        errors["max_rate"] = [
            gettext("Enter the most you will pay an hour, from £0.01 to £%(max_rate)s, or leave it empty.")
            % {"max_rate": f"{MAX_ADVERT_RATE:.0f}"}
        ]
        return None
    return rate


def advert_create(*, seeker_profile: Profile, actor: User, **data) -> Advert:
    """Post "support wanted" for a seeker (by them or a proxy). Where is the seeker's district only."""
    if seeker_profile.role != Profile.Role.SEEKER:
        raise ValidationError(
            gettext("Adverts are posted from a profile that is looking for support. Create one first.")
        )
    if not can_edit(seeker_profile, actor):
        raise PermissionDenied(gettext("You can only post adverts for yourself, or for someone you act for."))
    advert = Advert(seeker_profile=seeker_profile, created_by=actor, **_advert_fields(data))
    advert.full_clean()
    advert.save()
    return advert


def advert_close(*, advert: Advert, actor: User) -> Advert:
    if not can_edit(advert.seeker_profile, actor):
        raise PermissionDenied(
            gettext("Only the person who posted this advert, or someone acting for them, can close it.")
        )
    if advert.status != Advert.Status.CLOSED:
        advert.status, advert.closed_at = Advert.Status.CLOSED, timezone.now()
        advert.save(update_fields=["status", "closed_at"])
    return advert


def _check_can_respond(advert: Advert, supporter_profile: Profile, actor: User) -> None:
    if supporter_profile.user_id != actor.pk:
        raise PermissionDenied(gettext("You can only respond as yourself."))
    if not supporter_profile.is_supporter or not supporter_profile.is_listed:
        raise ValidationError(
            {"profile": [gettext("Respond from a listed profile that offers support. List your profile first.")]}
        )
    if advert.status != Advert.Status.OPEN:
        raise ValidationError(
            gettext("This advert is closed, so it is not taking responses. Look at the other adverts.")
        )
    owners = {advert.seeker_profile.user_id, advert.created_by_id}
    if actor.pk in owners:
        raise ValidationError(gettext("This is your own advert, so there is nobody to respond to."))
    if any(blocked_between(actor.pk, owner) for owner in owners):
        raise PermissionDenied(gettext("You cannot respond to this advert."))


@transaction.atomic
def advert_respond(*, advert: Advert, supporter_profile: Profile, actor: User, message: str) -> AdvertResponse:
    """A supporter says they are interested, with a short message the advert's owner reads.

    ``conversation_url`` on the result is the conversation's path when this made the interest mutual.
    """
    _check_can_respond(advert, supporter_profile, actor)
    body = str(message or "").strip()
    if not body:
        raise ValidationError(
            {"message": [gettext("Write a short message: who you are and why this advert suits you.")]}
        )
    if len(body) > RESPONSE_MAX_CHARS:
        raise ValidationError(
            {
                "message": [
                    gettext("Keep your message to %(max)s characters or fewer (it has %(count)s).")
                    % {"max": RESPONSE_MAX_CHARS, "count": len(body)}
                ]
            }
        )
    try:
        with transaction.atomic():
            response = AdvertResponse.objects.create(advert=advert, supporter_profile=supporter_profile, message=body)
    except IntegrityError:
        raise ValidationError(
            gettext("You have already responded to this advert. The person who posted it will be in touch.")
        ) from None
    seeker_id = advert.seeker_profile.user_id
    # Interest shown: if the seeker already said "I'm interested" to this supporter, their conversation
    # opens now, with this message in it (messaging decides, through the port: see profiles.ports).
    response.conversation_url = ports.interest_shown(actor.pk, seeker_id, body) if seeker_id else None
    return response
