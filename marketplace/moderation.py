"""One moderation queue page listing every open case from both moderation systems: message reports
(messaging.Report) and reviews waiting for a moderator (ratings: pending review or a flagged comment).

Read-only, no new tables: each app keeps its own models, case pages and decisions; this page reads
both through their own selectors (which also refuse anyone who is not a moderator: 404). It lives in
marketplace's wiring because messaging and ratings are peer apps that do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from messaging import selectors as messaging_selectors
from ratings import selectors as ratings_selectors


@dataclass(frozen=True)
class Case:
    kind: str  # "Message report" or "Review"
    title: str
    why: str
    opened_at: datetime
    url: str


def open_cases(viewer) -> list[Case]:
    """Every open case from both systems, oldest first (the longest wait at the top)."""
    reports = messaging_selectors.moderation_queue(viewer=viewer, status="open")
    ratings = ratings_selectors.review_queue(viewer)
    cases = [
        Case(
            kind="Message report",
            title=f"Case {r.pk}",
            why=f"{r.get_reason_display()}, {r.get_severity_display().lower()} severity",
            opened_at=r.created_at,
            url=reverse("messaging:moderation-case", args=[r.pk]),
        )
        for r in reports
    ]
    cases += [
        Case(
            kind="Review",
            title=f"Review {r.pk}" + (f" of {r.rated_profile.display_name}" if r.rated_profile else ""),
            why=", ".join(
                part
                for part in (
                    "Flagged comment" if r.comment_held else "",
                    f"{len(r.flags.all())} flag{'' if len(r.flags.all()) == 1 else 's'}" if r.flags.all() else "",
                    "Waiting for a moderator" if not r.comment_held else "",
                )
                if part
            ),
            opened_at=r.created_at,
            url=reverse("ratings:moderate", args=[r.pk]),
        )
        for r in ratings
    ]
    return sorted(cases, key=lambda c: c.opened_at)


@login_required
def queue(request):
    return render(request, "moderation_queue.html", {"cases": open_cases(request.user)})
