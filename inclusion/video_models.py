"""A supporter's short video introduction (BSL or spoken) on their listing (docs/inclusion.md).

One per listing. It is shown to others only once it has captions or a transcript (``status``), and only
while the listing itself may be seen (``inclusion.video_selectors``). The file has a random name; it is
served through a view that checks both, never by its storage path.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from profiles.models import Profile


def _video_file(instance, filename: str) -> str:
    # Random names: a file name must not reveal who is filmed or anything they typed.
    return f"videos/{secrets.token_hex(16)}.mp4"


class VideoIntroduction(models.Model):
    class Kind(models.TextChoices):
        BSL = "bsl", _("In British Sign Language (BSL)")
        SPOKEN = "spoken", _("Spoken")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for captions or a transcript")
        SHOWN = "shown", _("Shown on your listing")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="video_introductions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    video = models.FileField(upload_to=_video_file)
    seconds = models.PositiveIntegerField(help_text="How long the video is, read from the file.")
    size_bytes = models.PositiveBigIntegerField()
    captions = models.TextField(blank=True, help_text="WebVTT captions, checked at upload.")
    transcript = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    uploaded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile"], name="one_video_introduction_per_listing"),
            models.CheckConstraint(
                condition=Q(status="waiting") | ~Q(captions="") | ~Q(transcript=""),
                name="video_shown_only_with_captions_or_transcript",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="video_kind_status")]

    def __str__(self) -> str:
        return f"Video introduction of listing {self.profile_id}"

    @property
    def is_shown(self) -> bool:
        return self.status == self.Status.SHOWN

    def length_words(self) -> str:
        return length_in_words(self.seconds)


def length_in_words(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    minutes_words = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    seconds_words = ngettext("%(count)d second", "%(count)d seconds", rest) % {"count": rest}
    if not minutes:
        return seconds_words
    if not rest:
        return minutes_words
    # Translators: a length such as "2 minutes 30 seconds".
    return gettext("%(minutes)s %(seconds)s") % {"minutes": minutes_words, "seconds": seconds_words}
