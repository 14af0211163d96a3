"""Reading community resources: who may see a listing, the one search, areas and suggestions.

Search runs in SQL: the filters (topic, cost, day, accessibility, district) and, when a place is given, a
bounding box on the indexed latitude and longitude columns. Only the rows inside the box come back to Python
(id, latitude, longitude), where the project's one distance formula (``profiles.locality.haversine_km``)
trims the box to a circle and orders by distance; the page's listings are then loaded by primary key.
No read loads the whole table.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import Count, F
from django.http import Http404
from django.utils.translation import gettext

from profiles import locality
from profiles import vocabulary as vocab
from profiles.models import Profile

from .models import ACCESS_BITS, DAY_BITS, Service
from .services import can_curate

DEFAULT_RADIUS_KM = 16  # about ten miles
MAX_RADIUS_KM = 80
PAGE_SIZE = 20
KM_PER_DEGREE_LAT = 111.2


def service_for_viewer(*, service_id: int, viewer) -> Service:
    """A published listing for anyone; a suggestion only for who suggested it and for curators. 404 else."""
    service = (
        Service.objects.select_related("organisation")
        .prefetch_related("topics", "schedules")
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise Http404("No such resource.")
    if service.status == Service.Status.PUBLISHED or can_curate(viewer):
        return service
    if service.status == Service.Status.SUGGESTED and getattr(viewer, "pk", None) == service.suggested_by_id:
        return service
    raise Http404("No such resource.")


def suggestions_waiting(viewer):
    """Suggestions for curators to publish (newest first)."""
    if not can_curate(viewer):
        return Service.objects.none()
    return Service.objects.filter(status=Service.Status.SUGGESTED).select_related("organisation").order_by("-id")


def due_for_check(viewer, *, limit: int = 50):
    """Published listings past the freshness date, oldest check first, for curators."""
    if not can_curate(viewer):
        return Service.objects.none()
    return Service.objects.needing_check().select_related("organisation").order_by("last_checked_at")[:limit]


# --- search -----------------------------------------------------------------------------------------------


@dataclass
class ResourceQuery:
    place: locality.Place | None = None
    within_km: float = DEFAULT_RADIUS_KM
    district: str = ""
    topic: str = ""
    cost: list[str] = field(default_factory=list)
    day: str = ""
    accessibility: list[str] = field(default_factory=list)
    include_online: bool = True
    page: int = 1


@dataclass
class Hit:
    service: Service
    distance_km: float | None

    @property
    def distance_label(self) -> str:
        if self.distance_km is None:
            return gettext("Online") if self.service.online else ""
        return locality.rounded_distance(self.distance_km)


@dataclass
class ResultPage:
    hits: list[Hit]
    total: int
    page: int
    pages: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) around a point: a box that holds every point within ``km``."""
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(min(89.0, abs(lat) + dlat)))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _filtered(query: ResourceQuery):
    qs = Service.objects.published()
    if query.topic:
        qs = qs.filter(topics__code=query.topic)
    if query.cost:
        qs = qs.filter(cost__in=query.cost)
    if query.day in DAY_BITS:
        qs = qs.annotate(_day=F("days_mask").bitand(DAY_BITS[query.day])).filter(_day__gt=0)
    mask = sum(ACCESS_BITS[code] for code in set(query.accessibility) if code in ACCESS_BITS)
    if mask:
        qs = qs.annotate(_access=F("access_mask").bitand(mask)).filter(_access=mask)
    if query.district:
        qs = qs.filter(outcode=query.district)
    return qs


