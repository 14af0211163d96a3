"""Small helpers for person cards: initials for the avatar shown when there is no photo."""

from __future__ import annotations

import zlib

from django import template

register = template.Library()

AVATAR_TONES = 6  # css/cards.css: .avatar-0 ... .avatar-5, each dark enough for white letters (AA)


@register.filter
def initials(name: str) -> str:
    """ "Wendy Walker" -> "WW"; "Sam" -> "S"; the first letter of the first and last words."""
    words = [w for w in str(name or "").replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def avatar_tone(ref: str) -> int:
    """A stable colour for a listing's initials avatar (the same on every page)."""
    return zlib.crc32(str(ref).encode()) % AVATAR_TONES
