"""/api/v1/matches/: thin views over matching.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from profiles.models import Profile
from profiles.selectors import owned_profile

from . import selectors, services

COMMON = [
    OpenApiParameter("profile", int, description="One of your own seeker profiles (default: your seeker profile)."),
    OpenApiParameter("role", str, many=True, description="Only these roles: pa, peer_advisor, broker."),
]


def _seeker_profile(request) -> Profile:
    raw = request.query_params.get("profile")
    if raw:
        if not raw.isdigit():
            raise ValidationError(
                {"profile": [gettext("Give the number of one of your own profiles, like ?profile=12.")]}
            )
        return owned_profile(viewer=request.user, pk=int(raw))
    profile = selectors.own_seeker_profile(request.user)
    if profile is None:
        raise ValidationError(
            gettext("Create a profile saying what support you are looking for, then ask for matches.")
        )
    return profile


def _top(raw: str | None) -> int:
    if raw is None:
        return 20
    if not raw.isdigit() or not 1 <= int(raw) <= services.MAX_TOP:
        raise ValidationError(
            {"top": [gettext("Ask for between 1 and %(max)s results, like ?top=20.") % {"max": services.MAX_TOP}]}
        )
    return int(raw)


class MatchesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            *COMMON,
            OpenApiParameter("top", int, description="How many results (1 to 100, default 20)."),
            OpenApiParameter(
                "weights", str, description="What matters most, as factor:multiplier pairs, e.g. locality:2,price:0."
            ),
        ],
        responses={200: {"type": "array", "items": {"type": "object"}}},  # one object per match, best first
    )
    def get(self, request):
        results = services.match_rank(
            seeker_profile_or_query=_seeker_profile(request),
            viewer=request.user,
            top=_top(request.query_params.get("top")),
            weights=services.parse_weights(request.query_params.get("weights")),
            roles=request.query_params.getlist("role") or None,
        )
        return Response([result.as_dict() for result in results])


class WhyNotView(APIView):
    """Why a given listing is not among your matches: the filter that left it out, in words."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[*COMMON, OpenApiParameter("ref", str, required=True)], responses={200: dict})
    def get(self, request):
        ref = request.query_params.get("ref", "").strip()
        if not ref:
            raise ValidationError(
                {"ref": [gettext("Give the reference of the listing you are asking about, like ?ref=pa-000123.")]}
            )
        exclusion = services.match_explain_exclusion(
            seeker_profile=_seeker_profile(request),
            viewer=request.user,
            ref=ref,
            roles=request.query_params.getlist("role") or None,
        )
        return Response({"ref": exclusion.ref, "excluded": exclusion.excluded, "reasons": exclusion.reasons})
