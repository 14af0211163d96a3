"""/api/v1/ for ratings: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from profiles.models import Profile

from . import selectors, services
from .models import EDITABLE_FIELDS, Rating, RatingFlag


class RatingWriteSerializer(serializers.Serializer):
    engagement = serializers.IntegerField(required=False)
    reliability = serializers.IntegerField(min_value=1, max_value=5)
    communication = serializers.IntegerField(min_value=1, max_value=5)
    respect = serializers.IntegerField(min_value=1, max_value=5)
    skills = serializers.IntegerField(min_value=1, max_value=5)
    overall = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    attribution = serializers.ChoiceField(choices=Rating.Attribution.choices, required=False)
    scores_anonymous = serializers.BooleanField(required=False, default=True)
    about_safeguarding = serializers.BooleanField(
        required=False, default=False, help_text="True sends you to the safeguarding report; no rating is saved."
    )


class RatingReadSerializer(serializers.Serializer):
    def to_representation(self, rating: Rating) -> dict:
        viewer = self.context["viewer"]
        own = rating.rater_id == viewer.pk
        reply = getattr(rating, "reply", None)
        return {
            "id": rating.pk,
            "direction": rating.direction,
            "scores": {f: getattr(rating, f) for f in ("reliability", "communication", "respect", "skills", "overall")}
            if own or rating.scores_public
            else None,
            "comment": rating.comment if own else rating.shown_comment,
            "from": rating.attributed_to,
            "status": rating.status if own or viewer.is_moderator else None,
            "revealed": rating.is_revealed(),
            "editable": own and rating.is_editable(),
            "given_on": rating.created_at.date().isoformat(),
            "reply": reply.body if reply else None,
        }


def _safeguarding_answer():
    return Response(
        {
            "non_field_errors": [
                _(
                    "A safeguarding concern is not a rating, so none was saved. "
                    "Report it with POST /api/v1/safeguarding-concerns/."
                )
            ],
            "report_url": "/api/v1/safeguarding-concerns/",
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


class RatingListCreate(APIView):
    @extend_schema(
        operation_id="ratings_received",
        responses={200: RatingReadSerializer(many=True)},
        summary="Ratings of me I can read",
    )
    def get(self, request):
        ratings = selectors.ratings_received(request.user)[:100]
        return Response([RatingReadSerializer(r, context={"viewer": request.user}).data for r in ratings])

    @extend_schema(request=RatingWriteSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Rate an engagement")
    def post(self, request):
        data = RatingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.pop("about_safeguarding"):
            return _safeguarding_answer()
        if "engagement" not in fields:
            raise serializers.ValidationError({"engagement": [_("Say which engagement you are rating.")]})
        engagement = selectors.engagement_for_party(viewer=request.user, pk=fields.pop("engagement"))
        rating = services.rating_create(actor=request.user, engagement=engagement, data=fields)
        return Response(RatingReadSerializer(rating, context={"viewer": request.user}).data, status=201)


class RatingDetail(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        rating = selectors.rating_for_viewer(viewer=request.user, pk=pk)
        return Response(RatingReadSerializer(rating, context={"viewer": request.user}).data)

    @extend_schema(
        request=RatingWriteSerializer, responses={200: OpenApiTypes.OBJECT}, summary="Change my rating while blind"
    )
    def patch(self, request, pk: int):
        rating = selectors.own_rating(viewer=request.user, pk=pk)
        current = {f: getattr(rating, f) for f in EDITABLE_FIELDS}
        data = RatingWriteSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.pop("about_safeguarding"):
            return _safeguarding_answer()
        fields.pop("engagement", None)
        services.rating_update(actor=request.user, rating=rating, data=fields)
        return Response(RatingReadSerializer(rating, context={"viewer": request.user}).data)


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class RatingReplyView(APIView):
    @extend_schema(request=ReplySerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        rating = selectors.rating_for_viewer(viewer=request.user, pk=pk)
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rating_reply(actor=request.user, rating=rating, body=data.validated_data["body"])
        return Response({"reply": data.validated_data["body"]}, status=201)


class FlagSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RatingFlag.Reason.choices)
    detail = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RatingFlagView(APIView):
    @extend_schema(request=FlagSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        rating = selectors.rating_for_viewer(viewer=request.user, pk=pk)
        data = FlagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rating_flag(actor=request.user, rating=rating, **data.validated_data)
        return Response({"detail": _("Thank you. A moderator will read this review.")}, status=201)


class SafeguardingSerializer(serializers.Serializer):
    about = serializers.CharField(max_length=4000)
    someone_in_danger_now = serializers.BooleanField(required=False, default=False)


class SafeguardingCreate(APIView):
    @extend_schema(request=SafeguardingSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = SafeguardingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        concern = services.safeguarding_report(actor=request.user, **data.validated_data)
        return Response(
            {
                "reference": concern.reference,
                "detail": _("Thank you. A moderator will read your report. If someone is in danger now, call 999."),
            },
            status=201,
        )


class ProfileQuality(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Rating summary and badges of a listing")
    def get(self, request, ref: str):
        profile = Profile.objects.listed().filter(ref=ref).first()
        if profile is None:
            return Response({"detail": _("Not found.")}, status=404)
        summary = selectors.summary_for(profile)
        return Response(
            {
                "ref": ref,
                "mean": str(summary.mean) if summary.mean else None,
                "count": summary.count,
                "label": summary.label,
                "badges": [
                    {"panel": b.panel.name, "awarded_on": b.awarded_at.date().isoformat()} for b in summary.badges
                ],
            }
        )


class AreaQuality(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Quality figures for a postcode area and role")
    def get(self, request, area: str, role: str):
        from .views import _quality_data

        data = _quality_data(area, role)
        return Response(
            {
                "area": data["area"],
                "role": role,
                "distribution": [{"score": d["score"], "count": d["count"]} for d in data["distribution"]],
                "trend": [
                    {"month": t["month"].strftime("%Y-%m"), "count": t["count"], "mean": str(t["mean"])}
                    for t in data["trend"]
                ],
                "would_recommend": data["poll"],
                "would_recommend_note": None
                if data["poll"]
                else ngettext(
                    "Shown once at least %(count)s person has answered.",
                    "Shown once at least %(count)s people have answered.",
                    data["poll_min"],
                )
                % {"count": data["poll_min"]},
            }
        )
