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


class Outcome(models.Model):
    """What happened after a match was shown: the labels the matching model learns from.

    ``features`` is the feature vector at the time (numbers only, never tags or text), so the
    model learns from what the scorer saw then. Synthetic outcomes (demos, tests) have no profiles.
    """

    class Kind(models.TextChoices):
        CONTACT_ACCEPTED = "contact_accepted", "Contact request accepted"
        CONTACT_DECLINED = "contact_declined", "Contact request declined"
        COORDINATOR_MATCH_ACCEPTED = "coordinator_match_accepted", "Coordinator's match accepted"
        ENGAGEMENT_COMPLETED = "engagement_completed", "Engagement completed"
        RATED = "rated", "Rated"

    seeker_profile = models.ForeignKey(
        "profiles.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supporter_profile = models.ForeignKey(
        "profiles.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seeker_key = models.CharField(max_length=64, help_text="Groups outcomes per seeker for NDCG, e.g. 'profile:12'.")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    label = models.FloatField()
    features = models.JSONField()
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(label__gte=0) & Q(label__lte=1), name="outcome_label_in_0_1")]


class ModelVersion(models.Model):
    """One training run: its metrics, and whether its weights were adopted for ranking.

    Only a file whose sha256 matches an adopted row is ever loaded; weights are JSON, never pickles.
    """

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    checksum = models.CharField(max_length=64, help_text="sha256 of the weights file.")
    sklearn_version = models.CharField(max_length=20)
    metrics = models.JSONField(default=dict)
    adopted = models.BooleanField(default=False)
    decision = models.TextField(blank=True, help_text="Why it was or was not adopted, in words.")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Matching model v{self.version} ({'adopted' if self.adopted else 'not adopted'})"


class Shortlist(models.Model):
    """A supporter a person wants to come back to. Private to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "profile"], name="shortlist_once")]


class Advert(models.Model):
    """ "Support wanted": what, when, where (the seeker's district only) and the most they will pay."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    seeker_profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="adverts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=120)
    what = models.TextField(max_length=1500)
    roles = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    interests = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    max_km = models.PositiveSmallIntegerField(null=True, blank=True)
    max_rate = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_rate__isnull=True) | Q(max_rate__gt=0, max_rate__lte=500), name="advert_rate_in_range"
            )
        ]


class AdvertResponse(models.Model):
    advert = models.ForeignKey(Advert, on_delete=models.CASCADE, related_name="responses")
    supporter_profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="advert_responses")
    message = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["advert", "supporter_profile"], name="respond_once")]
