"""The one write path for community resources: suggest, publish, edit, mark checked, withdraw.

Pages, the API, ``import_openreferral`` and the admin call these. Anyone signed in may suggest a resource;
a coordinator or a moderator publishes it, edits it and marks it checked. Each check records the date and
who checked; a published listing whose last check is older than ``COMMUNITY_FRESH_DAYS`` is flagged for
checking wherever it is shown (it is never silently kept as if current).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from profiles import locality
from profiles import vocabulary as vocab
from profiles.models import User

from .models import (
    ACCESS_BITS,
    ACCESSIBILITY,
    DAY_BITS,
    MAX_PRICE_PENCE,
    ResourceOrganisation,
    Schedule,
    Service,
    ServiceCheck,
    Taxonomy,
)


@dataclass
class ScheduleInput:
    day: str
    frequency: str = Schedule.Frequency.WEEKLY
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    note: str = ""


@dataclass
class ResourceInput:
    """Everything a person (or an import) says about a resource. Empty strings mean "not given"."""

    organisation_name: str
    name: str
    description: str
    who_for: str = ""
    how_to_join: str = ""
    topics: list[str] = field(default_factory=list)
    cost: str = Service.Cost.FREE
    price_pence: int | None = None
    accessibility: list[str] = field(default_factory=list)
    accessibility_notes: str = ""
    languages: list[str] = field(default_factory=list)
    url: str = ""
    email: str = ""
    phone: str = ""
    online: bool = False
    venue: str = ""
    postcode: str = ""
    schedules: list[ScheduleInput] = field(default_factory=list)
    organisation_description: str = ""
    organisation_website: str = ""
    organisation_email: str = ""
    organisation_phone: str = ""

    @classmethod
    def from_service(cls, service: Service) -> ResourceInput:
        org = service.organisation
        return cls(
            organisation_name=org.name,
            organisation_description=org.description,
            organisation_website=org.website,
            organisation_email=org.email,
            organisation_phone=org.phone,
            name=service.name,
            description=service.description,
            who_for=service.who_for,
            how_to_join=service.how_to_join,
            topics=list(service.topics.values_list("code", flat=True)),
            cost=service.cost,
            price_pence=service.price_pence,
            accessibility=service.accessibility,
            accessibility_notes=service.accessibility_notes,
            languages=list(service.languages),
            url=service.url,
            email=service.email,
            phone=service.phone,
            online=service.online,
            venue=service.venue,
            postcode=service.outcode,
            schedules=[
                ScheduleInput(s.day, s.frequency, s.opens_at, s.closes_at, s.note) for s in service.schedules.all()
            ],
        )


# --- who may do what (the rule, once) ---------------------------------------------------------------------


def can_curate(user) -> bool:
    """Coordinators and moderators publish, edit and check resources."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_moderator or "coordinator" in user.roles)


def can_edit(service: Service, user) -> bool:
    if can_curate(user):
        return True
    return (
        getattr(user, "is_authenticated", False)
        and service.status == Service.Status.SUGGESTED
        and service.suggested_by_id == user.pk
    )


