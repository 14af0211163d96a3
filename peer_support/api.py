"""Peer-support API: thin views over peer_support.services and peer_support.selectors.

Another organisation's referral, check-in or someone else's proposal answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from profiles.models import Organisation, Profile

from . import selectors, services
from .forms import CLOSING_NOTE_MAX, NOTE_MAX, WHAT_WOULD_HELP_MAX
from .models import CheckIn, MatchProposal, Referral


class ReferralOut(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    seeker = serializers.CharField(source="seeker_profile.display_name")
    outcode = serializers.CharField(source="seeker_profile.outcode")

    class Meta:
        model = Referral
        fields = [
            "id",
            "organisation",
            "seeker",
            "outcode",
            "what_would_help",
            "status",
            "created_at",
            "closed_at",
            "closing_note",
        ]


class CheckInOut(serializers.ModelSerializer):
    referral = serializers.IntegerField(source="proposal.referral_id")

    class Meta:
        model = CheckIn
        fields = ["id", "referral", "week", "due_on", "done_at", "how_it_is_going", "note"]


class ProposalOut(serializers.ModelSerializer):
    supporter = serializers.CharField(source="supporter_profile.display_name")
    supporter_ref = serializers.CharField(source="supporter_profile.ref")

    class Meta:
        model = MatchProposal
        fields = [
            "id",
            "referral",
            "supporter",
            "supporter_ref",
            "reasons",
            "seeker_answer",
            "supporter_answer",
            "status",
            "proposed_at",
            "introduced_at",
        ]


class ReferralIn(serializers.Serializer):
    seeker_profile = serializers.IntegerField(help_text="The seeker profile (yours, or one you act for).")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(approval__status="approved"),
        error_messages={
            "does_not_exist": _(
                "No organisation on Open Circle has that number. Choose one from the list of organisations."
            )
        },
    )
    what_would_help = serializers.CharField(max_length=WHAT_WOULD_HELP_MAX, allow_blank=True, default="")


class ProposeIn(serializers.Serializer):
    supporter = serializers.SlugRelatedField(
        slug_field="ref",
        queryset=Profile.objects.all(),
        help_text="The peer advisor's reference, from the suggestions.",
        error_messages={
            "does_not_exist": _("No peer advisor has that reference. Use a reference from the suggestions."),
            "invalid": _("Give a peer advisor's reference from the suggestions."),
        },
    )


class AnswerIn(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["yes", "no"])


class CheckInIn(serializers.Serializer):
    how_it_is_going = serializers.ChoiceField(choices=CheckIn.HowItIsGoing.choices)
    note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, default="")


class CloseIn(serializers.Serializer):
    closing_note = serializers.CharField(max_length=CLOSING_NOTE_MAX)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _referral(request, pk: int) -> Referral:
    return selectors.referral_for_coordinator(viewer=request.user, pk=pk)


class QueueView(APIView):
    """The referral queue of the organisations you coordinate, and the check-ins due."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request):
        if not selectors.coordinator_organisations(request.user).exists():
            raise Http404
        return Response(
            {
                "referrals": ReferralOut(selectors.referral_queue(viewer=request.user), many=True).data,
                "check_ins_due": CheckInOut(selectors.check_ins_due(viewer=request.user), many=True).data,
            }
        )


class ReferralCreateView(APIView):
    """Ask an organisation for a peer advisor, for yourself or someone you act for."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReferralIn, responses={201: ReferralOut})
    def post(self, request):
        data = _valid(ReferralIn, request)
        profile = selectors.seeker_profiles_for(request.user).filter(pk=data["seeker_profile"]).first()
        if profile is None:
            raise serializers.ValidationError(
                {"seeker_profile": [gettext("Give the number of your own seeker profile, or one you act for.")]}
            )
        referral = services.referral_create(
            actor=request.user,
            seeker_profile=profile,
            organisation=data["organisation"],
            what_would_help=data["what_would_help"],
        )
        return Response(ReferralOut(referral).data, status=status.HTTP_201_CREATED)


class SuggestionsView(APIView):
    """The best peer advisors for a referral after capacity and fairness, and who was left out and why."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        found = selectors.referral_suggestions(referral=_referral(request, pk), viewer=request.user)
        return Response(
            {"suggestions": [s.as_dict() for s in found.shown], "left_out": [x.as_dict() for x in found.left_out]}
        )


class ProposeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ProposeIn, responses={201: ProposalOut})
    def post(self, request, pk: int):
        referral = _referral(request, pk)
        proposal = services.proposal_create(
            referral=referral, supporter_profile=_valid(ProposeIn, request)["supporter"], actor=request.user
        )
        return Response(ProposalOut(proposal).data, status=status.HTTP_201_CREATED)


class AnswerView(APIView):
    """Yes or no to a proposed match, by the seeker (or their proxy) or the peer advisor."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AnswerIn, responses={200: ProposalOut})
    def post(self, request, pk: int):
        proposal = selectors.proposal_for_participant(viewer=request.user, pk=pk)
        answer = _valid(AnswerIn, request)["answer"]
        try:
            proposal = services.proposal_answer(proposal=proposal, actor=request.user, answer=answer)
        except PermissionDenied:
            raise Http404 from None
        return Response(ProposalOut(proposal).data)


class CheckInView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckInIn, responses={200: CheckInOut})
    def post(self, request, pk: int):
        check_in = selectors.check_in_for_coordinator(viewer=request.user, pk=pk)
        check_in = services.check_in_record(check_in=check_in, actor=request.user, **_valid(CheckInIn, request))
        return Response(CheckInOut(check_in).data)


class CloseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CloseIn, responses={200: ReferralOut})
    def post(self, request, pk: int):
        referral = services.referral_close(
            referral=_referral(request, pk), actor=request.user, **_valid(CloseIn, request)
        )
        return Response(ReferralOut(referral).data)


class RematchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ReferralOut})
    def post(self, request, pk: int):
        referral = services.referral_rematch(
            referral=_referral(request, pk),
            actor=request.user,
            reason=str(request.data.get("reason", "")),
            confirmed=request.data.get("confirm") in (True, "true", "1", "on"),
        )
        return Response(ReferralOut(referral).data)
