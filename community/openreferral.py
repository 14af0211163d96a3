"""Open Referral UK (the UK profile of HSDS 3.0), both ways.

Export: published resources as Open Referral UK services, organisations, locations, schedules and
taxonomy terms, each checked against the schemas bundled in ``community/schemas/openreferral-uk``.
Import: a council's directory (JSON Lines of services, one a line; a JSON list; or an Open Referral API
page or our own export), record by record through ``services.resource_import``: the same id again is an
update, an unchanged record is left alone, and a listing edited here since its last import is kept, with a
warning naming it (``--overwrite-local`` replaces it).

Locality stays a postcode district: an exported location is the district's centre, never an address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator, FormatChecker

from profiles import locality
from profiles import vocabulary as vocab

from . import services
from .models import ACCESSIBILITY, ResourceOrganisation, Schedule, Service, Taxonomy
from .services import ResourceInput, ScheduleInput

SCHEMA_DIR = Path(__file__).with_name("schemas") / "openreferral-uk"
ACCESS_TAXONOMY = "open-circle-accessibility"
NAMESPACE = uuid.UUID("0c7a3c8e-6a49-4d0e-9b7e-6f0c1c0de018")  # derives stable ids for parts we do not store
BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
DAY_OF = {v: k for k, v in BYDAY.items()}
COST_OPTION = {
    Service.Cost.FREE: "Free",
    Service.Cost.PAY_WHAT_YOU_CAN: "Pay what you can",
    Service.Cost.PRICE: "Set price",
}


# --- schemas ----------------------------------------------------------------------------------------------

_checker = FormatChecker()


@_checker.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value:
        raise ValueError("a date-time needs a date and a time")
    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@_checker.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.scheme in ("mailto", "tel", "urn")):
        raise ValueError("not an absolute URI")
    return True


@cache
def validator(kind: str) -> Draft202012Validator:
    """``kind`` is one of "service", "organization", "service_list" (the bundled files' names)."""
    schema = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=_checker)


@cache
def taxonomy_term_validator() -> Draft202012Validator:
    service = json.loads((SCHEMA_DIR / "service.json").read_text(encoding="utf-8"))
    term = service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    return Draft202012Validator(term, format_checker=_checker)


def schema_errors(kind: str, record: dict) -> list[str]:
    """Plain descriptions of where ``record`` breaks the bundled schema (empty when it is valid)."""
    check = taxonomy_term_validator() if kind == "taxonomy_term" else validator(kind)
    found = sorted(check.iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}" for e in found]


# --- export -----------------------------------------------------------------------------------------------


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def organisation_record(org: ResourceOrganisation) -> dict:
    record = {"id": str(org.uid), "name": org.name, "description": org.description or org.name}
    if org.email:
        record["email"] = org.email
    if org.website:
        record["website"] = org.website
    return record


def taxonomy_record(term: Taxonomy) -> dict:
    return {
        "id": str(term.uid),
        "name": term.label,
        "description": term.label,
        "taxonomy": term.vocabulary,
        "term": term.code,
    }


def _access_term(code: str) -> dict:
    return {
        "id": _id("accessibility", code),
        "name": ACCESSIBILITY[code],
        "description": ACCESSIBILITY[code],
        "taxonomy": ACCESS_TAXONOMY,
        "term": code,
    }


def schedule_record(schedule: Schedule, service: Service) -> dict:
    record = {
        "id": str(schedule.uid),
        "service_id": str(service.uid),
        "freq": schedule.frequency,
        "interval": 1,
        "byday": BYDAY[schedule.day],
        "description": schedule.label,
    }
    if schedule.opens_at:
        record["opens_at"] = schedule.opens_at.strftime("%H:%M:%S")
    if schedule.closes_at:
        record["closes_at"] = schedule.closes_at.strftime("%H:%M:%S")
    if schedule.note:
        record["notes"] = schedule.note
    return record


