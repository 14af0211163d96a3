"""Locality without addresses: postcodes are cut to their district and located offline.

The table is ``uk-outcodes.csv`` (district centroids; attribution in its header and on the
"about the data" page). A full postcode is never stored: ``locate`` returns only the district.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

TABLE_PATH = Path(__file__).with_name("uk-outcodes.csv")
EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344

# Outward code (district) and an optional inward code ("9AB"). Spaces are optional on input.
_POSTCODE = re.compile(r"^(?P<out>[A-Z]{1,2}[0-9][A-Z0-9]?)\s*(?P<in>[0-9][A-Z]{2})?$")
_AREA = re.compile(r"^[A-Z]{1,2}")


@dataclass(frozen=True)
class Place:
    outcode: str
    latitude: float
    longitude: float
    precision: str  # "district", or "area" when the district was not in the table
    message: str = ""


@cache
def _table() -> dict[str, tuple[float, float]]:
    with TABLE_PATH.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["outcode"]: (float(row["latitude"]), float(row["longitude"])) for row in rows}


@cache
def _areas() -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = {}
    for outcode, (lat, lon) in _table().items():
        area = _AREA.match(outcode).group(0)
        total = sums.setdefault(area, [0.0, 0.0, 0])
        total[0] += lat
        total[1] += lon
        total[2] += 1
    return {area: (lat / n, lon / n) for area, (lat, lon, n) in sums.items()}


def outcode_of(text: str) -> str:
    """The district part of a postcode typed by a person. Raises ValidationError if it is not one."""
    cleaned = re.sub(r"\s+", " ", (text or "").strip().upper())
    match = _POSTCODE.match(cleaned)
    if not match:
        raise ValidationError(
            "That does not look like a UK postcode. Type a postcode such as BB1 2AB, "
            "or just its first part, such as BB1.",
            code="invalid_postcode",
        )
    return match.group("out")


def locate(text: str) -> Place:
    """Where a postcode's district is. Falls back to the postcode area, saying so."""
    outcode = outcode_of(text)
    table = _table()
    if outcode in table:
        lat, lon = table[outcode]
        return Place(outcode, lat, lon, "district")
    area = _AREA.match(outcode).group(0)
    if area in _areas():
        lat, lon = _areas()[area]
        return Place(
            outcode,
            lat,
            lon,
            "area",
            f"We do not know the district {outcode} yet, so we used the middle of the {area} "
            "postcode area. Distances to you will be less exact.",
        )
    raise ValidationError(
        f"We could not find the postcode area {area}. Check the postcode, or try a nearby one.",
        code="unknown_postcode",
    )


def known_outcodes() -> dict[str, tuple[float, float]]:
    return dict(_table())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def rounded_distance(km: float) -> str:
    """A distance as people say it, never more exact than the district centroids allow."""
    miles = km / KM_PER_MILE
    if miles < 1:
        return "less than a mile away"
    if miles < 10:
        whole = round(miles)
        return f"about {whole} mile{'s' if whole != 1 else ''} away"
    return f"about {int(round(miles / 5.0) * 5)} miles away"
