from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import sensitive
from . import vocabulary as vocab
from .sensitive import sensitive_visible

MAX_TRAVEL_KM = 200
MAX_HOURLY_RATE = Decimal("500.00")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


UNNAMED_MEMBER = "A member"


class User(AbstractUser):
    """A person with a login. Their listings on the register are their ``profiles``."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    preferred_name = models.CharField(max_length=60, blank=True)
    is_moderator = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name other people see for this person, everywhere (titles, lists, emails, receipts).

        The name they gave (at sign-up or on their account page, ``services.user_rename``). Accounts
        from before names were asked for fall back to their first profile's display name, then to
        "A member". Never an id: "Member 12" told people nothing and leaked how many accounts exist.
        """
        name = (self.preferred_name or "").strip()
        if name:
            return name
        if "_fallback_name" not in self.__dict__:  # one query per loaded person, not per use
            first = self.profiles.order_by("pk").values_list("display_name", flat=True).first() if self.pk else None
            self.__dict__["_fallback_name"] = (first or "").strip() or UNNAMED_MEMBER
        return self.__dict__["_fallback_name"]

    @cached_property
    def roles(self) -> set[str]:
        roles = set(self.profiles.values_list("role", flat=True))
        if self.memberships.filter(role=OrganisationMembership.Role.COORDINATOR).exists():
            roles.add("coordinator")
        if self.panel_seats.filter(left_at__isnull=True).exists():
            roles.add("panel_member")
        if self.is_moderator:
            roles.add("moderator")
        if self.is_staff:
            roles.add("staff")
        return roles

    @property
    def needs_mfa(self) -> bool:
        """Whether a role needs a second factor (for display; the rule that is enforced on every way in is
        profiles.authentication.second_factor_missing, and tests check the two agree)."""
        from django.conf import settings

        return bool(self.roles & set(settings.MFA_REQUIRED_FOR))


class Organisation(models.Model):
    """A user-led organisation, peer-support service or council team on the register."""

    name = models.CharField(max_length=120, unique=True)
    outcode = models.CharField(max_length=4, blank=True)
    about = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        VOLUNTEER = "volunteer", _("Volunteer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")]


class Visibility(models.TextChoices):
    SIGNED_IN = sensitive.SIGNED_IN, _("Everyone who is signed in")
    CONNECTIONS = sensitive.CONNECTIONS, _("Only people I have connected with")
    PRIVATE = sensitive.PRIVATE, _("Only me and my coordinator")


class Audience(models.TextChoices):
    """Kinds of viewer a person can preview their listing as ("See it as others do")."""

    ANYONE = "anyone", _("Anyone, without signing in")
    MEMBER = "member", _("A signed-in member you are not connected with")
    CONNECTION = "connection", _("Someone you are connected with")


class ProfileQuerySet(models.QuerySet):
    def listed(self) -> ProfileQuerySet:
        return self.filter(status=Profile.Status.LISTED)

    def supporters(self) -> ProfileQuerySet:
        return self.filter(role__in=vocab.SUPPORTER_ROLES)


def _photo_path(instance: Profile, filename: str) -> str:
    # The name is random: it must not reveal who is pictured or anything they typed.
    import secrets

    return f"photos/{secrets.token_hex(16)}.jpg"