def _near(qs, lat: float, lon: float, km: float) -> tuple[np.ndarray, np.ndarray]:
    """Ids and distances (nearest first) of the rows of ``qs`` within ``km``: the box in SQL, the circle here."""
    south, north, west, east = bounding_box(lat, lon, km)
    box = qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
    # The statement Django writes, read with the cursor straight into an array: three numbers a row need no
    # model machinery, and a wide search may read thousands of rows.
    sql, params = box.values_list("id", "latitude", "longitude").query.sql_with_params()
    with connections[box.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return np.empty(0, np.int64), np.empty(0)
    data = np.asarray(rows, dtype=np.float64)
    distances = locality.haversine_km(lat, lon, data[:, 1], data[:, 2])
    inside = distances <= km
    ids, distances = data[inside, 0].astype(np.int64), distances[inside]
    order = np.lexsort((ids, distances))
    return ids[order], distances[order]


def _load(ids: list[int]) -> dict[int, Service]:
    """The page's listings with what their cards show (topics are on the resource page, not the card)."""
    return {
        s.pk: s for s in Service.objects.filter(pk__in=ids).select_related("organisation").prefetch_related("schedules")
    }


def search(query: ResourceQuery, *, page_size: int = PAGE_SIZE) -> ResultPage:
    """The one resource search, used by the list page, the map, the API, suggestions and the area pages."""
    qs = _filtered(query)
    page = max(1, query.page)
    if query.place is None:
        total = qs.count()
        pages = max(1, math.ceil(total / page_size))
        page = min(page, pages)
        ids = list(qs.order_by("name", "id").values_list("id", flat=True)[(page - 1) * page_size : page * page_size])
        loaded = _load(ids)
        return ResultPage([Hit(loaded[i], None) for i in ids if i in loaded], total, page, pages)

    km = min(float(query.within_km or DEFAULT_RADIUS_KM), MAX_RADIUS_KM)
    near_ids, near_km = _near(qs, query.place.latitude, query.place.longitude, km)
    online_ids: list[int] = []
    online_total = 0
    if query.include_online and not query.district:
        online_qs = qs.filter(online=True, latitude__isnull=True)
        online_total = online_qs.count()
    total = len(near_ids) + online_total
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    start, stop = (page - 1) * page_size, page * page_size
    # Places nearest first, then online-only resources (by name) after them.
    chosen = [(int(i), float(d)) for i, d in zip(near_ids[start:stop], near_km[start:stop], strict=True)]
    if online_total and stop > len(near_ids):
        first = max(0, start - len(near_ids))
        count = stop - max(start, len(near_ids))
        online_ids = list(online_qs.order_by("name", "id").values_list("id", flat=True)[first : first + count])
    loaded = _load([i for i, _ in chosen] + online_ids)
    hits = [Hit(loaded[i], d) for i, d in chosen if i in loaded]
    hits += [Hit(loaded[i], None) for i in online_ids if i in loaded]
    return ResultPage(hits, total, page, pages)


# --- areas: resources and supporters in and around a district --------------------------------------------


@dataclass
class DistrictCount:
    outcode: str
    latitude: float
    longitude: float
    distance_km: float
    resources: int = 0
    pa: int = 0
    peer_advisor: int = 0
    broker: int = 0

    @property
    def supporters(self) -> int:
        return self.pa + self.peer_advisor + self.broker


def _districts_near(lat: float, lon: float, km: float) -> dict[str, tuple[float, float, float]]:
    table = locality.known_outcodes()
    if not table:
        return {}
    codes = list(table)
    coords = np.asarray([table[c] for c in codes])
    distances = locality.haversine_km(lat, lon, coords[:, 0], coords[:, 1])
    return {
        codes[i]: (float(coords[i, 0]), float(coords[i, 1]), float(distances[i]))
        for i in np.nonzero(distances <= km)[0]
    }


def area_counts(place: locality.Place, km: float = 10.0) -> list[DistrictCount]:
    """Per district within ``km`` of a place (by district centre): published resources and listed supporters.
    Counted in SQL, grouped by district; only districts' centres are measured here."""
    districts = _districts_near(place.latitude, place.longitude, km)
    result = {code: DistrictCount(code, lat, lon, d) for code, (lat, lon, d) in districts.items()}
    if not result:
        return []
    codes = list(result)
    for row in (
        Service.objects.published().filter(outcode__in=codes).values("outcode").annotate(n=Count("id")).order_by()
    ):
        result[row["outcode"]].resources = row["n"]
    for row in (
        Profile.objects.listed()
        .supporters()
        .filter(outcode__in=codes)
        .values("outcode", "role")
        .annotate(n=Count("id"))
        .order_by()
    ):
        setattr(result[row["outcode"]], row["role"], row["n"])
    return sorted(result.values(), key=lambda d: (d.distance_km, d.outcode))


@dataclass
class Gap:
    text: str


def area_gaps(place: locality.Place, km: float = 10.0) -> list[Gap]:
    """What people nearby look for that nobody nearby offers: languages seekers speak that no listed PA within
    ``km`` speaks, and seekers' interests with no published resource within ``km``. Seekers are not counted
    or named here, only the gap, and only when enough of them share the wish (PUBLISH_MIN_COUNT)."""
    south, north, west, east = bounding_box(place.latitude, place.longitude, km)

    def within(qs):
        box = qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
        return list(box.values_list("latitude", "longitude", "languages"))

    def in_circle(rows):
        if not rows:
            return []
        coords = np.asarray([(r[0], r[1]) for r in rows], dtype=np.float64)
        keep = locality.haversine_km(place.latitude, place.longitude, coords[:, 0], coords[:, 1]) <= km
        return [r for r, k in zip(rows, keep, strict=True) if k]

    seekers = Profile.objects.listed().filter(role=Profile.Role.SEEKER)
    seeker_rows = list(
        seekers.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east).values_list(
            "latitude", "longitude", "languages", "interests"
        )
    )
    seeker_rows = in_circle(seeker_rows)
    # Like every published aggregate, a wish counts only when at least PUBLISH_MIN_COUNT seekers share it,
    # so a gap never points at one person.
    least = int(getattr(settings, "PUBLISH_MIN_COUNT", 10))
    languages = Counter(lang for r in seeker_rows for lang in set(r[2] or []) if lang != "en")
    interests = Counter(tag for r in seeker_rows for tag in set(r[3] or []))
    wanted_languages = sorted(lang for lang, n in languages.items() if n >= least)
    wanted_interests = sorted(tag for tag, n in interests.items() if n >= least)

    pa_rows = in_circle(within(Profile.objects.listed().filter(role=Profile.Role.PA)))
    pa_languages = {lang for r in pa_rows for lang in (r[2] or [])}
    gaps = [
        Gap(
            gettext("No %(language)s-speaking PA within %(km)s km, though people nearby speak it.")
            % {"language": vocab.translated_label(vocab.LANGUAGES, lang), "km": f"{km:g}"}
        )
        for lang in wanted_languages
        if lang not in pa_languages
    ]
    for tag in wanted_interests:
        query = ResourceQuery(place=place, within_km=km, topic=tag, include_online=False)
        ids, _ = _near(_filtered(query), place.latitude, place.longitude, km)
        if not len(ids):
            gaps.append(
                Gap(
                    gettext("No %(interest)s group or resource within %(km)s km.")
                    % {"interest": vocab.translated_label(vocab.INTERESTS, tag).lower(), "km": f"{km:g}"}
                )
            )
    if not pa_rows:
        gaps.insert(0, Gap(gettext("No listed PA within %(km)s km.") % {"km": f"{km:g}"}))
    return gaps


