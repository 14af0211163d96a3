"""Community pages: thin views over community.services and community.selectors."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.client_ip import client_ip, limit_key
from marketplace.csvsafe import SafeWriter
from marketplace.throttling import _in_words, hit
from profiles import locality

from . import charts, mapdraw, selectors, services
from .forms import ResourceForm, ResourceSearchForm
from .models import fresh_days

AREA_KM = 10.0


def _limited(request):
    """The search pages' per-address limit (scope "search_pages"), as on the register pages."""
    wait, rate = hit("search_pages", limit_key(client_ip(request)))
    if not wait:
        return None
    response = render(request, "429.html", {"wait_words": _in_words(wait), "rate": rate.describe()}, status=429)
    response["Retry-After"] = str(wait)
    return response


def tile_url() -> str:
    return getattr(settings, "COMMUNITY_MAP_TILE_URL", "") or ""


def tile_map(place, km: float, hits) -> dict | None:
    """What the interactive map needs when the operator set a tile URL: the tiles, their attribution, the
    search's centre and radius, and each listed resource with a place, numbered as in the list (district
    centres only, as everywhere on the register). None without a tile URL: the district map is used."""
    url = tile_url()
    if not url or place is None:
        return None
    points = [
        {"number": number, "name": hit.service.name, "lat": hit.service.latitude, "lon": hit.service.longitude}
        for number, hit in enumerate(hits, start=1)
        if hit.service.latitude is not None and hit.service.longitude is not None
    ]
    return {
        "tiles": url,
        "attribution": getattr(settings, "COMMUNITY_MAP_ATTRIBUTION", ""),
        "centre": [place.latitude, place.longitude],
        "km": km,
        "points": points,
        "label": _("Map of the resources listed: the list beside it says the same"),
    }


def index(request):
    """Find community resources: filters, a list, and a map of the same results with the list beside it."""
    refused = _limited(request)
    if refused:
        return refused
    form = ResourceSearchForm(request.GET or None)
    result = svg = interactive = None
    place = None
    if not request.GET or form.is_valid():
        query = form.to_query() if request.GET else selectors.ResourceQuery()
        place = query.place
        result = selectors.search(query)
        if place is not None:
            km = min(float(query.within_km), selectors.MAX_RADIUS_KM)
            districts = selectors.area_counts(place, km)
            svg = mapdraw.draw(
                centre_lat=place.latitude,
                centre_lon=place.longitude,
                km=km,
                districts=districts,
                hits=result.hits,
                centre_code=place.outcode,
            )
            interactive = tile_map(place, km, result.hits)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "svg": svg,
        "place": place,
        "query_string": params.urlencode(),
        "suggestions": selectors.suggestions_for(request.user),
        "can_curate": services.can_curate(request.user),
        "tile_url": tile_url(),
        "tile_map": interactive,
    }
    return render(request, "community/index.html", context)


def detail(request, service_id: int):
    service = selectors.service_for_viewer(service_id=service_id, viewer=request.user)
    return render(
        request,
        "community/detail.html",
        {
            "service": service,
            "can_curate": services.can_curate(request.user),
            "can_edit": services.can_edit(service, request.user),
            "weekly_pounds": f"{service.weekly_cost_pence / 100:.2f}",
        },
    )