def location_record(service: Service) -> dict | None:
    if service.latitude is None and not service.online:
        return None
    location_id = _id(service.uid, "location")
    if service.latitude is None:
        return {"id": location_id, "location_type": "virtual", "name": "Online"}
    record = {
        "id": location_id,
        "location_type": "physical",
        "name": service.venue or f"Postcode district {service.outcode}",
        "description": f"In postcode district {service.outcode}; the point is the district's centre.",
        "latitude": round(service.latitude, 4),
        "longitude": round(service.longitude, 4),
        "external_identifier": service.outcode,
        "external_identifier_type": "postcode district",
    }
    if service.accessibility_notes or service.access_mask:
        record["accessibility"] = [
            {
                "id": _id(service.uid, "accessibility"),
                "location_id": location_id,
                "description": service.accessibility_notes or "; ".join(service.accessibility_labels),
                "details": "; ".join(service.accessibility_labels),
            }
        ]
    return record


def service_record(service: Service) -> dict:
    """One published resource as an Open Referral UK service (valid against the bundled service.json)."""
    record: dict = {
        "id": str(service.uid),
        "organization_id": str(service.organisation.uid),
        "name": service.name,
        "description": service.description,
        "status": "active" if service.is_published else "inactive",
        "last_modified": _stamp(service.updated_at),
        "organization": organisation_record(service.organisation),
    }
    if service.url:
        record["url"] = service.url
    if service.email:
        record["email"] = service.email
    if service.last_checked_at:
        record["assured_date"] = service.last_checked_at.date().isoformat()
    if service.needs_check:
        record["alert"] = "This listing is past its date for checking: it may be out of date."
    extras = [
        text
        for text in (
            service.who_for and f"Who it is for: {service.who_for}",
            service.how_to_join and f"How to join: {service.how_to_join}",
        )
        if text
    ]
    if extras:
        record["description"] = service.description + "\n\n" + "\n\n".join(extras)
    record["schedules"] = [schedule_record(s, service) for s in service.schedules.all()]
    location = location_record(service)
    if location:
        record["service_at_locations"] = [
            {
                "id": _id(service.uid, "service_at_location"),
                "service_id": str(service.uid),
                "location_id": location["id"],
                "location": location,
            }
        ]
        if service.online and service.latitude is not None:
            record["service_at_locations"].append(
                {
                    "id": _id(service.uid, "service_at_location", "online"),
                    "service_id": str(service.uid),
                    "location_id": _id(service.uid, "location", "online"),
                    "location": {
                        "id": _id(service.uid, "location", "online"),
                        "location_type": "virtual",
                        "name": "Online",
                    },
                }
            )
    record["languages"] = [
        {
            "id": _id(service.uid, "language", code),
            "service_id": str(service.uid),
            "name": vocab.label(vocab.LANGUAGES, code),
            "code": code,
        }
        for code in service.languages
    ]
    option: dict = {"id": _id(service.uid, "cost"), "service_id": str(service.uid)}
    if service.cost in COST_OPTION:
        option["option"] = COST_OPTION[service.cost]
        option["amount"] = round(service.price_pence / 100, 2) if service.cost == Service.Cost.PRICE else 0
        option["amount_description"] = (
            "per session" if service.cost == Service.Cost.PRICE else service.get_cost_display()
        )
        record["cost_options"] = [option]
    if service.phone:
        record["contacts"] = [
            {"id": _id(service.uid, "contact"), "service_id": str(service.uid), "name": service.organisation.name}
        ]
        record["phones"] = [{"id": _id(service.uid, "phone"), "service_id": str(service.uid), "number": service.phone}]
    attributes = []
    for term in service.topics.all():
        term_record = taxonomy_record(term)
        attributes.append(
            {
                "id": _id(service.uid, "attribute", term.code),
                "link_id": str(service.uid),
                "link_type": "service",
                "taxonomy_term_id": term_record["id"],
                "taxonomy_term": term_record,
            }
        )
    for code in service.accessibility:
        term_record = _access_term(code)
        attributes.append(
            {
                "id": _id(service.uid, "attribute", "accessibility", code),
                "link_id": str(service.uid),
                "link_type": "service",
                "taxonomy_term_id": term_record["id"],
                "taxonomy_term": term_record,
            }
        )
    record["attributes"] = attributes
    return record


