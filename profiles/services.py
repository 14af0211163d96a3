"""Every change to the register goes through these functions, from pages, the API and commands alike."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import changelog, locality, prompts
from . import vocabulary as vocab
from .models import (
    Block,
    Connection,
    ConsentRecord,
    Organisation,
    OrganisationMembership,
    Profile,
    ProfilePhoto,
    ProxyLink,
    TrustClaim,
    User,
)
from .signals import consent_confirmed, consent_requested, person_details_changed, profile_published, user_blocked

EDITABLE_FIELDS = (
    "display_name",
    "travel_km",
    "capacity",
    "about",
    "skills",
    "interests",
    "languages",
    "availability",
    "hourly_rate",
    "brokerage_functions",
    "support_levels",
    "packages",
    "independence",
    "dbs_level",
    "dbs_checked_on",
    "seeking",
    "prompts",
    "lived_experience_visibility",
    "health_details_visibility",
)
SENSITIVE_FIELDS = ("lived_experience", "health_details")
PHOTO_MAX_SIDE = 1024


def _announce(profile: Profile) -> None:
    """Log the change in the caller's transaction: every process's search catches up from it."""
    changelog.record_profiles([profile.pk])


def can_edit(profile: Profile, actor: User) -> bool:
    """The owner, or someone holding an active proxy link for the owner (seekers only)."""
    if not actor.is_authenticated or profile.user_id is None:
        return False
    if actor.pk == profile.user_id:
        return True
    return (
        profile.role == Profile.Role.SEEKER
        and ProxyLink.objects.filter(seeker_id=profile.user_id, proxy=actor, revoked_at__isnull=True).exists()
    )


def _require_editor(profile: Profile, actor: User) -> None:
    if not can_edit(profile, actor):
        raise PermissionDenied(_("You can only change your own listing, or one you act for."))


class OnlyThePersonCanAgree(PermissionDenied):
    """Consent to keep special-category data is the person's own: someone acting for them (a proxy, a
    coordinator sitting beside them) cannot give it. The message says what to do instead."""


def only_the_person_message(person: User | None) -> str:
    if person is not None and person.preferred_name:
        return _("Only %(name)s can agree to this. Ask them to sign in and confirm.") % {"name": person.preferred_name}
    return _("Only the person can agree to this. Ask them to sign in and confirm.")


def require_the_person(person: User | None, actor: User) -> None:
    """Refuse unless ``actor`` is ``person`` themselves (every consent to special-category data asks this)."""
    if person is None or not actor.is_authenticated or actor.pk != person.pk:
        raise OnlyThePersonCanAgree(only_the_person_message(person))


def consent_request(*, person: User, helper: User, key: str, link: str) -> None:
    """Someone helping ``person`` reached a consent page: ask the person to confirm it from their own sign-in.
    ``key`` names what is to be agreed ("profile-consent:<id>", "plan-consent:<id>"); ``link`` is its page."""
    if helper.pk == person.pk:
        return
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("A consent request links to a path on this site.")
    consent_requested.send(sender=User, person_id=person.pk, helper_id=helper.pk, key=key, link=link)


def consent_confirm_announce(*, person: User, key: str) -> None:
    """The person agreed themselves: anything waiting for them to confirm ``key`` is done."""
    consent_confirmed.send(sender=User, person_id=person.pk, key=key)


def _changed(profile: Profile, actor: User, area: str, fields) -> None:
    if profile.user_id:
        person_details_changed.send(
            sender=Profile, person_id=profile.user_id, actor_id=actor.pk, area=area, fields=sorted(fields)
        )


def _new_ref(role: str, display_name: str) -> str:
    return f"{role.replace('_', '-')}-{slugify(display_name)[:20] or 'member'}-{secrets.token_hex(4)}"


def normalise_tags(values) -> list[str]:
    seen: list[str] = []
    for value in values or []:
        tag = vocab.normalise_tag(value)
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def apply_fields(profile: Profile, data: dict[str, Any]) -> None:
    """Set editable fields on an unsaved change, normalised the one way pages, API and import share."""
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    for field in ("skills", "interests", "brokerage_functions"):
        setattr(profile, field, normalise_tags(getattr(profile, field)))
    profile.languages = normalise_tags(profile.languages)
    if "prompts" in data:
        profile.prompts = prompts.clean_prompts(data["prompts"])
    profile.availability = [slot.strip().lower() for slot in profile.availability or []]
    if profile.hourly_rate is not None:
        profile.hourly_rate = Decimal(str(profile.hourly_rate)).quantize(Decimal("0.01"))
    if "postcode" in data:
        _set_location(profile, data["postcode"])
    if "organisation_name" in data:
        profile.organisation = _member_organisation(profile, (data["organisation_name"] or "").strip())


def _member_organisation(profile: Profile, name: str) -> Organisation | None:
    """A listing names only an organisation its person belongs to (membership comes from the
    organisation's coordinator, never from typing its name)."""
    if not name:
        return None
    organisation = None
    if profile.user_id is not None:  # a listing without an account belongs to no organisation
        organisation = (
            Organisation.objects.filter(name__iexact=name, memberships__user_id=profile.user_id).distinct().first()
        )
    if organisation is None:
        raise ValidationError(
            {
                "organisation_name": [
                    _(
                        "You can only name an organisation you are a member of. Ask its coordinator to invite you, "
                        "or ask to join on the Organisations page."
                    )
                ]
            }
        )
    return organisation


def _set_location(profile: Profile, postcode: str) -> str:
    try:
        place = locality.locate(postcode)
    except ValidationError as error:
        raise ValidationError({"postcode": error.messages}) from None
    profile.outcode = place.outcode
    profile.latitude, profile.longitude = place.latitude, place.longitude
    profile.location_is_approximate = place.precision != "district"
    return place.message


@transaction.atomic
def profile_create(*, actor: User, role: str, display_name: str, postcode: str, **data: Any) -> Profile:
    """Start a listing in one role. It stays unlisted until ``profile_publish``."""
    if role not in Profile.Role.values:
        raise ValidationError({"role": [_("Choose one of: seeker, pa, peer_advisor, broker.")]})
    if Profile.objects.filter(user=actor, role=role).exists():
        raise ValidationError({"role": [_("You already have a listing in this role. Edit that one instead.")]})
    profile = Profile(user=actor, role=role, display_name=display_name, ref=_new_ref(role, display_name))
    apply_fields(profile, {**data, "postcode": postcode})
    profile.full_clean()
    profile.save()
    _announce(profile)
    _changed(profile, actor, "sign-up", ["role", "display_name", "postcode", *data])
    return profile


def _save_fields(profile: Profile, data: dict[str, Any]) -> Profile:
    """Normalise, check, save and log a change of fields (owner's edit and staff correction alike)."""
    apply_fields(profile, data)
    profile.full_clean()
    profile.save()
    _announce(profile)
    return profile


def _delete(profile: Profile) -> None:
    """Delete a listing with its photo, and log it so every worker's search drops it."""
    pk = profile.pk
    photos_delete_files([profile.pk])
    profile.delete()
    changelog.record_profiles([pk])


@transaction.atomic
def profile_update(*, profile: Profile, actor: User, data: dict[str, Any]) -> Profile:
    _require_editor(profile, actor)
    _save_fields(profile, data)
    _changed(profile, actor, "profile", data)
    return profile


@transaction.atomic
def profile_publish(*, profile: Profile, actor: User) -> Profile:
    """List on the open register at once: nobody approves listings."""
    _require_editor(profile, actor)
    profile.status = Profile.Status.LISTED
    profile.full_clean()
    profile.save(update_fields=["status", "updated_at"])
    _announce(profile)
    pk = profile.pk
    transaction.on_commit(lambda: profile_published.send(sender=Profile, profile_id=pk), robust=True)
    return profile


@transaction.atomic
def profile_pause(*, profile: Profile, actor: User) -> Profile:
    _require_editor(profile, actor)
    profile.status = Profile.Status.PAUSED
    profile.save(update_fields=["status", "updated_at"])
    _announce(profile)
    return profile


@transaction.atomic
def profile_remove(*, profile: Profile, actor: User) -> None:
    """Delete a listing and everything on it, straight away."""
    _require_editor(profile, actor)
    _delete(profile)


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only staff can change someone else's listing."))


@transaction.atomic
def profile_staff_update(*, profile: Profile, actor: User, data: dict[str, Any]) -> Profile:
    """Staff correct a listing (the admin): the same normalising, checks and change log as ``profile_update``;
    ``data`` may also set ``status``."""
    _require_staff(actor)
    if "status" in data:
        if data["status"] not in Profile.Status.values:
            raise ValidationError({"status": [_("Choose one of the listed statuses.")]})
        profile.status = data["status"]
    return _save_fields(profile, data)


@transaction.atomic
def profile_staff_remove(*, profile: Profile, actor: User) -> None:
    """Staff delete a listing (the admin), as ``profile_remove`` does for its owner."""
    _require_staff(actor)
    _delete(profile)


@transaction.atomic
def consent_give(*, profile: Profile, actor: User) -> Profile:
    """The person agrees we may keep their lived experience and health details. Only they can: someone acting
    for them gets ``OnlyThePersonCanAgree`` (the page then asks the person to confirm, ``consent_request``)."""
    _require_editor(profile, actor)
    require_the_person(profile.user, actor)
    with transaction.atomic():
        profile.sensitive_consent_at = timezone.now()
        profile.sensitive_consent_version = settings.SENSITIVE_CONSENT_VERSION
        profile.save(update_fields=["sensitive_consent_at", "sensitive_consent_version", "updated_at"])
        ConsentRecord.objects.create(
            profile=profile,
            action=ConsentRecord.Action.GIVEN,
            wording_version=settings.SENSITIVE_CONSENT_VERSION,
            recorded_by=actor,
        )
        consent_confirm_announce(person=actor, key=f"profile-consent:{profile.pk}")
    _announce(profile)
    return profile


@transaction.atomic
def consent_withdraw(*, profile: Profile, actor: User) -> Profile:
    """Withdrawal erases the sensitive values, so search and matching cannot use them from this moment."""
    _require_editor(profile, actor)
    with transaction.atomic():
        profile.lived_experience = []
        profile.health_details = ""
        profile.sensitive_consent_at = None
        profile.save(update_fields=["lived_experience", "health_details", "sensitive_consent_at", "updated_at"])
        ConsentRecord.objects.create(
            profile=profile,
            action=ConsentRecord.Action.WITHDRAWN,
            wording_version=profile.sensitive_consent_version or settings.SENSITIVE_CONSENT_VERSION,
            recorded_by=actor,
        )
    _announce(profile)
    return profile


@transaction.atomic
def sensitive_update(*, profile: Profile, actor: User, lived_experience=None, health_details=None) -> Profile:
    _require_editor(profile, actor)
    if not profile.has_sensitive_consent:
        raise ValidationError(
            {"lived_experience": [_("Give your consent first; then you can add lived experience or health details.")]}
        )
    if lived_experience is not None:
        profile.lived_experience = normalise_tags(lived_experience)
    if health_details is not None:
        profile.health_details = health_details.strip()
    profile.full_clean()
    profile.save()
    _announce(profile)
    changed = [name for name, value in (("lived_experience", lived_experience), ("health_details", health_details))
               if value is not None]  # fmt: skip
    _changed(profile, actor, "lived experience", changed)
    return profile


def photos_delete_files(profile_ids) -> None:
    """Delete the stored files of these listings' photos (the rows go with the listing, by cascade).

    Files are removed after the transaction commits, so a rollback never leaves rows pointing at nothing.
    """
    photos = list(ProfilePhoto.objects.filter(profile_id__in=list(profile_ids), demo=False))
    if photos:

        def delete_all() -> None:
            for photo in photos:
                photo.delete_files()

        transaction.on_commit(delete_all)


def _photo_files(photo: ProfilePhoto, upload) -> None:
    """Check and clean the upload (byte and pixel limits before decoding, metadata stripped:
    profiles/images.py), then make both WebP thumbnails now, once."""
    from . import images

    data = images.clean_photo(upload, field="photo", max_side=PHOTO_MAX_SIDE)
    photo.image.save("photo.jpg", ContentFile(data), save=False)
    sizes = images.webp_thumbnails(data, small=ProfilePhoto.SMALL, large=ProfilePhoto.LARGE)
    for name, (body, width, height) in sizes.items():
        getattr(photo, name).save(f"{name}.webp", ContentFile(body), save=False)
        setattr(photo, f"{name}_width", width)
        setattr(photo, f"{name}_height", height)


def _alt_text(value: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > 200:
        raise ValidationError({"alt_text": [_("Keep the description to 200 characters or fewer.")]})
    return text


@transaction.atomic
def photo_add(*, profile: Profile, actor: User, upload, alt_text: str = "") -> ProfilePhoto:
    """Add a photo after the others (up to ``ProfilePhoto.MAX_PHOTOS``)."""
    _require_editor(profile, actor)
    existing = list(profile.photos.select_for_update().values_list("order", flat=True))
    if len(existing) >= ProfilePhoto.MAX_PHOTOS:
        raise ValidationError(
            {
                "photo": [
                    _("You have %(number)d photos, the most a profile can show. Remove one first.")
                    % {"number": ProfilePhoto.MAX_PHOTOS}
                ]
            }
        )
    photo = ProfilePhoto(profile=profile, order=max(existing, default=-1) + 1, alt_text=_alt_text(alt_text))
    _photo_files(photo, upload)
    photo.save()
    _announce(profile)
    return photo


@transaction.atomic
def photo_set(*, profile: Profile, actor: User, upload, alt_text: str = "") -> Profile:
    """Replace the first photo (the one on cards), or add it when there is none."""
    _require_editor(profile, actor)
    first = profile.photos.order_by("order", "id").first()
    if first is None:
        photo_add(profile=profile, actor=actor, upload=upload, alt_text=alt_text)
        return profile
    old = ProfilePhoto(image=first.image.name, small=first.small.name, large=first.large.name, demo=first.demo)
    _photo_files(first, upload)
    first.demo = False
    first.alt_text = _alt_text(alt_text) or ("" if old.demo else first.alt_text)
    first.save()
    transaction.on_commit(old.delete_files)
    _announce(profile)
    return profile


def _own_photo(photo: ProfilePhoto, actor: User) -> None:
    _require_editor(photo.profile, actor)


@transaction.atomic
def photo_delete(*, photo: ProfilePhoto, actor: User) -> None:
    _own_photo(photo, actor)
    profile = photo.profile
    photo.delete()
    transaction.on_commit(photo.delete_files)
    for order, each in enumerate(profile.photos.order_by("order", "id")):
        if each.order != order:
            ProfilePhoto.objects.filter(pk=each.pk).update(order=order)
    _announce(profile)


@transaction.atomic
def photo_remove(*, profile: Profile, actor: User) -> Profile:
    """Remove the first photo (the photo page's "Remove" for a profile with one photo)."""
    _require_editor(profile, actor)
    first = profile.photos.order_by("order", "id").first()
    if first is not None:
        photo_delete(photo=first, actor=actor)
    _announce(profile)
    return profile


@transaction.atomic
def photo_describe(*, photo: ProfilePhoto, actor: User, alt_text: str) -> ProfilePhoto:
    _own_photo(photo, actor)
    photo.alt_text = _alt_text(alt_text)
    photo.save(update_fields=["alt_text"])
    return photo


@transaction.atomic
def photo_move(*, photo: ProfilePhoto, actor: User, to: int) -> ProfilePhoto:
    """Put a photo at position ``to`` (0 is first, the one on cards); the others keep their order."""
    _own_photo(photo, actor)
    photos = [p for p in photo.profile.photos.select_for_update().order_by("order", "id") if p.pk != photo.pk]
    to = max(0, min(int(to), len(photos)))
    photos.insert(to, photo)
    for order, each in enumerate(photos):
        if each.order != order:
            ProfilePhoto.objects.filter(pk=each.pk).update(order=order)
            each.order = order
    _announce(photo.profile)
    return photo


def claim_add(*, profile: Profile, actor: User, kind: str, detail: str) -> TrustClaim:
    _require_editor(profile, actor)
    claim = TrustClaim(profile=profile, kind=kind, detail=detail.strip())
    claim.full_clean()
    claim.save()
    return claim


def claim_record_document_seen(*, claim: TrustClaim, actor: User, organisation: Organisation) -> TrustClaim:
    """A coordinator records that they saw the document. Only that is claimed, by name and date."""
    if not OrganisationMembership.objects.filter(
        user=actor, organisation=organisation, role=OrganisationMembership.Role.COORDINATOR
    ).exists():
        raise PermissionDenied(_("Only a coordinator of the organisation can record that they saw a document."))
    if claim.profile.user_id == actor.pk:
        raise PermissionDenied(_("You cannot check your own documents."))
    claim.status = TrustClaim.Status.DOCUMENT_SEEN
    claim.checked_by = actor
    claim.checked_by_organisation = organisation
    claim.checked_on = timezone.localdate()
    claim.full_clean()
    claim.save()
    return claim


def proxy_link_create(*, seeker: User, proxy_email: str, relationship: str = "", can_see_payments=False) -> ProxyLink:
    """The seeker names someone who already has an account to act for them."""
    proxy = User.objects.filter(email__iexact=proxy_email.strip()).first()
    if proxy is None:
        raise ValidationError({"proxy_email": [_("Nobody has an account with that email. Ask them to sign up first.")]})
    if proxy == seeker:
        raise ValidationError({"proxy_email": [_("You cannot act for yourself. Enter the other person's email.")]})
    link, _created = ProxyLink.objects.get_or_create(
        seeker=seeker,
        proxy=proxy,
        revoked_at=None,
        defaults={"relationship": relationship.strip(), "can_see_payments": can_see_payments},
    )
    return link


PROXY_INVITE_SALT = "profiles.proxy-invite"
PROXY_INVITE_DAYS = 14


def proxy_invite(*, seeker: User, proxy_email: str, relationship: str = "", can_see_payments=False) -> None:
    """Invite someone to act for the seeker. The same happens whether or not the email has an account
    (so the form cannot be used to find out who is registered): an email goes to the address with a
    signed link; the link is made only when that person, signed in with that email, accepts it."""
    from django.core import signing
    from django.core.mail import send_mail
    from django.urls import reverse

    email = proxy_email.strip()
    if email.lower() == seeker.email.lower():
        raise ValidationError({"proxy_email": [_("You cannot act for yourself. Enter the other person's email.")]})
    token = signing.dumps(
        {"s": seeker.pk, "e": email.lower(), "r": relationship.strip()[:60], "p": bool(can_see_payments)},
        salt=PROXY_INVITE_SALT,
    )
    link = settings.SITE_URL.rstrip("/") + reverse("profiles:proxy-accept", args=[token])
    name = seeker.preferred_name or _("Someone")
    send_mail(
        _("%(name)s asked you to help them on Open Circle") % {"name": name},
        _(
            "%(name)s would like you to act for them on Open Circle, with your own login.\n\n"
            "If you agree, open this link within %(days)d days (sign in, or create an account with this "
            "email address first):\n%(link)s\n\nIf you do not know this person, you can ignore this email."
        )
        % {"name": name, "days": PROXY_INVITE_DAYS, "link": link},
        None,
        [email],
    )


def proxy_invite_accept(*, token: str, actor: User) -> ProxyLink:
    """The invited person accepts: signed in with the invited email, within PROXY_INVITE_DAYS."""
    from django.core import signing

    try:
        data = signing.loads(token, salt=PROXY_INVITE_SALT, max_age=PROXY_INVITE_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation has expired. Ask the person to send a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This invitation link is not valid. Check you copied all of it.")) from None
    if actor.email.lower() != data["e"]:
        raise ValidationError(
            _("This invitation was sent to a different email address. Sign in with that address to accept it.")
        )
    seeker = User.objects.filter(pk=data["s"]).first()
    if seeker is None:
        raise ValidationError(_("The person who invited you no longer has an account."))
    return proxy_link_create(seeker=seeker, proxy_email=actor.email, relationship=data["r"], can_see_payments=data["p"])


def proxy_link_revoke(*, link: ProxyLink, actor: User) -> ProxyLink:
    if actor.pk not in (link.seeker_id, link.proxy_id):
        raise PermissionDenied(_("Only the person or their supporter can end this link."))
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    return link


def connection_create(*, a: User, b: User) -> Connection:
    low, high = sorted((a.pk, b.pk))
    connection, _created = Connection.objects.get_or_create(user_low_id=low, user_high_id=high)
    return connection


@transaction.atomic
def connection_remove(*, a: User, b: User) -> bool:
    """End the connection between two people (for example when the match that made it ends):
    what they shared "only with people I have connected with" is hidden from each other again."""
    deleted, _counts = Connection.between(a.pk, b.pk).delete()
    if deleted:
        changelog.record_relation()
    return bool(deleted)


def block_create(*, blocker: User, blocked: User) -> Block:
    if blocker == blocked:
        raise ValidationError(_("You cannot block yourself."))
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        transaction.on_commit(lambda: user_blocked.send(sender=Block, blocker_id=blocker.pk, blocked_id=blocked.pk))
    return block


def block_remove(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


# Organisation membership. Callers decide who may grant it (peer_support: the operator, an
# organisation's coordinator, an accepted invitation); these write it, once, with the change log.


@transaction.atomic
def organisation_member_add(*, organisation: Organisation, user: User, role: str) -> OrganisationMembership:
    """Make ``user`` a member (or coordinator) of ``organisation``. A new member's peer advisor
    listing that names no organisation now names this one."""
    if role not in OrganisationMembership.Role.values:
        raise ValidationError({"role": [_("Choose coordinator or member.")]})
    membership, created = OrganisationMembership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        if role == OrganisationMembership.Role.VOLUNTEER:
            Profile.objects.filter(user=user, role=Profile.Role.PEER_ADVISOR, organisation__isnull=True).update(
                organisation=organisation
            )
        changelog.record_profiles_of_users([user.pk])
        changelog.record_relation()
    return membership


@transaction.atomic
def organisation_member_remove(*, membership: OrganisationMembership) -> None:
    """End one membership. Once the person has no membership of the organisation left, their
    listings stop naming it."""
    user_id, organisation_id = membership.user_id, membership.organisation_id
    membership.delete()
    if not OrganisationMembership.objects.filter(user_id=user_id, organisation_id=organisation_id).exists():
        Profile.objects.filter(user_id=user_id, organisation_id=organisation_id).update(organisation=None)
    changelog.record_profiles_of_users([user_id])
    changelog.record_relation()


def organisation_add_coordinator(*, organisation: Organisation, user: User) -> OrganisationMembership:
    """The operator's step (peer_support's staff page, or a trusted command): make ``user`` a coordinator."""
    return organisation_member_add(organisation=organisation, user=user, role=OrganisationMembership.Role.COORDINATOR)


# The name others see (issue 13): asked for at sign-up, changed on the account page.

NAME_MAX_LENGTH = 60


def clean_person_name(name: str | None) -> str:
    """The name as it will be shown: spaces tidied; a plain-English error when it cannot be used."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(
            {"name": [_("Enter your name, as you would like others to see it. A first name is fine.")]}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": [
                    _("Use %(limit)d characters or fewer for your name. Yours has %(length)d.")
                    % {"limit": NAME_MAX_LENGTH, "length": len(name)}
                ]
            }
        )
    return name


def user_rename(*, user: User, actor: User, name: str) -> User:
    """Set the name other people see for ``user`` (User.display_name), in conversations, lists and emails."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own name."))
    user.preferred_name = clean_person_name(name)
    user.save(update_fields=["preferred_name"])
    user.__dict__.pop("_fallback_name", None)
    return user


# Sharing lived experience with other registers (the open-data export). A separate, explicit choice:
# being visible to members here never puts anything in the export.

REGISTER_SHARING_VERSION = "register-sharing-2026-12"
REGISTER_SHARING_WORDING = gettext_noop(
    "I agree that Open Circle may include my lived experience in the open register export, which other "
    "registers and anyone else can download and keep. I understand that once another register has copied "
    "it, Open Circle cannot take it back from them, and that I can stop sharing it in future exports at any time."
)


@transaction.atomic
def register_sharing_set(*, profile: Profile, actor: User, share: bool) -> Profile:
    """Choose whether this listing's lived experience goes into the open register export.

    Off by default. Seekers are never exported, so they cannot turn it on. It counts only while the
    consent to hold lived experience stands: a choice made before the latest consent was given does not
    carry over (``register_format.may_export_sensitive``).
    """
    _require_editor(profile, actor)
    if share and profile.role == Profile.Role.SEEKER:
        raise ValidationError(
            _("People looking for support are never in the open register export, so there is nothing to share.")
        )
    if share and not profile.has_sensitive_consent:
        raise ValidationError(
            _("Give your consent to us holding your lived experience first; then you can choose to share it.")
        )
    profile.shares_lived_experience_with_registers = bool(share)
    profile.register_sharing_at = timezone.now() if share else None
    profile.register_sharing_version = REGISTER_SHARING_VERSION if share else ""
    profile.save(
        update_fields=[
            "shares_lived_experience_with_registers",
            "register_sharing_at",
            "register_sharing_version",
            "updated_at",
        ]
    )
    return profile


# Claiming a listing imported without an account ("Is this you? Claim this listing") ----------------


def listing_claim_create(*, actor: User, profile: Profile, evidence: str):
    """Ask for an imported listing with no account to join the actor's account. A moderator decides."""
    from django.db import IntegrityError

    from .models import ListingClaim
    from .signals import listing_claim_changed

    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first, then ask to claim the listing."))
    if profile.user_id is not None:
        raise ValidationError(_("This listing is already on an Open Circle account, so it cannot be claimed."))
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": [_("Tell the moderator how they can tell this listing is yours.")]})
    if len(evidence) > ListingClaim.EVIDENCE_MAX:
        raise ValidationError(
            {
                "evidence": [
                    _("Keep it to %(limit)s characters. Yours has %(length)s.")
                    % {"limit": f"{ListingClaim.EVIDENCE_MAX:,}", "length": f"{len(evidence):,}"}
                ]
            }
        )
    if Profile.objects.filter(user=actor, role=profile.role).exists():
        raise ValidationError(
            _("You already have a listing as a %(role)s. Remove that one first, or keep it and leave this one.")
            % {"role": profile.get_role_display().lower()}
        )
    try:
        with transaction.atomic():
            claim = ListingClaim.objects.create(profile=profile, claimant=actor, evidence=evidence)
    except IntegrityError:
        raise ValidationError(
            _("You have already asked to claim this listing. A moderator will look at it soon.")
        ) from None
    # Moderators are told (notifications listens).
    listing_claim_changed.send(sender=ListingClaim, claim=claim, event="created", declined=[])
    return claim


@transaction.atomic
def listing_claim_decide(*, claim, actor: User, approve: bool, note: str = ""):
    """A moderator approves (the listing joins the claimant's account, in this transaction with the
    change log) or declines. Other people's waiting claims on an approved listing are declined too."""
    from .models import ListingClaim
    from .signals import listing_claim_changed

    if not getattr(actor, "is_moderator", False):
        raise PermissionDenied(_("Only moderators can decide listing claims."))
    claim = ListingClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ListingClaim.Status.PENDING:
        raise ValidationError(_("This claim has already been decided."))
    if claim.claimant_id == actor.pk:
        raise PermissionDenied(_("You cannot decide your own claim. Ask another moderator."))
    now, note = timezone.now(), (note or "").strip()[:300]
    profile = Profile.objects.select_for_update().get(pk=claim.profile_id)
    declined = []
    if approve:
        if profile.user_id is not None:
            raise ValidationError(
                _("This listing is already on an account, so it cannot be given to this person. Decline the claim.")
            )
        if Profile.objects.filter(user_id=claim.claimant_id, role=profile.role).exists():
            raise ValidationError(
                _(
                    "This person already has a listing in this role, so this one cannot join their account. Decline the claim."
                )
            )
        profile.user_id = claim.claimant_id
        profile.save(update_fields=["user", "updated_at"])
        declined = list(
            ListingClaim.objects.filter(profile=profile, status=ListingClaim.Status.PENDING).exclude(pk=claim.pk)
        )
        ListingClaim.objects.filter(pk__in=[c.pk for c in declined]).update(
            status=ListingClaim.Status.DECLINED,
            decided_by=actor,
            decided_at=now,
            decision_note="Another person's claim to this listing was approved.",
        )
        changelog.record_profiles([profile.id])
    claim.status = ListingClaim.Status.APPROVED if approve else ListingClaim.Status.DECLINED
    claim.decided_by, claim.decided_at, claim.decision_note = actor, now, note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    # The claimants are told (notifications listens).
    listing_claim_changed.send(sender=ListingClaim, claim=claim, event="decided", declined=declined)
    return claim
