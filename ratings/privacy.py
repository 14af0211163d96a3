"""What ratings holds about a person, for 'download my data', and what happens when they leave."""

from __future__ import annotations

from typing import Any

from profiles.models import User

from . import services
from .models import Appeal, PanelMember, PanelVote, PollAnswer, Rating, RatingFlag, RatingReply, SafeguardingConcern


def _rating(r: Rating) -> dict[str, Any]:
    return {
        "id": r.pk,
        "engagement": r.engagement_id,
        "direction": r.direction,
        "scores": {f: getattr(r, f) for f in ("reliability", "communication", "respect", "skills", "overall")},
        "comment": r.comment,
        "attribution": r.attribution,
        "status": r.get_status_display(),
        "given_at": r.created_at.isoformat(),
    }


def ratings_export(user: User) -> dict[str, Any]:
    received = Rating.objects.visible().filter(rated=user)
    return {
        "ratings_given": [_rating(r) for r in Rating.objects.filter(rater=user)],
        # Only what the person could already read: blind or held ratings would break the double blind.
        "ratings_received": [{**_rating(r), "from": r.attributed_to} for r in received.select_related("rater")],
        "replies": [
            {"rating": x.rating_id, "body": x.body, "at": x.created_at.isoformat()}
            for x in RatingReply.objects.filter(author=user)
        ],
        "flags": [
            {"rating": f.rating_id, "reason": f.reason, "detail": f.detail, "at": f.created_at.isoformat()}
            for f in RatingFlag.objects.filter(flagged_by=user)
        ],
        "poll_answers": [
            {"engagement": p.engagement_id, "answer": p.answer, "at": p.created_at.isoformat()}
            for p in PollAnswer.objects.filter(respondent=user)
        ],
        "safeguarding_concerns_reported": [
            {"reference": c.reference, "about": c.about, "status": c.status, "at": c.created_at.isoformat()}
            for c in SafeguardingConcern.objects.filter(reported_by=user)
        ],
        "panel_seats": [
            {"panel": m.panel.name, "kind": m.kind, "joined_at": m.joined_at.isoformat()}
            for m in PanelMember.objects.filter(user=user).select_related("panel")
        ],
        "panel_votes": [
            {"proposal": v.proposal_id, "in_favour": v.in_favour, "at": v.at.isoformat()}
            for v in PanelVote.objects.filter(member=user)
        ],
        "appeals": [
            {"proposal": a.proposal_id, "grounds": a.grounds, "decision": a.decision}
            for a in Appeal.objects.filter(appellant=user)
        ],
    }


def on_user_deleting(sender, user: User, **kwargs) -> None:
    services.ratings_forget_user(user=user)
