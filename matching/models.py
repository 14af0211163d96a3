from django.conf import settings
from django.db import models
from django.db.models import Q


class Engagement(models.Model):
    """A recorded working relationship between a seeker and a supporter.

    Ratings need one (only real engagements are rated) and outcomes feed the matching model.
    Other apps record them through ``matching.services.engagement_record``.
    """

    class Source(models.TextChoices):
        COORDINATOR_MATCH = "coordinator_match", "Match made by a coordinator"
        BOOKING = "booking", "Completed booking"
        MUTUAL_CONFIRMATION = "mutual_confirmation", "Both confirmed they worked together"

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements_as_seeker")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements_as_supporter"
    )
    supporter_profile = models.ForeignKey(
        "profiles.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="engagements"
    )
    source = models.CharField(max_length=24, choices=Source.choices)
    source_ref = models.CharField(max_length=64, help_text="What it came from, e.g. 'booking:12'.")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], name="one_engagement_per_source"),
            models.CheckConstraint(condition=~Q(seeker=models.F("supporter")), name="engagement_between_two_people"),
        ]

    def involves(self, user) -> bool:
        return user.pk in (self.seeker_id, self.supporter_id)

    def other_party(self, user):
        return self.supporter if user.pk == self.seeker_id else self.seeker
