"""/api/v1/ for community resources: the Open Referral UK services list (paginated) and the resource search.

Thin views over community.openreferral and community.selectors; the default throttles apply
(marketplace.throttling: per address when signed out, per person when signed in).
"""

from __future__ import annotations

import math

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import openreferral, selectors
from .forms import ResourceSearchForm

MAX_PER_PAGE = 100


class PageParams(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=MAX_PER_PAGE, required=False, default=50)


class OpenReferralServiceList(APIView):
    """Published community resources as Open Referral UK services, a page at a time (the profile's list shape)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="v1_openreferral_services_list",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("per_page", int)],
        responses={200: dict},
    )
    def get(self, request):
        params = PageParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        page, size = params.validated_data["page"], params.validated_data["per_page"]
        services = openreferral.exported_services()
        total = services.count()
        pages = max(1, math.ceil(total / size))
        chunk = list(services[(page - 1) * size : page * size])
        return Response(
            {
                "total_items": total,
                "total_pages": pages,
                "page_number": page,
                "size": len(chunk),
                "first_page": page == 1,
                "last_page": page >= pages,
                "empty": not chunk,
                "contents": [openreferral.service_record(s) for s in chunk],
            }
        )


class OpenReferralServiceDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="v1_openreferral_service_detail", responses={200: dict})
    def get(self, request, uid):
        service = openreferral.exported_services().filter(uid=uid).first()
        if service is None:
            raise Http404("No such service.")
        return Response(openreferral.service_record(service))


class ResourceSearch(APIView):
    """The same search as the community page: filters, distance from a postcode district, pages of 20."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("postcode", str),
            OpenApiParameter("within_km", int, enum=[3, 8, 16, 32, 80]),
            OpenApiParameter("topic", str),
            OpenApiParameter("cost", str, many=True, enum=["free", "pwyc", "price", "ask"]),
            OpenApiParameter("day", str, enum=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
            OpenApiParameter("accessibility", str, many=True),
            OpenApiParameter("page", int),
        ],
        responses={200: dict},
    )
    def get(self, request):
        form = ResourceSearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        result = selectors.search(form.to_query())
        return Response(
            {
                "count": result.total,
                "page": result.page,
                "pages": result.pages,
                "results": [
                    {
                        "id": hit.service.pk,
                        "open_referral_id": str(hit.service.uid),
                        "name": hit.service.name,
                        "organisation": hit.service.organisation.name,
                        "where": hit.service.where_label,
                        "district": hit.service.outcode,
                        "distance": hit.distance_label,
                        "cost": hit.service.cost,
                        "cost_label": hit.service.cost_label,
                        "when": [s.label for s in hit.service.schedules.all()],
                        "accessibility": hit.service.accessibility,
                        "needs_check": hit.service.needs_check,
                        "last_checked": hit.service.last_checked_at.date().isoformat()
                        if hit.service.last_checked_at
                        else None,
                    }
                    for hit in result.hits
                ],
            }
        )
