"""What messaging holds about a person, for "download my data"."""

from __future__ import annotations

from typing import Any

from profiles.models import User

from .models import ContactRequest, Membership, Message, NotificationPreference, Report


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def user_messaging_data(user: User) -> dict[str, Any]:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "messages_sent": [
            {"conversation": m.conversation_id, "sent_at": _iso(m.created_at), "body": m.body}
            for m in Message.objects.filter(sender=user).order_by("id")
        ],
        "conversations": [
            {
                "conversation": m.conversation_id,
                "joined_at": _iso(m.joined_at),
                "left_at": _iso(m.left_at),
                "archived_at": _iso(m.archived_at),
                "shared_contact_details": m.contact_details if m.shares_contact else None,
            }
            for m in Membership.objects.filter(user=user)
        ],
        "contact_requests_sent": [
            {"to": str(r.recipient), "message": r.message, "status": r.status, "sent_at": _iso(r.created_at)}
            for r in ContactRequest.objects.filter(sender=user).select_related("recipient")
        ],
        "contact_requests_received": [
            {
                "from": str(r.sender),
                "status": r.status,
                "decline_reason": r.decline_reason,
                "received_at": _iso(r.created_at),
            }
            for r in ContactRequest.objects.filter(recipient=user).select_related("sender")
        ],
        "reports_made": [
            {"reason": r.reason, "details": r.details, "status": r.get_status_display(), "made_at": _iso(r.created_at)}
            for r in Report.objects.filter(reporter=user)
        ],
        "email_notifications": preference.frequency if preference else NotificationPreference.Frequency.SOON.value,
    }