class Profile(models.Model):
    """One listing on the open register, in one role (a person may hold several)."""

    class Role(models.TextChoices):
        SEEKER = "seeker", _(vocab.ROLES["seeker"])
        PA = "pa", _(vocab.ROLES["pa"])
        PEER_ADVISOR = "peer_advisor", _(vocab.ROLES["peer_advisor"])
        BROKER = "broker", _(vocab.ROLES["broker"])

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not listed yet")
        LISTED = "listed", _("Listed")
        PAUSED = "paused", _("Paused")

    class Source(models.TextChoices):
        SELF = "self", _("Written by the person")
        IMPORT = "import", _("Imported from another register")

    ref = models.SlugField(max_length=64, unique=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="profiles")
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    display_name = models.CharField(max_length=60)
    outcode = models.CharField("postcode district", max_length=4)
    latitude = models.FloatField()
    longitude = models.FloatField()
    location_is_approximate = models.BooleanField(default=False)
    travel_km = models.PositiveSmallIntegerField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text="How many people a peer advisor can support at once (coordinators respect it)."
    )
    about = models.TextField(blank=True, max_length=4000)
    skills = models.JSONField(default=list, blank=True)
    interests = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    hourly_rate = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    brokerage_functions = models.JSONField(default=list, blank=True)
    support_levels = models.JSONField(default=list, blank=True)
    packages = models.JSONField(default=list, blank=True)
    independence = models.JSONField(default=dict, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    dbs_level = models.CharField(max_length=10, blank=True, choices=list(vocab.DBS_LEVELS.items()))
    dbs_checked_on = models.DateField(null=True, blank=True)
    seeking = models.JSONField(default=dict, blank=True)
    # Answers to prompts the person chose (profiles.prompts: a fixed list, up to three answers).
    prompts = models.JSONField(default=list, blank=True)

    # Special-category data: only held while consent stands, shown only as chosen.
    lived_experience = models.JSONField(default=list, blank=True)
    lived_experience_visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.CONNECTIONS
    )
    health_details = models.TextField(blank=True, max_length=2000)
    health_details_visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PRIVATE)
    sensitive_consent_at = models.DateTimeField(null=True, blank=True)
    sensitive_consent_version = models.CharField(max_length=20, blank=True)
    # A separate, explicit choice (services.register_sharing_set): lived experience goes into the open
    # register export only when this is on. Being visible to members here never puts it there.
    shares_lived_experience_with_registers = models.BooleanField(default=False)
    register_sharing_at = models.DateTimeField(null=True, blank=True)
    register_sharing_version = models.CharField(max_length=30, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "role"]), models.Index(fields=["outcode"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_rate__isnull=True) | Q(hourly_rate__gt=0, hourly_rate__lte=MAX_HOURLY_RATE),
                name="hourly_rate_in_range",
            ),
            models.CheckConstraint(
                condition=Q(travel_km__isnull=True) | Q(travel_km__lte=MAX_TRAVEL_KM), name="travel_km_in_range"
            ),
            models.CheckConstraint(
                condition=Q(sensitive_consent_at__isnull=False) | (Q(lived_experience=[]) & Q(health_details="")),
                name="sensitive_data_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", args=[self.ref])

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.LISTED

    @property
    def first_photo(self) -> ProfilePhoto | None:
        """The photo shown on cards (the lowest ``order``); uses ``prefetch_related("photos")`` when given."""
        return next(iter(self.photos.all()), None)

    @property
    def photo(self):
        """The first photo's cleaned image (a FieldFile), or None: what ``Profile.photo`` was before a
        listing could hold several photos (``ProfilePhoto``)."""
        first = self.first_photo
        return first.image if first else None

    @property
    def is_supporter(self) -> bool:
        return self.role in vocab.SUPPORTER_ROLES

    @property
    def has_sensitive_consent(self) -> bool:
        return self.sensitive_consent_at is not None

    @property
    def charges(self) -> bool:
        return self.role in vocab.PAID_ROLES

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("skills", "interests", "lived_experience", "brokerage_functions"):
            values = getattr(self, field) or []
            bad = [v for v in values if not isinstance(v, str) or not vocab.is_tag(v)]
            if bad:
                errors.setdefault(field, []).append(
                    gettext("Tags use lower-case letters, numbers and underscores, like personal_care.")
                )
        bad_languages = [code for code in self.languages if not re.fullmatch(r"[a-z]{2}|bfi", str(code))]
        if bad_languages:
            errors["languages"] = [
                gettext("Use two-letter language codes (en, pl) or bfi for British Sign Language, not %(code)s.")
                % {"code": bad_languages[0]}
            ]
        bad_slots = [slot for slot in self.availability if not isinstance(slot, str) or not vocab.parse_slot(slot)]
        if bad_slots:
            errors["availability"] = [
                gettext("“%(slot)s” is not a time slot. Write slots like mon 09:00-13:00 (day, start, end).")
                % {"slot": bad_slots[0]}
            ]
        if self.role == self.Role.PEER_ADVISOR and self.hourly_rate is not None:
            errors["hourly_rate"] = [gettext("Peer advisors are volunteers, so they do not set an hourly rate.")]
        if self.hourly_rate is not None and not (Decimal("0") < self.hourly_rate <= MAX_HOURLY_RATE):
            errors["hourly_rate"] = [
                gettext("Enter an hourly rate between £0.01 and £%(max)s.") % {"max": f"{MAX_HOURLY_RATE:.0f}"}
            ]
        if self.travel_km is not None and self.travel_km > MAX_TRAVEL_KM:
            errors["travel_km"] = [gettext("Enter a travel distance of %(km)s km or less.") % {"km": MAX_TRAVEL_KM}]
        if not 1 <= self.capacity <= 20:
            errors["capacity"] = [gettext("Enter how many people you can support at once, from 1 to 20.")]
        if not set(self.support_levels) <= set(vocab.SUPPORT_LEVELS):
            errors["support_levels"] = [gettext("Support levels are 1, 2 or 3.")]
        if (self.lived_experience or self.health_details) and not self.has_sensitive_consent:
            errors["lived_experience"] = [
                gettext("To add lived experience or health details, first give your consent to us holding them.")
            ]
        if errors:
            raise ValidationError(errors)

    def sensitive_visible_to(self, viewer, visibility: str, *, audience: str | None = None) -> bool:
        """Whether ``viewer`` may see a sensitive field with the given visibility choice.

        ``audience`` (an ``Audience``) instead of a viewer asks the same rule what someone of that
        kind would see: the owner's "See it as others do" preview.
        """
        if not self.has_sensitive_consent:
            return False
        if audience is not None:
            kind = Audience(audience)
            return sensitive_visible(
                visibility,
                signed_in=kind != Audience.ANYONE,
                owner=False,
                coordinator=lambda: False,
                connected=lambda: kind == Audience.CONNECTION,
            )
        signed_in = viewer is not None and viewer.is_authenticated
        return sensitive_visible(
            visibility,
            signed_in=signed_in,
            owner=signed_in and bool(self.user_id) and viewer.pk == self.user_id,
            coordinator=lambda: (
                bool(self.organisation_id)
                and viewer.memberships.filter(
                    organisation_id=self.organisation_id, role=OrganisationMembership.Role.COORDINATOR
                ).exists()
            ),
            connected=lambda: bool(self.user_id) and Connection.between(self.user_id, viewer.pk).exists(),
        )

    def visible_lived_experience(self, viewer, *, audience: str | None = None) -> list[str]:
        visible = self.sensitive_visible_to(viewer, self.lived_experience_visibility, audience=audience)
        return list(self.lived_experience) if visible else []

    def visible_health_details(self, viewer, *, audience: str | None = None) -> str:
        visible = self.sensitive_visible_to(viewer, self.health_details_visibility, audience=audience)
        return self.health_details if visible else ""

    def page_open_to(self, viewer) -> bool:
        """Whether this listing's page may be shown to ``viewer`` at all, before blocks and listing status
        (``selectors.profile_for_viewer``). Seekers are private: never to anonymous visitors."""
        signed_in = viewer is not None and viewer.is_authenticated
        return signed_in or self.role != self.Role.SEEKER


