"""/api/v1/shortlist/ and /api/v1/adverts/: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from profiles.models import MAX_TRAVEL_KM
from profiles.selectors import profile_for_viewer

from . import search_services, selectors


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Shortlist --------------------------------------------------------------------------------


class ShortlistEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    ref = serializers.CharField(source="profile.ref")
    display_name = serializers.CharField(source="profile.display_name")
    role = serializers.CharField(source="profile.role")
    outcode = serializers.CharField(source="profile.outcode")
    created_at = serializers.DateTimeField()


class ShortlistAddSerializer(serializers.Serializer):
    ref = serializers.SlugField(max_length=64, help_text="The listing's reference, like pa-alex-b-1a2b3c4d.")


class ShortlistView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ShortlistEntrySerializer(many=True)})
    def get(self, request):
        return Response(ShortlistEntrySerializer(selectors.shortlist_for(request.user), many=True).data)

    @extend_schema(request=ShortlistAddSerializer, responses={201: ShortlistEntrySerializer})
    def post(self, request):
        ref = _valid(ShortlistAddSerializer, request.data)["ref"]
        entry = search_services.shortlist_add(
            user=request.user, profile=profile_for_viewer(ref=ref, viewer=request.user)
        )
        return Response(ShortlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class ShortlistEntryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        entry = selectors.shortlist_entry_for(viewer=request.user, pk=pk)
        search_services.shortlist_remove(entry=entry, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Adverts ----------------------------------------------------------------------------------


class TagList(serializers.ListField):
    child = serializers.CharField(max_length=50)


class AdvertSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.CharField(max_length=120)
    what = serializers.CharField(max_length=1500)
    outcode = serializers.CharField(source="seeker_profile.outcode", read_only=True)
    roles = TagList(required=False)
    skills = TagList(required=False)
    interests = TagList(required=False)
    languages = TagList(required=False)
    availability = TagList(required=False, help_text='Weekly slots like "mon 09:00-13:00".')
    max_km = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_TRAVEL_KM)
    max_rate = serializers.DecimalField(
        required=False,
        allow_null=True,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("500"),
    )
    status = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AdvertCreateSerializer(AdvertSerializer):
    profile = serializers.IntegerField(
        required=False, help_text="Your seeker profile, or one you act for (default: your own)."
    )


class AdvertMatchSerializer(serializers.Serializer):
    advert = AdvertSerializer()
    score = serializers.FloatField()
    distance = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class AdvertResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    message = serializers.CharField(max_length=search_services.RESPONSE_MAX_CHARS)
    profile = serializers.IntegerField(
        write_only=True, required=False, help_text="Your listed supporter profile (default: your first)."
    )
    ref = serializers.CharField(source="supporter_profile.ref", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    conversation_url = serializers.CharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Set when you are both interested (they had already said so): your conversation, now open.",
    )


def _own_seeker_profile(request, pk):
    profile = selectors.seeker_profile_for(request.user, pk)
    if profile is None:
        raise ValidationError(gettext("Create a profile saying what support you are looking for, then post an advert."))
    return profile


def _own_supporter_profile(request, pk=None):
    profiles = selectors.supporter_profiles_for(request.user)
    chosen = next((p for p in profiles if p.pk == pk), None) if pk else (profiles[0] if profiles else None)
    if chosen is None and pk:
        raise Http404
    if chosen is None:
        raise ValidationError(
            {"profile": [gettext("List a profile offering support first, then you can see and answer adverts.")]}
        )
    return chosen


class AdvertsView(APIView):
    """GET: open adverts that suit your supporter profile, best first (?mine=1: your own adverts). POST: post one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "profile", int, description="Your supporter profile to match (default: your first listed one)."
            ),
            OpenApiParameter("mine", bool, description="Your own adverts (and those of people you act for) instead."),
        ],
        responses={200: AdvertMatchSerializer(many=True)},
    )
    def get(self, request):
        if request.query_params.get("mine") in ("1", "true"):
            return Response(AdvertSerializer(selectors.adverts_owned(request.user), many=True).data)
        raw = request.query_params.get("profile", "")
        supporter = _own_supporter_profile(request, int(raw) if raw.isdigit() else None)
        found = selectors.adverts_for_supporter(viewer=request.user, supporter=supporter)
        return Response(AdvertMatchSerializer(found, many=True).data)

    @extend_schema(request=AdvertCreateSerializer, responses={201: AdvertSerializer})
    def post(self, request):
        data = dict(_valid(AdvertCreateSerializer, request.data))
        seeker = _own_seeker_profile(request, data.pop("profile", None))
        advert = search_services.advert_create(seeker_profile=seeker, actor=request.user, **data)
        return Response(AdvertSerializer(advert).data, status=status.HTTP_201_CREATED)


class AdvertCloseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: AdvertSerializer})
    def post(self, request, pk: int):
        advert = selectors.advert_for_viewer(viewer=request.user, pk=pk)
        if not selectors.is_advert_owner(advert, request.user):
            raise Http404
        return Response(AdvertSerializer(search_services.advert_close(advert=advert, actor=request.user)).data)


class AdvertRespondView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AdvertResponseSerializer, responses={201: AdvertResponseSerializer})
    def post(self, request, pk: int):
        advert = selectors.advert_for_viewer(viewer=request.user, pk=pk)
        data = _valid(AdvertResponseSerializer, request.data)
        supporter = _own_supporter_profile(request, data.get("profile"))
        response = search_services.advert_respond(
            advert=advert, supporter_profile=supporter, actor=request.user, message=data["message"]
        )
        return Response(AdvertResponseSerializer(response).data, status=status.HTTP_201_CREATED)