def exported_services():
    return (
        Service.objects.published()
        .select_related("organisation")
        .prefetch_related("topics", "schedules")
        .order_by("id")
    )


def export_document(*, batch: int = 500) -> Iterator[tuple[str, dict]]:
    """Yields ("organizations" | "services" | "locations" | "schedules" | "taxonomy", record), in that order of
    first appearance per kind, reading the published resources in primary-key batches."""
    seen_orgs: set[int] = set()
    seen_terms: set[int] = set()
    last = 0
    while True:
        chunk = list(exported_services().filter(pk__gt=last)[:batch])
        if not chunk:
            return
        for service in chunk:
            if service.organisation_id not in seen_orgs:
                seen_orgs.add(service.organisation_id)
                yield "organizations", organisation_record(service.organisation)
            record = service_record(service)
            yield "services", record
            for link in record.get("service_at_locations", []):
                yield "locations", link["location"]
            for schedule in record["schedules"]:
                yield "schedules", schedule
            for term in service.topics.all():
                if term.pk not in seen_terms:
                    seen_terms.add(term.pk)
                    yield "taxonomy", taxonomy_record(term)
        last = chunk[-1].pk


SCHEMA_FOR = {"organizations": "organization", "services": "service", "taxonomy": "taxonomy_term"}


# --- import -----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_local: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.created} created",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
        ]
        if self.kept_local:
            parts.append(f"{self.kept_local} kept as edited here")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if self.problems:
            parts.append(f"{len(self.problems)} with problems (not imported)")
        return "Community resources: " + ", ".join(parts) + "."


class RecordRejected(Exception):
    pass


_LANGUAGE_BY_NAME = {label.lower(): code for code, label in vocab.LANGUAGES.items()}
_INTEREST_BY_NAME = {label.lower(): code for code, label in vocab.INTERESTS.items()}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


def _text(value, limit: int) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _time(value) -> dt.time | None:
    match = _TIME.match(str(value or "").strip())
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def _nearest_district(lat: float, lon: float) -> str:
    table = locality.known_outcodes()
    codes = list(table)
    coords = np.asarray([table[c] for c in codes])
    distances = locality.haversine_km(lat, lon, coords[:, 0], coords[:, 1])
    best = int(np.argmin(distances))
    if distances[best] > 50:
        raise RecordRejected("its location is not in the UK (no postcode district within 50 km).")
    return codes[best]


def _place(record: dict, warnings: list[str]) -> tuple[str, str, bool]:
    """(postcode district, venue, online) from the first locations of a record."""
    outcode, venue, online = "", "", False
    for link in record.get("service_at_locations") or []:
        location = (link or {}).get("location") or {}
        if location.get("location_type") == "virtual":
            online = True
            continue
        if outcode:
            continue
        venue = _text(location.get("name"), 200)
        for address in location.get("addresses") or []:
            postcode = (address or {}).get("postal_code")
            if postcode:
                try:
                    outcode = locality.outcode_of(str(postcode))
                    break
                except ValidationError:
                    continue
        lat, lon = location.get("latitude"), location.get("longitude")
        numbers = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
        if not outcode and numbers and -90 <= lat <= 90 and -180 <= lon <= 180:
            outcode = _nearest_district(float(lat), float(lon))
        if not outcode and location.get("external_identifier_type") == "postcode district":
            outcode = _text(location.get("external_identifier"), 4)
    if len([x for x in record.get("service_at_locations") or [] if (x or {}).get("location")]) > 2:
        warnings.append("has more than one place; only the first is kept")
    return outcode, venue, online