class TrustClaim(models.Model):
    """One claim on a listing and exactly how far it was checked. Nothing here means "vetted"."""

    class Kind(models.TextChoices):
        DBS = "dbs", _("DBS check")
        IDENTITY = "identity", _("Identity")
        QUALIFICATION = "qualification", _("Qualification or training")
        RIGHT_TO_WORK = "right_to_work", _("Right to work in the UK")
        INSURANCE = "insurance", _("Insurance")
        REFERENCE = "reference", _("Reference")

    class Status(models.TextChoices):
        SELF_DECLARED = "self_declared", _("Self-declared: nobody has checked this")
        DOCUMENT_SEEN = "document_seen", _("Document seen")
        REFERENCE_GIVEN = "reference_given", _("Reference given")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=200, help_text="For example: 'Level 3 Diploma in Health and Social Care'.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SELF_DECLARED)
    checked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="self_declared") | Q(checked_by__isnull=False, checked_on__isnull=False),
                name="checked_claim_names_checker_and_date",
            )
        ]

    @property
    def honest_status(self) -> str:
        """Exactly what happened, in words: who checked, when, or that nobody did."""
        if self.status == self.Status.SELF_DECLARED:
            return gettext("Self-declared: nobody has checked this.")
        # Whole sentences for each case, so each language can order them; the date in the page's language.
        words = {
            "who": str(self.checked_by) if self.checked_by else gettext("someone whose account has since closed"),
            "organisation": str(self.checked_by_organisation or ""),
            "when": date_format(self.checked_on, "j F Y"),
        }
        if self.status == self.Status.DOCUMENT_SEEN:
            if self.checked_by_organisation:
                return (
                    gettext(
                        "Document seen by %(who)s of %(organisation)s on %(when)s. They looked at the document; "
                        "it was not checked with the issuer."
                    )
                    % words
                )
            return (
                gettext(
                    "Document seen by %(who)s on %(when)s. They looked at the document; "
                    "it was not checked with the issuer."
                )
                % words
            )
        if self.checked_by_organisation:
            return gettext("Reference given to %(who)s of %(organisation)s on %(when)s.") % words
        return gettext("Reference given to %(who)s on %(when)s.") % words