def recent_changes(outcodes: list[str], *, limit: int = 10):
    """Resources in these districts most recently added, changed or checked."""
    return (
        Service.objects.filter(outcode__in=outcodes)
        .exclude(status=Service.Status.SUGGESTED)
        .select_related("organisation")
        .order_by("-updated_at")[:limit]
    )


# --- suggestions for a seeker, explained like a match -----------------------------------------------------


@dataclass
class Suggestion:
    service: Service
    distance_km: float | None
    reason: str


def _when(service: Service) -> str:
    schedules = list(service.schedules.all())
    if not schedules:
        return ""
    days = list(dict.fromkeys(s.label.split(",")[0] for s in schedules[:2]))
    if len(days) == 1:
        return days[0]
    return gettext("%(first)s and %(second)s") % {"first": days[0], "second": days[1]}


def _reason(tag: str, hit: Hit) -> str:
    """Why a resource is suggested, as one whole sentence for each case (so each language can order it)."""
    words = {
        "interest": vocab.translated_label(vocab.INTERESTS, tag).lower(),
        "name": hit.service.name,
        "days": _when(hit.service),
        "where": hit.distance_label if hit.distance_km is not None else "",
    }
    online = hit.distance_km is None and hit.service.online
    if words["days"]:
        if words["where"]:
            return gettext("You like %(interest)s: %(name)s meets on %(days)s, %(where)s") % words
        if online:
            return gettext("You like %(interest)s: %(name)s meets on %(days)s, online") % words
        return gettext("You like %(interest)s: %(name)s meets on %(days)s") % words
    if words["where"]:
        return gettext("You like %(interest)s: %(name)s, %(where)s") % words
    if online:
        return gettext("You like %(interest)s: %(name)s, online") % words
    return gettext("You like %(interest)s: %(name)s") % words


def suggestions_for(user, *, limit: int = 5) -> list[Suggestion]:
    """Resources near a signed-in seeker that match the interests on their own seeker listing."""
    if not getattr(user, "is_authenticated", False):
        return []
    seeker = Profile.objects.filter(user=user, role=Profile.Role.SEEKER).exclude(interests=[]).order_by("id").first()
    if seeker is None:
        return []
    place = locality.Place(seeker.outcode, seeker.latitude, seeker.longitude, "district")
    suggestions: list[Suggestion] = []
    seen: set[int] = set()
    for tag in seeker.interests[:10]:
        result = search(ResourceQuery(place=place, topic=tag, include_online=True), page_size=limit)
        for hit in result.hits:
            if hit.service.pk in seen:
                continue
            seen.add(hit.service.pk)
            suggestions.append(Suggestion(hit.service, hit.distance_km, _reason(tag, hit)))
    suggestions.sort(key=lambda s: (s.distance_km is None, s.distance_km or 0.0))
    return suggestions[:limit]


def supporters_near(place: locality.Place, km: float) -> dict[str, int]:
    """How many listed supporters of each role are within ``km`` (by district centre)."""
    counts = {"pa": 0, "peer_advisor": 0, "broker": 0}
    for district in area_counts(place, km):
        counts["pa"] += district.pa
        counts["peer_advisor"] += district.peer_advisor
        counts["broker"] += district.broker
    return counts