def _cost(record: dict) -> tuple[str, int | None]:
    options = [o for o in record.get("cost_options") or [] if isinstance(o, dict)]
    amounts = [o.get("amount") for o in options if isinstance(o.get("amount"), (int, float)) and o.get("amount") > 0]
    words = " ".join(str(o.get("option", "")) + " " + str(o.get("amount_description", "")) for o in options)
    words = (words + " " + str(record.get("fees") or "")).lower()
    if "pay what you can" in words or "donation" in words:
        return Service.Cost.PAY_WHAT_YOU_CAN, None
    if amounts:
        return Service.Cost.PRICE, max(1, round(min(amounts) * 100))
    if options or "free" in words:
        return Service.Cost.FREE, None
    return Service.Cost.ASK, None


def _schedules(record: dict) -> list[ScheduleInput]:
    out = []
    for schedule in record.get("schedules") or []:
        if not isinstance(schedule, dict):
            continue
        freq = schedule.get("freq") if schedule.get("freq") in ("WEEKLY", "MONTHLY") else "WEEKLY"
        for token in str(schedule.get("byday") or "").split(","):
            code = re.sub(r"^[+-]?\d+", "", token.strip().upper())
            if code in DAY_OF:
                out.append(
                    ScheduleInput(
                        DAY_OF[code],
                        freq,
                        _time(schedule.get("opens_at")),
                        _time(schedule.get("closes_at")),
                        _text(schedule.get("notes") or "", 200),
                    )
                )
    return out


def _terms(record: dict) -> tuple[list[str], list[str]]:
    topics, access = [], []
    for attribute in record.get("attributes") or []:
        term = (attribute or {}).get("taxonomy_term") or {}
        code = vocab.normalise_tag(term.get("term") or term.get("name") or "")
        if not code:
            continue
        if term.get("taxonomy") == ACCESS_TAXONOMY and code in ACCESSIBILITY:
            access.append(code)
        else:
            topics.append(_INTEREST_BY_NAME.get(str(term.get("name", "")).lower(), code))
    return topics, access


def _languages(record: dict) -> list[str]:
    out = []
    for language in record.get("languages") or []:
        language = language or {}
        code = str(language.get("code") or "").lower()
        if code in vocab.LANGUAGES:
            out.append(code)
        elif str(language.get("name") or "").lower() in _LANGUAGE_BY_NAME:
            out.append(_LANGUAGE_BY_NAME[str(language["name"]).lower()])
        elif language.get("name"):
            out.append(vocab.normalise_tag(language["name"]))
    return out


def _access_notes(record: dict) -> str:
    notes = []
    for link in record.get("service_at_locations") or []:
        for item in ((link or {}).get("location") or {}).get("accessibility") or []:
            text = (item or {}).get("description") or (item or {}).get("accessibility") or ""
            if text:
                notes.append(str(text))
    return _text(" ".join(notes), 2000)


def parse_service(record) -> tuple[str, ResourceInput, dt.date | None, list[str]]:
    """An Open Referral UK service as (its id, what we keep, its assured date, warnings). Raises
    RecordRejected with a plain reason when it cannot be used."""
    if not isinstance(record, dict):
        raise RecordRejected("is not a JSON object (each record is one service).")
    errors = schema_errors("service", record)
    if errors:
        raise RecordRejected("does not match the Open Referral UK service schema: " + "; ".join(errors[:3]))
    warnings: list[str] = []
    organisation = record.get("organization") or {}
    outcode, venue, online = _place(record, warnings)
    cost, price = _cost(record)
    topics, access = _terms(record)
    checked = None
    if record.get("assured_date"):
        try:
            checked = dt.date.fromisoformat(str(record["assured_date"])[:10])
        except ValueError:
            warnings.append(f"assured_date {str(record['assured_date'])[:20]!r} is not a date; left out")
    data = ResourceInput(
        organisation_name=_text(organisation.get("name") or "", 200) or "Organisation not named",
        organisation_description=_text(organisation.get("description"), 4000),
        organisation_website=_text(organisation.get("website"), 300),
        organisation_email=_text(organisation.get("email"), 254),
        name=_text(record.get("name"), 200),
        description=_text(record.get("description") or record.get("name"), 4000),
        topics=topics,
        cost=cost,
        price_pence=price,
        accessibility=access,
        accessibility_notes=_access_notes(record),
        languages=_languages(record),
        url=_text(record.get("url"), 300),
        email=_text(record.get("email"), 254),
        phone=_text(((record.get("phones") or [{}])[0] or {}).get("number"), 30),
        online=online or not outcode,
        venue=venue,
        postcode=outcode,
        schedules=_schedules(record),
    )
    if not outcode:
        warnings.append("has no UK place we could read; listed as online")
    return str(record["id"]), data, checked, warnings


