"""What the community app holds about a person: the resources they suggested and the checks they recorded.

Listings themselves belong to the organisations that run them, so deleting an account keeps the listing but
forgets who suggested, published or checked it (the shown name becomes "a former member").
"""

from __future__ import annotations

from .models import Service, ServiceCheck


def user_community_data(user) -> dict:
    return {
        "suggested": [
            {"id": s.pk, "name": s.name, "status": s.status, "suggested_on": s.created_at.date().isoformat()}
            for s in Service.objects.filter(suggested_by=user).order_by("id")
        ],
        "checks": [
            {"resource": c.service.name, "checked_at": c.checked_at.isoformat(), "note": c.note}
            for c in ServiceCheck.objects.filter(checked_by=user).select_related("service").order_by("id")
        ],
    }


def forget_user(sender=None, user=None, **kwargs) -> None:
    if user is None:
        return
    Service.objects.filter(last_checked_by=user).update(last_checked_by=None, last_checked_by_name="a former member")
    Service.objects.filter(suggested_by=user).update(suggested_by=None)
    Service.objects.filter(published_by=user).update(published_by=None)
    ServiceCheck.objects.filter(checked_by=user).update(checked_by=None)
