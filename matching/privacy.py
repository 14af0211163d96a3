"""What matching holds about a person, for "download my data"."""

from django.db.models import Q

from .models import Outcome


def export_outcomes(user) -> dict:
    """Outcomes about matches involving the person's listings (numbers only: no tags, no text)."""
    rows = Outcome.objects.filter(Q(seeker_profile__user=user) | Q(supporter_profile__user=user)).select_related(
        "seeker_profile", "supporter_profile"
    )
    return {
        "match_outcomes": [
            {
                "as": "seeker" if o.seeker_profile and o.seeker_profile.user_id == user.pk else "supporter",
                "kind": o.kind,
                "label": o.label,
                "features_at_the_time": o.features,
                "at": o.created_at.isoformat(),
            }
            for o in rows
        ]
    }


def export_saved_searches(user) -> dict:
    """The person's saved searches, and which listings each has told them about."""
    from .models import SavedSearch

    rows = SavedSearch.objects.filter(user=user).prefetch_related("hits__profile")
    return {
        "saved_searches": [
            {
                "name": s.name,
                "page": s.page,
                "search": s.params,
                "email_me": s.email,
                "saved_at": s.created_at.isoformat(),
                "listings_told_about": [h.profile.ref for h in s.hits.all()],
            }
            for s in rows
        ]
    }
