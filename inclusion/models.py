"""How each person wants pages shown: text size, contrast, a reading font, easy read (docs/inclusion.md).

Kept for signed-in people here, so their choice follows them to every device; a visitor's choice is kept in
a signed cookie (inclusion.preferences). Nothing here is special-category data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TextSize(models.IntegerChoices):
    STANDARD = 100, _("Standard")
    LARGER = 125, _("Larger")
    LARGE = 150, _("Large")
    LARGEST = 200, _("Largest (twice the size)")


class Contrast(models.TextChoices):
    STANDARD = "standard", _("Standard colours")
    HIGH = "high", _("High contrast (black, white and yellow)")


class Reading(models.TextChoices):
    STANDARD = "standard", _("Standard text")
    SPACED = "spaced", _("Easier to read: a plain font with more space between letters, words and lines")


class DisplayPreferences(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="display_preferences")
    text_size = models.PositiveSmallIntegerField(choices=TextSize.choices, default=TextSize.STANDARD)
    contrast = models.CharField(max_length=8, choices=Contrast.choices, default=Contrast.STANDARD)
    reading = models.CharField(max_length=8, choices=Reading.choices, default=Reading.STANDARD)
    easy_read = models.BooleanField(default=False)
    # A code from settings.LANGUAGES, or "" to follow the browser (inclusion.languages is the one write path).
    language = models.CharField(max_length=12, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "display preferences"
        constraints = [
            models.CheckConstraint(condition=Q(text_size__in=[100, 125, 150, 200]), name="display_text_size_known"),
        ]

    def __str__(self) -> str:
        return f"Display preferences of user {self.user_id}"


# Video introductions (BSL or spoken) have their own module, loaded with the app models.
from .video_models import VideoIntroduction  # noqa: E402, F401