def digest(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def import_records(records: Iterable[tuple[str, object]], *, overwrite_local: bool = False) -> ImportReport:
    """``records`` are (where, record) pairs; ``where`` names the line (or page and record) for messages."""
    report = ImportReport()
    for where, record in records:
        if isinstance(record, RecordRejected):
            report.problems.append(f"{where}: {record}")
            continue
        try:
            external_id, data, checked, warnings = parse_service(record)
            if record.get("status") != "active":
                report.skipped += 1
                report.warnings.append(
                    f"{where}: service {external_id} is {record.get('status')!r}, not active; not imported"
                )
                continue
            outcome, service = services.resource_import(
                actor=None,
                external_id=external_id,
                data=data,
                digest=digest(record),
                checked_on=checked,
                overwrite_local=overwrite_local,
            )
        except RecordRejected as error:
            report.problems.append(f"{where}: {error}")
            continue
        except ValidationError as error:
            details = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in getattr(error, "message_dict", {}).items()
            ) or " ".join(error.messages)
            report.problems.append(f"{where}: {details}")
            continue
        report.warnings.extend(f"{where}: service {external_id} {w}" for w in warnings)
        if outcome == "kept_local":
            report.kept_local += 1
            report.warnings.append(
                f"{where}: service {external_id} ({service.name}) was changed here on "
                f"{service.edited_locally_at:%d %B %Y}; kept our version (run with --overwrite-local to replace it)"
            )
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


# --- reading files and URLs into (where, record) pairs ---------------------------------------------------

_LIST_KEY = re.compile(r'"(contents|services)"\s*:\s*\[')


def _array_items(text: str, start: int) -> Iterator[tuple[int, object]]:
    """Each item of the JSON array whose "[" is at ``start``, with the line it starts on."""
    decoder = json.JSONDecoder()
    position = start + 1
    line = text.count("\n", 0, position) + 1
    counted_to = position
    length = len(text)
    while position < length:
        while position < length and text[position] in " \t\r\n,":
            position += 1
        if position >= length or text[position] == "]":
            return
        line += text.count("\n", counted_to, position)
        counted_to = position
        try:
            item, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield line, RecordRejected(f"is not valid JSON ({error.msg}); the rest of the file was not read.")
            return
        yield line, item
        position = end


def records_from_text(text: str) -> Iterator[tuple[str, object]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        for line, item in _array_items(text, text.index("[")):
            yield f"line {line}", item
        return
    if stripped.startswith("{"):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict) and ("contents" in whole or "services" in whole):
            match = _LIST_KEY.search(text)
            if match:
                for line, item in _array_items(text, match.end() - 1):
                    yield f"line {line}", item
                return
    # JSON Lines: one service per line.
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except json.JSONDecodeError as error:
            yield f"line {number}", RecordRejected(f"is not valid JSON ({error.msg} at column {error.colno}).")


def records_from_url(url: str, *, max_pages: int = 1000, timeout: float = 30.0) -> Iterator[tuple[str, object]]:
    """An Open Referral API's /services list, page by page (``?page=N``), or one JSON file at a URL."""
    import requests

    page = 1
    while page <= max_pages:
        response = requests.get(url, params={"page": page} if page > 1 else None, timeout=timeout)
        response.raise_for_status()
        body = response.json()
        if not isinstance(body, dict) or "contents" not in body:
            yield from records_from_text(response.text)
            return
        for number, item in enumerate(body.get("contents") or [], start=1):
            yield f"page {page}, record {number}", item
        total_pages = body.get("total_pages") or 1
        if body.get("last_page") or page >= int(total_pages):
            return
        page += 1
