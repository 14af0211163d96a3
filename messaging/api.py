"""/api/v1/ for messaging: thin views over the same services and selectors as the pages and the socket."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from profiles import selectors as profile_selectors

from . import realtime, safety, selectors, services
from .models import MESSAGE_MAX_CHARS, ContactRequest, Report


class MessageSerializer(serializers.Serializer):
    def to_representation(self, instance):
        data = realtime.message_payload(instance)
        viewer = self.context["viewer"]
        data["mine"] = instance.sender_id == viewer.pk
        data["safety_note"] = "" if data["mine"] else safety.recipient_note(instance)
        return data


class MessageWriteSerializer(serializers.Serializer):
    # No max_length here: the service gives the one clear size message for every interface.
    body = serializers.CharField(help_text=f"Up to {MESSAGE_MAX_CHARS:,} characters.", trim_whitespace=False)


class ConversationListView(APIView):
    @extend_schema(summary="My conversations, newest first, with unread counts", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        rows = selectors.memberships_for(viewer=request.user, archived=request.query_params.get("archived") == "1")
        data = [
            {
                "id": m.conversation_id,
                "kind": m.conversation.kind,
                "introduced_by": str(m.conversation.introduced_by) if m.conversation.introduced_by_id else None,
                "people": [
                    str(o.user)
                    for o in m.conversation.memberships.all()
                    if o.user_id != request.user.pk and not o.left_at
                ],
                "unread": m.unread or 0,
                "last_message_at": m.conversation.last_message_at,
            }
            for m in rows[:200]
        ]
        return Response({"results": data, "unread_total": selectors.unread_total(viewer=request.user)})


class MessageListCreateView(APIView):
    @extend_schema(
        summary="Messages in a conversation, in order",
        parameters=[OpenApiParameter("after", int, description="Only messages after this id (for resync).")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pk: int):
        conversation = selectors.conversation_for(viewer=request.user, conversation_id=pk)
        after = request.query_params.get("after")
        if after is not None and after.isdigit():
            page = selectors.messages_after(
                conversation_id=conversation.pk, viewer_id=request.user.pk, after=int(after)
            )
        else:
            page, _ = selectors.messages_before(
                conversation=conversation, viewer_id=request.user.pk, before=None, limit=100
            )
        return Response({"results": MessageSerializer(page, many=True, context={"viewer": request.user}).data})

    @extend_schema(summary="Send a message", request=MessageWriteSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        conversation = selectors.conversation_for(viewer=request.user, conversation_id=pk)
        serializer = MessageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.message_send(
                conversation=conversation, sender=request.user, body=serializer.validated_data["body"]
            )
        except services.MessageRateLimited as error:
            raise Throttled(wait=60, detail=" ".join(error.messages)) from error
        data = MessageSerializer(message, context={"viewer": request.user}).data
        data["warning"] = str(safety.SENDER_WARNING) if message.safety_flags else ""
        return Response(data, status=status.HTTP_201_CREATED)


class ContactRequestWriteSerializer(serializers.Serializer):
    profile = serializers.CharField(help_text="The listing's ref.")
    message = serializers.CharField(trim_whitespace=False)


class ContactRequestCreateView(APIView):
    @extend_schema(
        summary="Send a contact request to a listed profile's owner",
        request=ContactRequestWriteSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        serializer = ContactRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = profile_selectors.profile_for_viewer(ref=serializer.validated_data["profile"], viewer=request.user)
        item = services.contact_request_create(
            sender=request.user, profile=profile, message=serializer.validated_data["message"]
        )
        # "accepted" with a conversation: they were both interested already, so it opened at once.
        return Response(
            {
                "id": item.pk,
                "status": item.status,
                "both_interested": bool(item.conversation_id),
                "conversation": item.conversation_id,
            },
            status=status.HTTP_201_CREATED,
        )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=ContactRequest.DeclineReason.choices, required=False, help_text="Decline only."
    )


class ContactRequestAnswerView(APIView):
    answer = "accept"

    @extend_schema(
        summary="Accept or decline a contact request sent to you",
        request=DeclineSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, pk: int):
        item = selectors.request_for_recipient(viewer=request.user, pk=pk)
        if self.answer == "accept":
            conversation = services.contact_request_accept(contact_request=item, actor=request.user)
            return Response({"status": ContactRequest.Status.ACCEPTED, "conversation": conversation.pk})
        services.contact_request_decline(
            contact_request=item, actor=request.user, reason=request.data.get("reason", "")
        )
        return Response({"status": ContactRequest.Status.DECLINED})


class ReportWriteSerializer(serializers.Serializer):
    message = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    details = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReportCreateView(APIView):
    @extend_schema(
        summary="Report a message to the safety team",
        request=ReportWriteSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        message = selectors.message_for_member(viewer=request.user, message_id=data["message"])
        report = services.report_create(
            reporter=request.user, reason=data["reason"], details=data.get("details", ""), message=message
        )
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_201_CREATED)
