"""Ratings of real engagements, their moderation, community accreditation and opinion polls.

Rules that live here (one row each): score ranges, one rating per person per engagement,
one reply per rating, one poll answer per engagement, one vote per panel member per proposal.
The rules that span rows (reveal, review queue, quorum) are in ``services.py``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

BLIND_DAYS = 14  # ratings stay hidden this long after the first rating on an engagement
EDIT_DAYS = 14  # a rating can be changed this long after it was given, and only while still blind
LOW_OVERALL = 2  # an overall score at or below this is read by a moderator before it shows
PRIOR_MEAN = Decimal("4.0")  # Bayesian prior: what we assume of someone with no ratings yet
PRIOR_WEIGHT = 5  # ... worth this many ratings
POLL_MIN_ANSWERS = 10  # poll results are shown only for groups at least this large
PANEL_QUORUM = 3

SCORE_FIELDS = ("reliability", "communication", "respect", "skills", "overall")
# What the rater may change on their own rating (the edit page and the API alike).
EDITABLE_FIELDS = (*SCORE_FIELDS, "comment", "attribution", "scores_anonymous")
SCORE_RANGE = Q()
for _name in SCORE_FIELDS:
    SCORE_RANGE &= Q(**{f"{_name}__gte": 1, f"{_name}__lte": 5})


class RatingQuerySet(models.QuerySet):
    def visible(self, now=None) -> RatingQuerySet:
        """Published and past the double-blind window: what counts and what others may read."""
        return self.filter(status=Rating.Status.PUBLISHED, visible_from__lte=now or timezone.now())


class Rating(models.Model):
    class Direction(models.TextChoices):
        OF_SUPPORTER = "of_supporter", _("A seeker rating their supporter")
        OF_EXPERIENCE = "of_experience", _("A supporter rating the experience")

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Waiting for a moderator")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by a moderator")

    class Attribution(models.TextChoices):
        FIRST_NAME = "first_name", _("Show my first name with my comment")
        ANONYMOUS = "anonymous", _("Do not show my name")

    # SET_NULL: a rating given by someone who deleted their account is kept, anonymised (README).
    engagement = models.ForeignKey(
        "matching.Engagement", null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings_given"
    )
    rated = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings_received")
    rated_profile = models.ForeignKey(
        "profiles.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    direction = models.CharField(max_length=16, choices=Direction.choices)
    reliability = models.PositiveSmallIntegerField()
    communication = models.PositiveSmallIntegerField()
    respect = models.PositiveSmallIntegerField("respect and dignity")
    skills = models.PositiveSmallIntegerField()
    overall = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000)
    attribution = models.CharField(max_length=12, choices=Attribution.choices, default=Attribution.FIRST_NAME)
    scores_anonymous = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    review_reason = models.CharField(max_length=200, blank=True)
    comment_held = models.BooleanField(default=False, help_text="A flagged comment waits for a moderator.")
    visible_from = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["rated_profile", "status", "visible_from"])]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "rater"], name="one_rating_per_person_per_engagement"),
            models.CheckConstraint(condition=SCORE_RANGE, name="rating_scores_1_to_5"),
            models.CheckConstraint(condition=~Q(rater=models.F("rated")), name="no_rating_yourself"),
        ]

    def __str__(self) -> str:
        return f"Rating {self.pk}: {self.overall} of 5"

    @property
    def editable_until(self):
        return self.created_at + timedelta(days=EDIT_DAYS)

    def is_editable(self, now=None) -> bool:
        now = now or timezone.now()
        return now < self.editable_until and now < self.visible_from

    def is_revealed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.visible_from

    @property
    def needs_review(self) -> bool:
        return self.overall <= LOW_OVERALL

    @property
    def attributed_to(self) -> str:
        """Who the comment is from, as the rater chose: their first name, or nobody in particular."""
        if self.attribution == self.Attribution.ANONYMOUS or self.rater is None or not self.rater.preferred_name:
            return gettext("A member") if self.rater else gettext("A former member")
        return self.rater.preferred_name.split()[0]

    @property
    def names_rater(self) -> bool:
        return (
            self.attribution == self.Attribution.FIRST_NAME
            and self.rater is not None
            and bool(self.rater.preferred_name)
        )

    @property
    def scores_public(self) -> bool:
        """Anonymous scores are never shown next to a name: then they count only in the averages."""
        return not (self.scores_anonymous and self.names_rater)

    @property
    def shown_comment(self) -> str:
        return "" if self.comment_held else self.comment


class RatingReply(models.Model):
    """The rated person's right to reply, shown beside the review."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rating_replies")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)


