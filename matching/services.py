"""Write paths for matching: engagements, outcomes, referrals and matches."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from profiles.models import Profile, User

from .models import Engagement


def engagement_record(
    *, seeker: User, supporter: User, source: str, source_ref: str, supporter_profile: Profile | None = None
) -> Engagement:
    """Record that two people worked together. Idempotent on (source, source_ref)."""
    if seeker.pk == supporter.pk:
        raise ValidationError("An engagement is between two different people.")
    engagement, _ = Engagement.objects.get_or_create(
        source=source,
        source_ref=source_ref,
        defaults={"seeker": seeker, "supporter": supporter, "supporter_profile": supporter_profile},
    )
    return engagement