class ConsentRecord(models.Model):
    """An append-only log of special-category consent given and withdrawn."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="consent_records")
    action = models.CharField(max_length=10, choices=Action.choices)
    wording_version = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]


class ProxyLink(models.Model):
    """A supporter or family member acting for a seeker with their own login. The seeker can revoke it."""

    seeker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proxies")
    proxy = models.ForeignKey(User, on_delete=models.CASCADE, related_name="acting_for")
    relationship = models.CharField(max_length=60, blank=True)
    can_see_payments = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "proxy"], condition=Q(revoked_at__isnull=True), name="one_active_proxy_link"
            ),
            models.CheckConstraint(condition=~Q(seeker=models.F("proxy")), name="proxy_is_someone_else"),
        ]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Connection(models.Model):
    """Two people who have agreed to be in touch (an accepted contact request or an introduction)."""

    user_low = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="unique_connection"),
            models.CheckConstraint(condition=Q(user_low__lt=models.F("user_high")), name="connection_ordered"),
        ]

    @classmethod
    def between(cls, a_id: int, b_id: int) -> models.QuerySet:
        low, high = sorted((a_id, b_id))
        return cls.objects.filter(user_low_id=low, user_high_id=high)


class Block(models.Model):
    """One person blocking another: they stop seeing and contacting each other, both ways."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="no_self_block"),
        ]

    # The block rule, written once (docs/decisions/rules-written-once.md): two people block each
    # other when either has blocked the other. Every app asks one of these two questions; the two
    # hand-written SQL reads (matching.services._relations, messaging.services._send_context) are
    # tested against them (tests/matching/test_block_rule_agrees.py, tests/messaging/test_send_fast_path.py).

    @staticmethod
    def involving(user_id: int) -> Q:
        """Blocks in either direction that involve ``user_id``."""
        return Q(blocker_id=user_id) | Q(blocked_id=user_id)

    @classmethod
    def user_ids_hidden_from(cls, user_id: int) -> set[int]:
        """Everyone ``user_id`` has blocked or been blocked by."""
        rows = cls.objects.filter(cls.involving(user_id)).values_list("blocker_id", "blocked_id")
        return {a if b == user_id else b for a, b in rows}

    @classmethod
    def blocked_between(cls, a_id: int | None, b_id: int | None) -> bool:
        """Whether ``a_id`` and ``b_id`` block each other (either direction); False if either is
        missing or they are the same person (nobody can block themselves)."""
        if not a_id or not b_id or a_id == b_id:
            return False
        return cls.objects.filter(cls.involving(a_id) & cls.involving(b_id)).exists()


