"""What planning holds about a person, for "download my data". Plans are deleted with the account (CASCADE)."""

from __future__ import annotations

from typing import Any

from profiles.models import User

from .models import Plan, PlanComment, PlanShare
from .services import plan_snapshot


def user_plans_data(user: User) -> dict[str, Any]:
    plans = Plan.objects.filter(owner=user).prefetch_related("lines").order_by("pk")
    return {
        "plans": [
            {
                "id": plan.pk,
                "created_at": plan.created_at.isoformat(),
                "consent_given_at": plan.consent_given_at.isoformat() if plan.consent_given_at else None,
                **plan_snapshot(plan),
                "versions": [
                    {"number": v.number, "saved_at": v.saved_at.isoformat(), "snapshot": v.snapshot}
                    for v in plan.versions.order_by("number")
                ],
                "shared_with": [
                    {
                        "role": s.role,
                        "since": s.created_at.isoformat(),
                        "until": s.revoked_at and s.revoked_at.isoformat(),
                    }
                    for s in PlanShare.objects.filter(plan=plan)
                ],
                "comments": [
                    {"by_me": c.author_id == user.pk, "text": c.text, "at": c.created_at.isoformat()}
                    for c in PlanComment.objects.filter(plan=plan)
                ],
            }
            for plan in plans
        ],
        "my_comments_on_plans_shared_with_me": [
            {"text": c.text, "at": c.created_at.isoformat()}
            for c in PlanComment.objects.filter(author=user).exclude(plan__owner=user).order_by("pk")
        ],
    }
