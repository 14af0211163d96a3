"""Locality without addresses: postcodes are cut to their district and located offline.

The table is ``uk-outcodes.csv`` (district centroids; attribution in its header and on the
"about the data" page). A full postcode is never stored: ``locate`` returns only the district.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            _(
                "That does not look like a UK postcode. Type a postcode such as BB1 2AB, "
                "or just its first part, such as BB1."
            ),
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
            _(
                "We do not know the district %(outcode)s yet, so we used the middle of the %(area)s "
                "postcode area. Distances to you will be less exact."
            )
            % {"outcode": outcode, "area": area},
        )
    raise ValidationError(
        _("We could not find the postcode area %(area)s. Check the postcode, or try a nearby one.") % {"area": area},
        code="unknown_postcode",
    )


def known_outcodes() -> dict[str, tuple[float, float]]:
    return dict(_table())


# The distance formula, written once (docs/decisions/rules-written-once.md). matching.scoring.features
# re-exports these; the match index keeps unit vectors and measures with ``half_chord_km``; its compiled
# loop (matching.kernels.score_rows) inlines the same arithmetic and tests/profiles/test_distance_one_formula.py
# proves every form agrees with ``haversine_km`` to 1e-6 km.


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (haversine); works on scalars and NumPy arrays alike."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return half_chord_km(np.sqrt(a))


def half_chord_km(half_chord):
    """The great-circle distance for half the straight-line chord between two points on the unit
    sphere: ``sqrt(a)`` in the haversine is exactly that half-chord."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, half_chord))


def unit_vectors(lat, lon):
    """Points on the unit sphere as (x, y, z). The match index keeps these, so a query needs no sin or
    cos per row: half the chord between two of them goes straight into ``half_chord_km``."""
    p, lam = np.radians(np.asarray(lat, np.float64)), np.radians(np.asarray(lon, np.float64))
    cos_p = np.cos(p)
    return cos_p * np.cos(lam), cos_p * np.sin(lam), np.sin(p)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points, as a plain float."""
    return float(haversine_km(lat1, lon1, lat2, lon2))


def rounded_distance(km: float) -> str:
    """A distance as people say it, never more exact than the district centroids allow."""
    miles = km / KM_PER_MILE
    if miles < 1:
        return _("less than a mile away")
    if miles < 10:
        whole = round(miles)
        return ngettext("about %(number)d mile away", "about %(number)d miles away", whole) % {"number": whole}
    rounded = int(round(miles / 5.0) * 5)
    return ngettext("about %(number)d mile away", "about %(number)d miles away", rounded) % {"number": rounded}