class RegisterChange(models.Model):
    """One committed change that can alter what search shows or how it ranks (the change log).

    Written by the service function that makes the change, in the same transaction
    (``profiles.changelog.record``). Every process's match index catches up from these rows
    before it answers (``matching.live``); see docs/architecture.md. No foreign keys: a row must
    outlive the profile it names (a removal is itself a change).
    """

    class Kind(models.TextChoices):
        PROFILE = "profile", "A listing changed (re-read it)"
        QUALITY = "quality", "A listing's quality score changed"
        RELATION = "relation", "A block, connection or organisation membership changed"
        MODEL = "model", "The matching weights in use changed"
        REBUILD = "rebuild", "Many listings changed (rebuild the index)"
        TRIMMED = "trimmed", "Older rows were trimmed up to object_id (readers behind it rebuild)"

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.id} {self.kind} {self.object_id}"


class ApiToken(models.Model):
    """A named API token a person made on their account page (profiles/tokens.py).

    Only the SHA-256 digest of the token is stored: the token itself is shown once, when it is made.
    A token works until it expires or is revoked; a password change, password reset or account deletion
    revokes every token the person has.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    # The first characters of the token, so a person can tell their tokens apart (not enough to use one).
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ListingClaim(models.Model):
    """Someone asks to take over a listing imported from another register with no account ("Is this you?").

    A moderator approves (the listing joins the claimant's account) or declines. ``evidence`` is what
    the claimant wrote to show it is them: only they and moderators see it, never logs or emails.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator")
        APPROVED = "approved", _("Approved: the listing is now on your account")
        DECLINED = "declined", _("Declined")

    EVIDENCE_MAX = 1000

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="ownership_claims")
    claimant = models.ForeignKey(User, on_delete=models.CASCADE, related_name="listing_claims")
    evidence = models.TextField(max_length=EVIDENCE_MAX)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "claimant"], condition=Q(status="pending"), name="one_pending_claim_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk} on {self.profile_id}: {self.status}"


def _photo_file(instance, filename: str) -> str:
    # Random names: a file name must not reveal who is pictured or anything they typed.
    import secrets

    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "jpg"
    return f"photos/{secrets.token_hex(16)}.{suffix}"


class ProfilePhoto(models.Model):
    """One of up to ``MAX_PHOTOS`` photos on a listing, in the order its owner chose.

    ``image`` is the cleaned upload (a fresh JPEG, metadata stripped, ``profiles.images``); ``small`` and
    ``large`` are WebP thumbnails made once, at upload (``services.photo_add``), never on request.
    A ``demo`` photo is a drawn avatar the project made for the demo register: its files are shared by
    many demo listings, so deleting the row never deletes them.
    """

    MAX_PHOTOS = 4
    SMALL = 160  # square, for cards
    LARGE = 640  # longest side, for the profile page

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="photos")
    order = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(
        "description", max_length=200, blank=True, help_text="What the photo shows, for people who cannot see it."
    )
    image = models.ImageField(upload_to=_photo_file, blank=True)
    small = models.ImageField(upload_to=_photo_file)
    small_width = models.PositiveSmallIntegerField(default=0)
    small_height = models.PositiveSmallIntegerField(default=0)
    large = models.ImageField(upload_to=_photo_file)
    large_width = models.PositiveSmallIntegerField(default=0)
    large_height = models.PositiveSmallIntegerField(default=0)
    demo = models.BooleanField(default=False, help_text="A drawn demo picture made by the project, not a photo.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["profile", "order"])]

    def __str__(self) -> str:
        return f"Photo {self.order + 1} of {self.profile_id}"

    def description(self) -> str:
        """The alt text to show: the owner's words, or a plain fallback naming whose photo it is."""
        if self.demo:
            return gettext("Demo picture: a drawing, not a photo of %(name)s") % {"name": self.profile.display_name}
        return self.alt_text or gettext("Photo of %(name)s") % {"name": self.profile.display_name}

    def delete_files(self) -> None:
        """Remove the stored files (not a demo picture's: other demo listings share them)."""
        if self.demo:
            return
        for file in (self.image, self.small, self.large):
            if file:
                file.delete(save=False)