def _require_signed_in(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(gettext("Sign in to suggest a community resource."))


def _require_curator(actor) -> None:
    if not can_curate(actor):
        raise PermissionDenied(gettext("Only a coordinator or a moderator can do that."))


# --- validation -------------------------------------------------------------------------------------------


def _clean(data: ResourceInput) -> dict:
    """Checks every field; raises one ValidationError naming each field that needs fixing."""
    errors: dict[str, list[str]] = {}

    def need(name: str, text: str, limit: int) -> str:
        value = (text or "").strip()
        if not value:
            errors.setdefault(name, []).append(gettext("This is needed."))
        elif len(value) > limit:
            errors.setdefault(name, []).append(gettext("Keep this under %(limit)s characters.") % {"limit": limit})
        return value

    def optional(name: str, text: str, limit: int) -> str:
        value = (text or "").strip()
        if len(value) > limit:
            errors.setdefault(name, []).append(gettext("Keep this under %(limit)s characters.") % {"limit": limit})
        return value

    out: dict = {
        "organisation_name": need("organisation_name", data.organisation_name, 200),
        "name": need("name", data.name, 200),
        "description": need("description", data.description, 4000),
        "who_for": optional("who_for", data.who_for, 500),
        "how_to_join": optional("how_to_join", data.how_to_join, 2000),
        "accessibility_notes": optional("accessibility_notes", data.accessibility_notes, 2000),
        "venue": optional("venue", data.venue, 200),
        "phone": optional("phone", data.phone, 30),
        "organisation_description": optional("organisation_description", data.organisation_description, 4000),
        "organisation_phone": optional("organisation_phone", data.organisation_phone, 30),
    }
    for name in ("url", "organisation_website"):
        value = optional(name, getattr(data, name), 300)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                errors.setdefault(name, []).append(gettext("Give a web address starting with https:// or http://."))
        out[name] = value
    for name in ("email", "organisation_email"):
        value = optional(name, getattr(data, name), 254)
        if value:
            try:
                EmailValidator()(value)
            except ValidationError:
                errors.setdefault(name, []).append(gettext("Give an email address such as hello@example.org."))
        out[name] = value

    if data.cost not in Service.Cost.values:
        errors.setdefault("cost", []).append(gettext("Choose free, pay what you can, a set price, or ask them."))
    price = data.price_pence
    if data.cost == Service.Cost.PRICE:
        if price is None:
            errors.setdefault("price_pence", []).append(gettext("Give the price, or choose free or pay what you can."))
        elif not 0 < int(price) <= MAX_PRICE_PENCE:
            errors.setdefault("price_pence", []).append(gettext("Give a price between 1p and £1,000."))
    else:
        price = None
    out["cost"], out["price_pence"] = data.cost, price

    unknown = [code for code in data.accessibility if code not in ACCESSIBILITY]
    if unknown:
        errors.setdefault("accessibility", []).append(gettext("Choose accessibility features from the list."))
    out["access_mask"] = sum(ACCESS_BITS[code] for code in set(data.accessibility) if code in ACCESS_BITS)

    languages = []
    for text in data.languages:
        tag = vocab.normalise_tag(text)
        if tag and tag not in languages:
            languages.append(tag)
    out["languages"] = languages[:20]

    topics = []
    for text in data.topics:
        tag = vocab.normalise_tag(text)[:50]
        if tag and vocab.is_tag(tag) and tag not in topics:
            topics.append(tag)
    out["topics"] = topics[:20]

    out["online"] = bool(data.online)
    out["outcode"], out["latitude"], out["longitude"] = "", None, None
    postcode = (data.postcode or "").strip()
    if postcode:
        try:
            place = locality.locate(postcode)
        except ValidationError as error:
            errors.setdefault("postcode", []).extend(error.messages)
        else:
            out["outcode"], out["latitude"], out["longitude"] = place.outcode, place.latitude, place.longitude
    elif not data.online:
        errors.setdefault("postcode", []).append(
            gettext("Give the postcode district where it meets (such as BB1), or tick 'online'.")
        )

    schedules = []
    for number, slot in enumerate(data.schedules, start=1):
        if slot.day not in vocab.DAYS:
            errors.setdefault("schedules", []).append(
                gettext("Time %(number)s: choose a day of the week.") % {"number": number}
            )
            continue
        if slot.frequency not in Schedule.Frequency.values:
            errors.setdefault("schedules", []).append(
                gettext("Time %(number)s: choose every week or once a month.") % {"number": number}
            )
            continue
        if slot.opens_at and slot.closes_at and slot.closes_at <= slot.opens_at:
            errors.setdefault("schedules", []).append(
                gettext("Time %(number)s: the end time must be after the start time.") % {"number": number}
            )
            continue
        schedules.append(slot)
    out["schedules"] = schedules[:14]
    if errors:
        raise ValidationError(errors)
    return out


def _organisation(values: dict) -> ResourceOrganisation:
    org = ResourceOrganisation.objects.filter(name__iexact=values["organisation_name"]).order_by("id").first()
    if org is None:
        org = ResourceOrganisation(name=values["organisation_name"])
    for ours, theirs in (
        ("description", "organisation_description"),
        ("website", "organisation_website"),
        ("email", "organisation_email"),
        ("phone", "organisation_phone"),
    ):
        if values[theirs]:
            setattr(org, ours, values[theirs])
    org.save()
    return org


def _topic_terms(codes: list[str]) -> list[Taxonomy]:
    terms = []
    for code in codes:
        term, _ = Taxonomy.objects.get_or_create(code=code, defaults={"label": vocab.label(vocab.INTERESTS, code)})
        terms.append(term)
    return terms


SERVICE_FIELDS = (
    "name",
    "description",
    "who_for",
    "how_to_join",
    "cost",
    "price_pence",
    "access_mask",
    "accessibility_notes",
    "languages",
    "url",
    "email",
    "phone",
    "online",
    "venue",
    "outcode",
    "latitude",
    "longitude",
)


def _write(service: Service, values: dict) -> Service:
    service.organisation = _organisation(values)
    for name in SERVICE_FIELDS:
        setattr(service, name, values[name])
    service.days_mask = 0
    for slot in values["schedules"]:
        service.days_mask |= DAY_BITS[slot.day]
    service.save()
    service.topics.set(_topic_terms(values["topics"]))
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            day=slot.day,
            frequency=slot.frequency,
            opens_at=slot.opens_at,
            closes_at=slot.closes_at,
            note=(slot.note or "")[:200],
        )
        for slot in values["schedules"]
    )
    return service


