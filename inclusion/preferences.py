"""Reading and seeing choices for the request: the person's saved row when signed in, else a signed cookie.

``for_request`` is the one place a page learns them; ``preferences_save`` is the one write path for the
saved row (the page's form and the admin-free account page both use it). Invalid or tampered cookies are
ignored (the standard display), never an error.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction

from .models import Contrast, DisplayPreferences, Reading, TextSize

COOKIE = "oc_display"
COOKIE_SALT = "inclusion.display"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Display:
    text_size: int = TextSize.STANDARD
    contrast: str = Contrast.STANDARD
    reading: str = Reading.STANDARD
    easy_read: bool = False

    @property
    def html_class(self) -> str:
        """Classes for <html>: inclusion/static/css/display.css styles each."""
        classes = []
        if self.text_size != TextSize.STANDARD:
            classes.append(f"text-{self.text_size}")
        if self.contrast == Contrast.HIGH:
            classes.append("contrast-high")
        if self.reading == Reading.SPACED:
            classes.append("reading-spaced")
        if self.easy_read:
            classes.append("easy-read")
        return " ".join(classes)

    @property
    def is_standard(self) -> bool:
        return self == Display()

    @classmethod
    def clean(cls, data: dict) -> Display:
        """Known values only; anything else falls back to the standard choice."""
        size = data.get("text_size")
        return cls(
            text_size=size if size in TextSize.values else TextSize.STANDARD,
            contrast=data.get("contrast") if data.get("contrast") in Contrast.values else Contrast.STANDARD,
            reading=data.get("reading") if data.get("reading") in Reading.values else Reading.STANDARD,
            easy_read=data.get("easy_read") is True,
        )


def _from_cookie(request) -> Display:
    try:
        raw = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
        return Display.clean(json.loads(raw))
    except (KeyError, signing.BadSignature, ValueError, TypeError, AttributeError):
        return Display()


def for_request(request) -> Display:
    """The display the person chose (cached on the request: templates ask more than once)."""
    cached = getattr(request, "_display", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        row = (
            DisplayPreferences.objects.filter(user=user).values("text_size", "contrast", "reading", "easy_read").first()
        )
        display = Display.clean(row) if row else _from_cookie(request)
    else:
        display = _from_cookie(request)
    request._display = display
    return display


@transaction.atomic
def preferences_save(*, user, display: Display) -> Display:
    """Remember a signed-in person's choice, for every device they use."""
    DisplayPreferences.objects.update_or_create(user=user, defaults=asdict(display))
    return display


def remember_in_cookie(response, display: Display) -> None:
    """A visitor's choice (and a copy for a signed-in person, so the page is right before they sign in again)."""
    if display.is_standard:
        response.delete_cookie(COOKIE, samesite="Lax")
        return
    response.set_signed_cookie(
        COOKIE,
        json.dumps(asdict(display)),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )


def user_display_data(user) -> dict:
    """For "download my data"."""
    row = (
        DisplayPreferences.objects.filter(user=user)
        .values("text_size", "contrast", "reading", "easy_read", "language")
        .first()
    )
    return {"display_settings": row or "none saved"}
