"""The open register interchange format (JSON Lines, v1): its one serialiser, the import and the export.

The format is described in docs/register-format.md. Every line is validated by the same rules as
the pages and the API: ``services.apply_fields`` normalises tags, slots, rates and the postcode (cut to its
district), and ``Profile.full_clean`` checks the rest. Lines are written in batches, one transaction per
batch, so 100,000 profiles load in well under two minutes on SQLite while no line is ever half-written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone

from . import changelog, services
from .models import ConsentRecord, Organisation, Profile, Visibility

FORMAT_VERSION = "interchange-v1"
BATCH_SIZE = 2000
REQUIRED_KEYS = ("ref", "role", "display_name", "outcode")
SEEKING_TAG_KEYS = ("roles", "skills", "interests", "lived_experience", "languages", "brokerage_functions")

_NUMBER = (int, Decimal)
MAX_AMOUNT = Decimal("1000000")  # anything beyond this is a mistake, and would break Decimal rounding
# key -> (outer type, item type or None). A null value counts as "not given".
_SHAPES: dict[str, tuple[Any, Any]] = {
    "ref": (str, None),
    "role": (str, None),
    "display_name": (str, None),
    "outcode": (str, None),
    "travel_km": (int, None),
    "lived_experience": (list, str),
    "skills": (list, str),
    "interests": (list, str),
    "languages": (list, str),
    "about": (str, None),
    "availability": (list, str),
    "hourly_rate_gbp": (_NUMBER, None),
    "brokerage_functions": (list, str),
    "support_levels": (list, int),
    "packages": (list, dict),
    "independence": (dict, None),
    "organisation": (str, None),
    "dbs": (dict, None),
    "seeking": (dict, None),
}
KNOWN_KEYS = frozenset(_SHAPES)
_WORDS = {str: "text", int: "a whole number", list: "a list", dict: "an object", _NUMBER: "a number"}
# Fields an import sets; a re-imported line whose values all match these is "unchanged" and left alone.
# ``status`` is not among them: a moderator's pause must survive a re-import.
IMPORTED_FIELDS = (
    "role",
    "display_name",
    "outcode",
    "latitude",
    "longitude",
    "location_is_approximate",
    "travel_km",
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
    "organisation_id",
    "dbs_level",
    "dbs_checked_on",
    "seeking",
    "lived_experience",
)
UPDATED_FIELDS = (
    *IMPORTED_FIELDS,
    "sensitive_consent_at",
    "sensitive_consent_version",
    "lived_experience_visibility",
    "updated_at",
)
NOT_FROM_THE_LINE = (
    "id",
    "user",
    "organisation",
    "status",
    "source",
    "latitude",
    "longitude",
    "location_is_approximate",
    "photo",
    "health_details",
    "health_details_visibility",
    "lived_experience_visibility",
    "sensitive_consent_at",
    "sensitive_consent_version",
    "created_at",
    "updated_at",
)
# A JSONField's own check is only "does it encode as JSON", which values parsed from JSON always do;
# their content rules live in Profile.clean(), which still runs. Skipping it saves ~70,000 dumps per 5,000 lines.
NOT_CHECKED_BY_FIELD = NOT_FROM_THE_LINE + tuple(
    f.name for f in Profile._meta.concrete_fields if f.get_internal_type() == "JSONField"
)
_MESSAGE_KEYS = {"hourly_rate": "hourly_rate_gbp", "dbs_level": "dbs.level", "dbs_checked_on": "dbs.checked_on"}


# ----------------------------------------------------------------------------------------------
# Serialising: one listing as an interchange record
# ----------------------------------------------------------------------------------------------


def profile_record(profile: Profile, *, sensitive: bool) -> dict[str, Any]:
    """A listing in the interchange format. Lived experience only when ``sensitive``; health details never."""
    data: dict[str, Any] = {
        "ref": profile.ref,
        "role": profile.role,
        "display_name": profile.display_name,
        "outcode": profile.outcode,
        "about": profile.about,
        "skills": list(profile.skills),
        "interests": list(profile.interests),
        "languages": list(profile.languages),
        "availability": list(profile.availability),
    }
    if profile.is_supporter:
        data["travel_km"] = profile.travel_km
    if profile.charges and profile.hourly_rate is not None:
        data["hourly_rate_gbp"] = profile.hourly_rate
    if profile.role in ("broker", "peer_advisor"):
        data["brokerage_functions"] = list(profile.brokerage_functions)
    if profile.role == "broker":
        data.update(support_levels=profile.support_levels, packages=profile.packages, independence=profile.independence)
    if profile.organisation_id:
        data["organisation"] = profile.organisation.name
    if profile.dbs_level:
        checked_on = profile.dbs_checked_on.isoformat() if profile.dbs_checked_on else None
        data["dbs"] = {"level": profile.dbs_level, "checked_on": checked_on}
    if profile.seeking:
        data["seeking"] = _public_seeking(profile.seeking, sensitive)
    if sensitive and profile.lived_experience:
        data["lived_experience"] = list(profile.lived_experience)
    return data


def _public_seeking(seeking: dict, sensitive: bool) -> dict:
    # The lived experience a seeker asks for can reveal their own, so it is as sensitive as theirs.
    return {key: value for key, value in seeking.items() if sensitive or key != "lived_experience"}


def may_export_sensitive(profile: Profile) -> bool:
    """Open data is public: lived experience goes in only for someone who chose to share it with other
    registers (``services.register_sharing_set``: its own consent wording, off by default), while their
    consent to holding it stands and the choice was made under that consent. Being visible to members
    here is not that choice. Seekers are never exported at all (``exportable_profiles``)."""
    return bool(
        profile.has_sensitive_consent
        and profile.shares_lived_experience_with_registers
        and profile.register_sharing_at is not None
        and profile.register_sharing_at >= profile.sensitive_consent_at
        and profile.role != Profile.Role.SEEKER
    )


def exportable_profiles():
    """The open register export: listed people who offer support. Seekers are private and never in it."""
    return Profile.objects.listed().exclude(role=Profile.Role.SEEKER)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Amounts have two decimal places, and the shortest float repr of such a number is the same digits,
        # so the text in the file is exact (importers read it back with parse_float=Decimal).
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not part of the interchange format")


def dumps_record(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=_json_default)


def _json_safe(value: Any) -> Any:
    """Decimals inside JSON columns (package prices, seeking.max_rate_gbp) become JSON numbers."""
    return json.loads(json.dumps(value, default=_json_default))


def register_export(stream: TextIO) -> int:
    """Write every listed profile as one line each, in ``ref`` order. Returns how many."""
    count = 0
    queryset = exportable_profiles().select_related("organisation").order_by("ref")
    for profile in queryset.iterator(chunk_size=BATCH_SIZE):
        stream.write(dumps_record(profile_record(profile, sensitive=may_export_sensitive(profile))) + "\n")
        count += 1
    return count


# ----------------------------------------------------------------------------------------------
# Reading one line
# ----------------------------------------------------------------------------------------------


class LineRejected(Exception):
    """A line that cannot be loaded; the message says why, in words an operator can act on."""


@dataclass
class ParsedLine:
    number: int
    profile: Profile
    organisation: str = ""


@dataclass
class ImportReport:
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_keys: set[str] = field(default_factory=set)

    def reject(self, number: int, reason: str) -> None:
        self.rejected += 1
        self.problems.append(f"line {number}: {reason}")

    def warn_unknown(self, number: int, keys: Iterable[str]) -> None:
        for key in sorted(set(keys) - self.unknown_keys):
            self.unknown_keys.add(key)
            self.warnings.append(f"line {number}: unknown key {key!r} ignored (later lines with it are not listed)")

    @property
    def changed(self) -> int:
        return self.loaded + self.updated

    def summary(self) -> str:
        return (
            f"{self.loaded} loaded (new), {self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected."
        )


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LineRejected("this line is not UTF-8 text. Save the file as UTF-8 and import it again.") from None


def _load_json(text: str) -> dict[str, Any]:
    try:
        record = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise LineRejected(f"this is not valid JSON ({error.msg} at column {error.colno}).") from None
    if not isinstance(record, dict):
        raise LineRejected('each line must be one JSON object, like {"ref": "pa-000123", "role": "pa", ...}.')
    return record


def _is(value: Any, kind: Any) -> bool:
    # Exact types: JSON gives no subclasses, and bool must not pass as a whole number.
    return type(value) in kind if isinstance(kind, tuple) else type(value) is kind


def _check_shapes(record: dict[str, Any]) -> None:
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        raise LineRejected(f"{missing[0]} is missing. Every line needs ref, role, display_name and outcode.")
    for key, value in record.items():
        outer, inner = _SHAPES[key]
        if not _is(value, outer):
            raise LineRejected(f"{key} must be {_WORDS[outer]}.")
        if inner is not None and not all(_is(item, inner) for item in value):
            raise LineRejected(f"every item in {key} must be {_WORDS[inner]}.")
    rate = record.get("hourly_rate_gbp")
    if rate is not None and not (-MAX_AMOUNT < rate < MAX_AMOUNT):
        raise LineRejected(f"hourly_rate_gbp: {rate} is not an amount in pounds. Write it like 13.50.")
    if rate is not None and rate != round(rate, 2):
        # The services would round it; money from another register must arrive exact or not at all.
        raise LineRejected("hourly_rate_gbp: use pounds and pence, at most two decimal places, like 13.50.")
    dbs = record.get("dbs", {})
    if not all(isinstance(dbs.get(key, ""), str | None) for key in ("level", "checked_on")):
        raise LineRejected('dbs must look like {"level": "enhanced", "checked_on": "2026-01-10"}.')


def _service_data(record: dict[str, Any]) -> dict[str, Any]:
    """The line in the shape the profile services take."""
    data = {key: record[key] for key in services.EDITABLE_FIELDS if key in record}
    data["postcode"] = record["outcode"]
    data["hourly_rate"] = record.get("hourly_rate_gbp")
    for key in ("packages", "independence"):
        if key in data:
            data[key] = _json_safe(data[key])
    if "seeking" in record:
        data["seeking"] = _clean_seeking(record["seeking"])
    dbs = record.get("dbs") or {}
    data["dbs_level"] = dbs.get("level") or ""
    data["dbs_checked_on"] = dbs.get("checked_on") or None
    return data


def _clean_seeking(seeking: dict[str, Any]) -> dict[str, Any]:
    cleaned = _json_safe(seeking)
    for key in SEEKING_TAG_KEYS:
        if key in cleaned:
            if not isinstance(cleaned[key], list) or not all(isinstance(v, str) for v in cleaned[key]):
                raise LineRejected(f"seeking.{key} must be a list of tags.")
            cleaned[key] = services.normalise_tags(cleaned[key])
    return cleaned


def _apply_sensitive(profile: Profile, record: dict[str, Any], now) -> None:
    """A line that carries lived experience means the exporting register held the person's consent."""
    profile.lived_experience = services.normalise_tags(record.get("lived_experience"))
    if profile.lived_experience or profile.seeking.get("lived_experience"):
        profile.sensitive_consent_at = now
        profile.sensitive_consent_version = FORMAT_VERSION
        # The source register published it openly, so it stays visible to everyone signed in here.
        profile.lived_experience_visibility = Visibility.SIGNED_IN


