"""What notifications holds about a person, for "download my data" (deleted with the account)."""

from __future__ import annotations

from typing import Any

from profiles.models import User

from .models import EmailOff, Notification


def user_notifications_data(user: User) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "link": n.link,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("id")
        ],
        "emails_switched_off": sorted(EmailOff.objects.filter(user=user).values_list("kind", flat=True)),
    }