class RatingFlag(models.Model):
    class Reason(models.TextChoices):
        UNTRUE = "untrue", _("It is not true or not about a real engagement")
        ABUSIVE = "abusive", _("It is abusive, hateful or discriminatory")
        PERSONAL = "personal", _("It shares private or personal information")
        OTHER = "other", _("Something else")

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rating_flags")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "flagged_by"], name="one_flag_per_person_per_rating")]


class ModerationDecision(models.Model):
    """An append-only record of who decided what about a rating, and when."""

    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        HIDE = "hide", _("Hide")

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.CharField(max_length=1000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]


class SafeguardingConcern(models.Model):
    """A concern that someone is at risk of harm: never a rating. Read by moderators.

    Until messaging owns reports this is the register's only safeguarding queue; it should
    merge into messaging's moderation queue.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="safeguarding_reports"
    )
    engagement = models.ForeignKey("matching.Engagement", null=True, blank=True, on_delete=models.SET_NULL)
    about = models.TextField(max_length=4000)
    someone_in_danger_now = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    @property
    def reference(self) -> str:
        return f"SG-{self.pk:05d}"


class EngagementConfirmation(models.Model):
    """One person says they worked with another; it becomes an engagement when the other confirms."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter_profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    engagement = models.OneToOneField("matching.Engagement", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "supporter_profile"],
                condition=Q(confirmed_at__isnull=True, declined_at__isnull=True),
                name="one_open_confirmation_per_pair",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.declined_at is None

    def counterpart_id(self) -> int:
        supporter_id = self.supporter_profile.user_id
        return supporter_id if self.requested_by_id == self.seeker_id else self.seeker_id


class PollAnswer(models.Model):
    """'Would you recommend?' answered once per engagement by the seeker. Shown only in aggregate."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NOT_SURE = "not_sure", _("Not sure")

    engagement = models.OneToOneField(
        "matching.Engagement", null=True, on_delete=models.SET_NULL, related_name="poll_answer"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="poll_answers"
    )
    supporter_profile = models.ForeignKey("profiles.Profile", null=True, on_delete=models.SET_NULL, related_name="+")
    # Copied so the aggregate survives deletions without reading anyone's profile.
    area = models.CharField(max_length=2)
    role = models.CharField(max_length=20)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    created_at = models.DateTimeField(default=timezone.now)


class Panel(models.Model):
    """Peer advisors and people who employ PAs who award the 'community recommended' badge."""

    name = models.CharField(max_length=120, unique=True)
    organisation = models.ForeignKey("profiles.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    area_prefix = models.CharField(
        max_length=4, blank=True, help_text="Outcode prefix the panel covers, e.g. BB or BB1. Blank: the organisation."
    )
    criteria = models.TextField(help_text="What the panel looks for, in plain words. Shown on the badge page.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(area_prefix=""), name="panel_has_organisation_or_area"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, profile) -> bool:
        if self.organisation_id:
            return profile.organisation_id == self.organisation_id
        return profile.outcode.upper().startswith(self.area_prefix.upper())


class PanelMember(models.Model):
    class Kind(models.TextChoices):
        PEER_ADVISOR = "peer_advisor", _("Peer advisor")
        EMPLOYER = "employer", _("Person who employs PAs")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_seats")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user"], condition=Q(left_at__isnull=True), name="one_active_seat_per_panel"
            )
        ]


class BadgeProposal(models.Model):
    """A motion to award or withdraw the badge, decided by recorded votes."""

    class Action(models.TextChoices):
        AWARD = "award", _("Award the badge")
        WITHDRAW = "withdraw", _("Withdraw the badge")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Voting")
        CARRIED = "carried", _("Agreed")
        REFUSED = "refused", _("Not agreed")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="proposals")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="badge_proposals")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(max_length=2000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class PanelVote(models.Model):
    proposal = models.ForeignKey(BadgeProposal, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    in_favour = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="one_vote_per_member")]


class Badge(models.Model):
    """'Community recommended' by a panel: who awarded it, when, and (if so) when it was withdrawn."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="badges")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="badges")
    awarded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "profile"], condition=Q(withdrawn_at__isnull=True), name="one_current_badge_per_panel"
            )
        ]


class Appeal(models.Model):
    """A supporter appealing a refusal or a withdrawal. Decided by someone who did not vote, or a moderator."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Appeal upheld: the panel's decision is reversed")
        DISMISSED = "dismissed", _("Appeal dismissed: the panel's decision stands")

    proposal = models.OneToOneField(BadgeProposal, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    grounds = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
