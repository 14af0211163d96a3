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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            kind=_("Message report"),
            title=_("Case %(number)s") % {"number": r.pk},
            why=_("%(reason)s, %(severity)s severity")
            % {"reason": r.get_reason_display(), "severity": r.get_severity_display().lower()},
            opened_at=r.created_at,
            url=reverse("messaging:moderation-case", args=[r.pk]),
        )
        for r in reports
    ]
    cases += [
        Case(
            kind=_("Review"),
            title=(
                _("Review %(number)s of %(name)s") % {"number": r.pk, "name": r.rated_profile.display_name}
                if r.rated_profile
                else _("Review %(number)s") % {"number": r.pk}
            ),
            why=", ".join(
                part
                for part in (
                    _("Flagged comment") if r.comment_held else "",
                    ngettext("%(count)d flag", "%(count)d flags", len(r.flags.all())) % {"count": len(r.flags.all())}
                    if r.flags.all()
                    else "",
                    _("Waiting for a moderator") if not r.comment_held else "",
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