@login_required
def suggest(request):
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.resource_suggest(actor=request.user, data=form.to_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if services.can_curate(request.user):
                messages.success(
                    request, _("Thank you. It is saved as a suggestion: publish it when you have checked it.")
                )
            else:
                messages.success(
                    request,
                    _("Thank you. A coordinator or moderator will check it and publish it. Only you can see it now."),
                )
            return redirect(service.get_absolute_url())
    return render(request, "community/form.html", {"form": form, "title": _("Suggest a community resource")})


@login_required
def edit(request, service_id: int):
    service = selectors.service_for_viewer(service_id=service_id, viewer=request.user)
    if not services.can_edit(service, request.user):
        raise Http404("No such resource.")
    form = ResourceForm(request.POST or None, initial=ResourceForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_edit(actor=request.user, service=service, data=form.to_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved your changes."))
            return redirect(service.get_absolute_url())
    return render(
        request,
        "community/form.html",
        {"form": form, "title": _("Change %(name)s") % {"name": service.name}, "service": service},
    )


def _curator_action(request, service_id: int, action, done: str):
    service = selectors.service_for_viewer(service_id=service_id, viewer=request.user)
    try:
        action(actor=request.user, service=service)
    except PermissionDenied:
        raise Http404("No such resource.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(service.get_absolute_url())


@login_required
@require_POST
def publish(request, service_id: int):
    return _curator_action(request, service_id, services.resource_publish, _("Published. Anyone can find it now."))


@login_required
@require_POST
def mark_checked(request, service_id: int):
    return _curator_action(request, service_id, services.resource_mark_checked, _("Marked as checked today, by you."))


@login_required
@require_POST
def withdraw(request, service_id: int):
    return _curator_action(
        request, service_id, services.resource_withdraw, _("Withdrawn. It no longer shows in search.")
    )


@login_required
@require_POST
def add_to_plan(request, service_id: int):
    """Adds the resource as a line of the person's support plan (planning owns plans and their costing)."""
    from planning import services as planning_services

    service = selectors.service_for_viewer(service_id=service_id, viewer=request.user)
    if not service.is_published:
        raise Http404("No such resource.")
    try:
        planning_services.add_resource_line(
            user=request.user,
            resource_id=service.pk,
            title=service.name[:200],
            weekly_cost_pence=service.weekly_cost_pence,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(service.get_absolute_url())
    if service.weekly_cost_pence:
        added = _("Added %(name)s to your support plan, at £%(pounds)s a week.") % {
            "name": service.name,
            "pounds": f"{service.weekly_cost_pence / 100:.2f}",
        }
    else:
        added = _("Added %(name)s to your support plan, at no cost.") % {"name": service.name}
    messages.success(request, added)
    return redirect(service.get_absolute_url())


@login_required
def review(request):
    """For coordinators and moderators: suggestions to publish, and listings past their freshness date."""
    if not services.can_curate(request.user):
        raise Http404("No such page.")
    return render(
        request,
        "community/review.html",
        {
            "waiting": selectors.suggestions_waiting(request.user)[:50],
            "due": selectors.due_for_check(request.user),
            "fresh_days": fresh_days(),
        },
    )


# --- area pages -------------------------------------------------------------------------------------------


def _place_for(outcode: str) -> locality.Place:
    try:
        place = locality.locate(outcode)
    except ValidationError:
        raise Http404("We do not know that district.") from None
    if place.outcode != outcode.upper():
        raise Http404("We do not know that district.")
    return place


def area_lookup(request):
    postcode = request.GET.get("postcode", "").strip()
    error = ""
    if postcode:
        try:
            place = locality.locate(postcode)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("community:area", outcode=place.outcode)
    return render(request, "community/area_lookup.html", {"error": error, "postcode": postcode})


def _area_data(place: locality.Place) -> dict:
    districts = selectors.area_counts(place, AREA_KM)
    here = next((d for d in districts if d.outcode == place.outcode), None)
    totals = {
        "pa": sum(d.pa for d in districts),
        "peer_advisor": sum(d.peer_advisor for d in districts),
        "broker": sum(d.broker for d in districts),
        "resources": sum(d.resources for d in districts),
    }
    in_district = {
        "pa": here.pa if here else 0,
        "peer_advisor": here.peer_advisor if here else 0,
        "broker": here.broker if here else 0,
        "resources": here.resources if here else 0,
    }
    return {"districts": districts, "totals": totals, "in_district": in_district}


ROWS = (
    ("pa", gettext_lazy("Personal assistants (PAs)")),
    ("peer_advisor", gettext_lazy("Peer advisors")),
    ("broker", gettext_lazy("Support brokers")),
    ("resources", gettext_lazy("Community resources")),
)


def area(request, outcode: str):
    refused = _limited(request)
    if refused:
        return refused
    place = _place_for(outcode)
    data = _area_data(place)
    rows = [
        {"key": key, "label": label, "here": data["in_district"][key], "near": data["totals"][key]}
        for key, label in ROWS
    ]
    svg = mapdraw.draw(
        centre_lat=place.latitude,
        centre_lon=place.longitude,
        km=AREA_KM,
        districts=data["districts"],
        hits=[],
        centre_code=place.outcode,
    )
    return render(
        request,
        "community/area.html",
        {
            "place": place,
            "km": AREA_KM,
            "rows": rows,
            "chart": charts.bars([(r["label"], r["near"]) for r in rows]),
            "districts": data["districts"],
            "gaps": selectors.area_gaps(place, AREA_KM),
            "changes": selectors.recent_changes([d.outcode for d in data["districts"]]),
            "svg": svg,
            "find_url": reverse("community:index") + "?" + urlencode({"postcode": place.outcode}),
        },
    )


def area_csv(request, outcode: str):
    """Open data: the area's figures per district, as CSV (every cell made safe for spreadsheets)."""
    refused = _limited(request)
    if refused:
        return refused
    place = _place_for(outcode)
    data = _area_data(place)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["district", "km_from_" + place.outcode, "pas", "peer_advisors", "brokers", "community_resources"])
    for d in data["districts"]:
        writer.writerow([d.outcode, round(d.distance_km, 1), d.pa, d.peer_advisor, d.broker, d.resources])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="support-in-{place.outcode}.csv"'
    return response