# --- the service functions --------------------------------------------------------------------------------


@transaction.atomic
def resource_suggest(*, actor: User, data: ResourceInput) -> Service:
    """Anyone signed in suggests a resource; it waits for a coordinator or moderator to publish it."""
    _require_signed_in(actor)
    values = _clean(data)
    return _write(Service(status=Service.Status.SUGGESTED, suggested_by=actor), values)


def _record_check(service: Service, actor: User, note: str = "", when=None) -> None:
    when = when or timezone.now()
    service.last_checked_at = when
    service.last_checked_by = actor
    service.last_checked_by_name = actor.display_name if actor else ""
    ServiceCheck.objects.create(service=service, checked_by=actor, checked_at=when, note=(note or "")[:300])


@transaction.atomic
def resource_publish(*, actor: User, service: Service) -> Service:
    """A coordinator or moderator publishes a suggestion; publishing counts as checking it today."""
    _require_curator(actor)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status == Service.Status.PUBLISHED:
        return service
    service.status = Service.Status.PUBLISHED
    service.published_by = actor
    service.published_at = timezone.now()
    _record_check(service, actor, "Published")
    service.save()
    return service


@transaction.atomic
def resource_edit(*, actor: User, service: Service, data: ResourceInput) -> Service:
    """The suggester (while it waits) or a coordinator or moderator changes a listing. An edit to an
    imported listing is remembered, so a later import does not overwrite it without saying so."""
    if not can_edit(service, actor):
        raise Http404("No such resource.")
    values = _clean(data)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.source == Service.Source.IMPORT:
        service.edited_locally_at = timezone.now()
    return _write(service, values)


@transaction.atomic
def resource_mark_checked(*, actor: User, service: Service, note: str = "") -> Service:
    """Someone who curates confirms the listing is still right today."""
    _require_curator(actor)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status != Service.Status.PUBLISHED:
        raise ValidationError(gettext("Publish the resource before marking it checked."))
    _record_check(service, actor, note)
    service.save(update_fields=["last_checked_at", "last_checked_by", "last_checked_by_name", "updated_at"])
    return service


@transaction.atomic
def resource_withdraw(*, actor: User, service: Service) -> Service:
    """Take a listing down (it closed, or it was never right). It stays in the database, unpublished."""
    _require_curator(actor)
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.status = Service.Status.WITHDRAWN
    service.save(update_fields=["status", "updated_at"])
    return service


# --- used by the Open Referral import only ----------------------------------------------------------------


@transaction.atomic
def resource_import(
    *,
    actor: User | None,
    external_id: str,
    data: ResourceInput,
    digest: str,
    checked_on: dt.date | None,
    overwrite_local: bool = False,
) -> tuple[str, Service]:
    """Create or update one listing from a directory. Returns ("created" | "updated" | "unchanged" |
    "kept_local", service). Imported listings are published: the council or directory publishing them is
    the check, dated by its ``assured_date`` when it gives one."""
    existing = Service.objects.select_for_update().filter(source=Service.Source.IMPORT, external_id=external_id)
    service = existing.first()
    if service is not None and service.import_digest == digest:
        return "unchanged", service
    if service is not None and service.edited_locally_at and not overwrite_local:
        return "kept_local", service
    values = _clean(data)
    created = service is None
    if service is None:
        service = Service(
            source=Service.Source.IMPORT,
            external_id=external_id,
            status=Service.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    service.import_digest = digest
    service.edited_locally_at = None
    if checked_on:
        when = timezone.make_aware(dt.datetime.combine(checked_on, dt.time(12)))
        service.last_checked_at = when
        service.last_checked_by_name = "the publishing directory"
    elif created:
        service.last_checked_at = timezone.now()
        service.last_checked_by_name = "the publishing directory (imported)"
    _write(service, values)
    return ("created" if created else "updated"), service


def input_field_names() -> list[str]:
    return [f.name for f in fields(ResourceInput)]
