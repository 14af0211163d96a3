"""/api/v1/ for the register: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from . import locality, privacy, selectors, services
from .forms import RegisterSearchForm
from .models import MAX_HOURLY_RATE, MAX_TRAVEL_KM, Profile, Visibility
from .prompts import ANSWER_MAX_CHARS, MAX_ANSWERS, PROMPTS


class TagList(serializers.ListField):
    child = serializers.CharField(max_length=50)


class PublicProfileSerializer(serializers.Serializer):
    """The interchange format, as the viewer may see it."""

    ref = serializers.CharField()
    role = serializers.CharField()
    display_name = serializers.CharField()
    outcode = serializers.CharField()
    distance = serializers.CharField(required=False)
    about = serializers.CharField()
    skills = TagList()
    interests = TagList()
    languages = TagList()
    availability = TagList()
    travel_km = serializers.IntegerField(required=False, allow_null=True)
    hourly_rate_gbp = serializers.FloatField(required=False)
    lived_experience = TagList(required=False)

    def to_representation(self, instance):
        listing = instance if isinstance(instance, selectors.Listing) else selectors.Listing(instance, None)
        data = selectors.profile_public_data(listing.profile, self.context.get("viewer"))
        if listing.distance_km is not None:
            data["distance"] = listing.distance_label
        return data


class PromptAnswerSerializer(serializers.Serializer):
    prompt = serializers.ChoiceField(choices=list(PROMPTS.items()))
    answer = serializers.CharField(help_text=f"Up to {ANSWER_MAX_CHARS} characters.")


class ProfileWriteSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Profile.Role.choices, required=False)
    display_name = serializers.CharField(max_length=60, required=False)
    postcode = serializers.CharField(
        max_length=10, required=False, help_text="Cut to its district; never stored whole."
    )
    about = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    skills = TagList(required=False)
    interests = TagList(required=False)
    languages = TagList(required=False)
    availability = TagList(required=False)
    travel_km = serializers.IntegerField(min_value=0, max_value=MAX_TRAVEL_KM, required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=20, required=False)
    hourly_rate = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURLY_RATE,
        required=False,
        allow_null=True,
    )
    brokerage_functions = TagList(required=False)
    support_levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=3), required=False)
    independence = serializers.DictField(required=False)
    seeking = serializers.DictField(required=False)
    lived_experience_visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    health_details_visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    prompts = serializers.ListField(
        child=PromptAnswerSerializer(),
        required=False,
        help_text=f"Up to {MAX_ANSWERS} prompts you chose, each with your answer. Replaces the ones you had.",
    )

    def validate_postcode(self, value: str) -> str:
        try:
            locality.outcode_of(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return value


class OwnProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        exclude = ["user", "latitude", "longitude"]


class SensitiveSerializer(serializers.Serializer):
    lived_experience = TagList(required=False)
    health_details = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MyProfilesViewSet(ViewSet):
    """The signed-in person's own listings. Anyone else's id answers 404."""

    permission_classes = [IsAuthenticated]
    lookup_value_converter = "id"  # bounded integer (marketplace/converters.py)

    def _get(self, request, pk: int) -> Profile:
        return selectors.owned_profile(viewer=request.user, pk=pk)

    @extend_schema(responses=OwnProfileSerializer(many=True))
    def list(self, request):
        return Response(OwnProfileSerializer(request.user.profiles.all(), many=True).data)

    @extend_schema(request=ProfileWriteSerializer, responses=OwnProfileSerializer)
    def create(self, request):
        serializer = ProfileWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        missing = {f: [_("This field is required.")] for f in ("role", "display_name", "postcode") if f not in data}
        if missing:
            raise serializers.ValidationError(missing)
        profile = services.profile_create(
            actor=request.user,
            role=data.pop("role"),
            display_name=data.pop("display_name"),
            postcode=data.pop("postcode"),
            **data,
        )
        return Response(OwnProfileSerializer(profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OwnProfileSerializer)
    def retrieve(self, request, pk=None):
        return Response(OwnProfileSerializer(self._get(request, pk)).data)

    @extend_schema(request=ProfileWriteSerializer, responses=OwnProfileSerializer)
    def partial_update(self, request, pk=None):
        profile = self._get(request, pk)
        serializer = ProfileWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("role", None)
        return Response(
            OwnProfileSerializer(services.profile_update(profile=profile, actor=request.user, data=data)).data
        )

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.profile_remove(profile=self._get(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=OwnProfileSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return Response(
            OwnProfileSerializer(services.profile_publish(profile=self._get(request, pk), actor=request.user)).data
        )

    @extend_schema(request=None, responses=OwnProfileSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return Response(
            OwnProfileSerializer(services.profile_pause(profile=self._get(request, pk), actor=request.user)).data
        )

    @extend_schema(request=None, responses=OwnProfileSerializer)
    @action(detail=True, methods=["post", "delete"])
    def consent(self, request, pk=None):
        profile = self._get(request, pk)
        if request.method == "DELETE":
            profile = services.consent_withdraw(profile=profile, actor=request.user)
        else:
            profile = services.consent_give(profile=profile, actor=request.user)
        return Response(OwnProfileSerializer(profile).data)

    @extend_schema(request=SensitiveSerializer, responses=OwnProfileSerializer)
    @action(detail=True, methods=["put"])
    def sensitive(self, request, pk=None):
        profile = self._get(request, pk)
        serializer = SensitiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.sensitive_update(profile=profile, actor=request.user, **serializer.validated_data)
        return Response(OwnProfileSerializer(profile).data)


class RegisterViewSet(ViewSet):
    """The open register: listed supporters, searchable by the same filters as the browse page."""

    permission_classes = [AllowAny]
    pagination_class = PageNumberPagination  # list() pages by hand; this also documents the page in the schema
    lookup_field = "ref"
    lookup_value_converter = "slug"

    @extend_schema(
        parameters=[
            OpenApiParameter("role", str),
            OpenApiParameter("postcode", str),
            OpenApiParameter("within_km", int),
            OpenApiParameter("skills", str, many=True),
            OpenApiParameter("language", str),
            OpenApiParameter("interest", str),
            OpenApiParameter("day", str),
            OpenApiParameter("max_rate", float),
            OpenApiParameter("sort", str, enum=["distance", "rate", "newest"]),
            OpenApiParameter("page", int),
        ],
        responses=PublicProfileSerializer(many=True),
    )
    def list(self, request):
        form = RegisterSearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError({field: list(errors) for field, errors in form.errors.items()})
        query, _place = form.to_query()
        listings = selectors.register_search(viewer=request.user, query=query)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(listings, request, view=self)
        viewer = request.user if request.user.is_authenticated else None
        return paginator.get_paginated_response(
            PublicProfileSerializer(page, many=True, context={"viewer": viewer}).data
        )

    @extend_schema(responses=PublicProfileSerializer)
    def retrieve(self, request, ref=None):
        profile = selectors.profile_for_viewer(ref=ref, viewer=request.user)
        viewer = request.user if request.user.is_authenticated else None
        return Response(PublicProfileSerializer(profile, context={"viewer": viewer}).data)


class MyDataView(APIView):
    """Everything we hold about the signed-in person (the same export as the page)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response(privacy.user_export_data(request.user))