def _validation_text(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for key, messages in error.message_dict.items():
        name = _MESSAGE_KEYS.get(key, key)
        parts.append(" ".join(messages) if key == "__all__" else f"{name}: {' '.join(messages)}")
    return " ".join(parts)


@lru_cache(maxsize=4096)
def _organisation_problem(name: str) -> str:
    try:
        Organisation(name=name).clean_fields(exclude=["outcode", "about"])
    except ValidationError as error:
        return f"organisation: {_validation_text(error)}"
    return ""


def parse_line(number: int, raw: bytes | str, report: ImportReport, now=None) -> ParsedLine | None:
    """One line as an unsaved, fully validated Profile; None for a blank line. Raises LineRejected."""
    text = _decode(raw).lstrip("\ufeff").strip()
    if not text:
        return None
    record = _load_json(text)
    unknown = record.keys() - KNOWN_KEYS
    if unknown:
        report.warn_unknown(number, unknown)
    record = {key: value for key, value in record.items() if key in KNOWN_KEYS and value is not None}
    _check_shapes(record)
    profile = Profile(
        ref=record["ref"],
        role=record["role"],
        display_name=record["display_name"],
        user=None,
        source=Profile.Source.IMPORT,
        status=Profile.Status.LISTED,
    )
    try:
        services.apply_fields(profile, _service_data(record))
    except ValidationError as error:
        raise LineRejected(
            f"outcode {record['outcode'][:20]!r}: {_validation_text(error).removeprefix('postcode: ')}"
        ) from None
    _apply_sensitive(profile, record, now or timezone.now())
    organisation = record.get("organisation", "").strip()
    if organisation and _organisation_problem(organisation):
        raise LineRejected(_organisation_problem(organisation))
    try:
        # ref uniqueness is the import's own key and the CHECK constraints repeat clean(); both would cost a
        # query per line, and the database still enforces them when the batch is written. Fields the import
        # sets itself (never from the line) need no checking; skipping them halves the cost per line.
        profile.full_clean(exclude=NOT_CHECKED_BY_FIELD, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise LineRejected(_validation_text(error)) from None
    return ParsedLine(number, profile, organisation)


# ----------------------------------------------------------------------------------------------
# Writing batches
# ----------------------------------------------------------------------------------------------


def _attach_organisations(lines: list[ParsedLine]) -> None:
    names = {line.organisation for line in lines if line.organisation}
    known = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
    for name in sorted(names - known.keys()):
        known[name] = Organisation.objects.create(name=name).pk
    for line in lines:
        line.profile.organisation_id = known.get(line.organisation) if line.organisation else None


def _unchanged(old: Profile, new: Profile) -> bool:
    return all(getattr(old, name) == getattr(new, name) for name in IMPORTED_FIELDS)


def _carry_over(old: Profile, new: Profile, now) -> bool:
    """Make ``new`` an update of ``old``. True when consent is newly given by this line."""
    new.pk, new.created_at, new.updated_at, new.status = old.pk, old.created_at, now, old.status
    if old.has_sensitive_consent:
        new.sensitive_consent_at, new.sensitive_consent_version = (
            old.sensitive_consent_at,
            old.sensitive_consent_version,
        )
        if not new.lived_experience:
            new.lived_experience_visibility = old.lived_experience_visibility
        return False
    return new.has_sensitive_consent


def _insert(profiles: list[Profile]) -> None:
    """bulk_create, minus the ORM's per-value SQL compiling (measured: it was half the import time).

    Values still go through each field's own pre_save and get_db_prep_save, so they are stored exactly
    as the ORM would store them. Primary keys are read back by ref afterwards.
    """
    if not profiles:
        return
    connection = connections[router.db_for_write(Profile)]
    fields = [f for f in Profile._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(Profile._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = [[f.get_db_prep_save(f.pre_save(p, True), connection) for f in fields] for p in profiles]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    pks = dict(Profile.objects.filter(ref__in=[p.ref for p in profiles]).values_list("ref", "pk"))
    for profile in profiles:
        profile.pk = pks[profile.ref]
        profile._state.adding = False


def _consent_record(profile: Profile, now) -> ConsentRecord:
    return ConsentRecord(
        profile_id=profile.pk,
        action=ConsentRecord.Action.GIVEN,
        wording_version=FORMAT_VERSION,
        recorded_by=None,
        at=now,
    )


def _write_batch(lines: list[ParsedLine], report: ImportReport) -> None:
    """All of the batch or none of it: one transaction holds the rows and their consent records."""
    now = timezone.now()
    counts = {"loaded": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        _attach_organisations(lines)
        existing = Profile.objects.in_bulk([line.profile.ref for line in lines], field_name="ref")
        new, changed, consents, refused = [], [], [], []
        for line in lines:
            old = existing.get(line.profile.ref)
            if old is None:
                new.append(line.profile)
            elif old.user_id is not None or old.source != Profile.Source.IMPORT:
                refused.append(line.number)
            elif _unchanged(old, line.profile):
                counts["unchanged"] += 1
            else:
                if _carry_over(old, line.profile, now):
                    consents.append(line.profile)
                changed.append(line.profile)
        _insert(new)
        Profile.objects.bulk_update(changed, UPDATED_FIELDS)
        consents += [profile for profile in new if profile.has_sensitive_consent]
        ConsentRecord.objects.bulk_create([_consent_record(profile, now) for profile in consents])
        if new or changed:
            changelog.record_rebuild()  # in the batch's transaction: readers rebuild once they see it
    counts.update(loaded=len(new), updated=len(changed))
    for name, value in counts.items():
        setattr(report, name, getattr(report, name) + value)
    for number in refused:
        report.reject(number, "this ref belongs to a listing its owner wrote here; an import cannot change it.")


def _write_batch_or_lines(lines: list[ParsedLine], report: ImportReport) -> None:
    try:
        _write_batch(lines, report)
    except DatabaseError:
        # Something in the batch broke a database rule; find it by writing the lines one by one.
        for line in lines:
            try:
                _write_batch([line], report)
            except DatabaseError as error:
                report.reject(line.number, f"the database refused this line ({error}).")


def register_import(lines: Iterable[bytes | str], *, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Load interchange lines, idempotent on ``ref``. Bad lines are reported and skipped; the rest load."""
    report = ImportReport()
    batch: dict[str, ParsedLine] = {}
    for number, raw in enumerate(lines, start=1):
        try:
            parsed = parse_line(number, raw, report)
        except LineRejected as error:
            report.reject(number, str(error))
            continue
        if parsed is None:
            continue
        if parsed.profile.ref in batch or len(batch) >= batch_size:
            # A repeated ref must see the earlier line's row, so the batch holding it is written first.
            _write_batch_or_lines(list(batch.values()), report)
            batch = {}
        batch[parsed.profile.ref] = parsed
    if batch:
        _write_batch_or_lines(list(batch.values()), report)
    return report
