"""A plain map of districts, drawn on the server as SVG from the bundled district centres.

Used when no tile URL is set (``COMMUNITY_MAP_TILE_URL``: tests, offline, or an operator who wants no third
party). Each district near the centre is a dot at its centre, labelled with its code; its size says how
much is there. Resources found by the search are numbered markers, the same numbers as the list beside the
map, which says everything the map shows in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext

from .selectors import DistrictCount, Hit

WIDTH, HEIGHT, MARGIN = 600, 420, 30


@dataclass
class Dot:
    x: float
    y: float
    r: float
    label: str
    text: str
    highlight: bool = False


@dataclass
class Marker:
    x: float
    y: float
    number: int
    name: str


@dataclass
class SvgMap:
    dots: list[Dot]
    markers: list[Marker]
    width: int = WIDTH
    height: int = HEIGHT
    title: str = ""
    description: str = ""


def _projector(lat0: float, lon0: float, km: float):
    """Equirectangular around the centre: good enough for a few tens of kilometres."""
    scale = min(WIDTH, HEIGHT) / 2 - MARGIN
    kx = 111.2 * math.cos(math.radians(lat0))

    def project(lat: float, lon: float) -> tuple[float, float]:
        dx = (lon - lon0) * kx / km
        dy = (lat - lat0) * 111.2 / km
        return round(WIDTH / 2 + dx * scale, 1), round(HEIGHT / 2 - dy * scale, 1)

    return project


def draw(
    *,
    centre_lat: float,
    centre_lon: float,
    km: float,
    districts: list[DistrictCount],
    hits: list[Hit],
    centre_code: str = "",
) -> SvgMap:
    project = _projector(centre_lat, centre_lon, km)
    dots = []
    for district in districts:
        x, y = project(district.latitude, district.longitude)
        if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
            continue
        total = district.resources + district.supporters
        dots.append(
            Dot(
                x,
                y,
                round(4 + min(14.0, 3 * math.sqrt(total)), 1),
                district.outcode,
                gettext("%(district)s: %(resources)s resources, %(supporters)s supporters")
                % {"district": district.outcode, "resources": district.resources, "supporters": district.supporters},
                district.outcode == centre_code,
            )
        )
    markers = []
    for number, hit in enumerate(hits, start=1):
        service = hit.service
        if service.latitude is None:
            continue
        x, y = project(service.latitude, service.longitude)
        if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
            markers.append(Marker(x, y, number, service.name))
    return SvgMap(
        dots,
        markers,
        title=(
            gettext("Map of districts within %(km)s km of %(district)s") % {"km": f"{km:g}", "district": centre_code}
            if centre_code
            else gettext("Map of districts")
        ),
        description=gettext(
            "%(districts)s districts shown as dots sized by how many resources and supporters each has; "
            "%(markers)s numbered resources. The list next to the map gives the same information."
        )
        % {"districts": len(dots), "markers": len(markers)},
    )
