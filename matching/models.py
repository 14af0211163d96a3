from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Engagement(models.Model):
    """A recorded working relationship between a seeker and a supporter.

    Ratings need one (only real engagements are rated) and outcomes feed the matching model.
    Other apps record them through ``matching.services.engagement_record``.
    """

    class Source(models.TextChoices):
        COORDINATOR_MATCH = "coordinator_match", _("Match made by a coordinator")
        BOOKING = "booking", _("Completed booking")
        MUTUAL_CONFIRMATION = "mutual_confirmation", _("Both confirmed they worked together")

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
        CONTACT_ACCEPTED = "contact_accepted", _("Contact request accepted")
        CONTACT_DECLINED = "contact_declined", _("Contact request declined")
        COORDINATOR_MATCH_ACCEPTED = "coordinator_match_accepted", _("Coordinator's match accepted")
        ENGAGEMENT_COMPLETED = "engagement_completed", _("Engagement completed")
        RATED = "rated", _("Rated")

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
    """One set of matching weights: the hand-set baseline, or one training run with its metrics.

    The weights are here, in the database (JSON numbers, never pickles). At most one row is ``live``:
    the weights ranking uses. Only ``matching.services`` changes which (``model_train``,
    ``model_restore``), writing a ``model`` change-log row so every worker reloads before its next search.
    """

    class Source(models.TextChoices):
        HAND_SET = "hand_set", "Hand-set weights"
        TRAINED = "trained", "Trained on real outcomes"
        SYNTHETIC = "synthetic", "Trained on made-up outcomes (never used for ranking)"

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.TRAINED)
    weights = models.JSONField(default=dict, help_text="Weight per factor.")
    sklearn_version = models.CharField(max_length=20, blank=True)
    metrics = models.JSONField(default=dict)
    below_floor = models.JSONField(
        default=list, blank=True, help_text="Factors whose weight fell below the floor: a person must approve them."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    live = models.BooleanField(default=False, help_text="The weights ranking uses now (one row at most).")
    decision = models.TextField(blank=True, help_text="Why it was or was not adopted, in words.")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["live"], condition=Q(live=True), name="one_live_model")]

    def __str__(self) -> str:
        return f"Matching model v{self.version} ({'live' if self.live else self.get_source_display().lower()})"

    @property
    def held_for_approval(self) -> bool:
        return bool(self.below_floor) and self.approved_at is None


class ModelChange(models.Model):
    """The model history: each version trained, put live, held for approval, approved or restored, and by whom."""

    class Action(models.TextChoices):
        RECORDED = "recorded", "Recorded, not used"
        ADOPTED = "adopted", "Adopted by the training rule"
        HELD = "held", "Held for a person's approval"
        APPROVED = "approved", "Approved and put live"
        RESTORED = "restored", "Restored"

    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


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
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

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


class SavedSearch(models.Model):
    """A search a person saved (the query string of /matches/ or /register/), to hear when a new listing fits.

    The query string is stored as the page's form would read it again, with any postcode cut to its
    district (``saved_searches.clean_params``): nothing more precise than a district is ever kept.
    """

    class Page(models.TextChoices):
        MATCHES = "matches", _("Your matches")
        REGISTER = "register", _("The register")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=80)
    page = models.CharField(max_length=10, choices=Page.choices)
    params = models.CharField(max_length=1000, blank=True, help_text="The search's query string.")
    # Which kind of supporter it asks for ("" for any): lets a new listing skip searches for other roles.
    role = models.CharField(max_length=20, blank=True)
    email = models.BooleanField(default=False, help_text="Email me too (the notification centre always shows it).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["role"], name="saved_search_role")]

    def __str__(self) -> str:
        return f"Saved search {self.pk} ({self.page})"


class SavedSearchHit(models.Model):
    """A listing a saved search's owner has been told about: the unique pair is what stops a second
    notification, whichever worker (or retry) gets there second."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["saved_search", "profile"], name="saved_search_hit_once")]
