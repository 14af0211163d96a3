"""Which language a page is in: the one place that knows (docs/languages.md).

A visitor's choice is Django's language cookie, set by the stock ``set_language`` view at /i18n/setlang/. A
signed-in person's choice is also saved on their ``DisplayPreferences`` row, so it follows them to every
device: ``PersonLanguageMiddleware`` (inclusion.middleware) applies it after authentication and saves it when
the person uses the switcher. A language is offered only once it has a compiled catalogue.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import DisplayPreferences

SOURCE_LANGUAGE = "en-gb"  # the templates are written in it; it needs no catalogue
# No language has been reviewed by a fluent speaker yet. When one is, add its code here (and say who reviewed
# it in the .po header): the footer's "machine-drafted" note then stops showing for it.
REVIEWED: frozenset[str] = frozenset()


def known(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES)


@cache
def has_catalogue(code: str) -> bool:
    if code == SOURCE_LANGUAGE:
        return True
    return any((Path(p) / code / "LC_MESSAGES" / "django.mo").is_file() for p in settings.LOCALE_PATHS)


def offered() -> list[tuple[str, str]]:
    """(code, name in itself) for the switcher: only languages with a catalogue."""
    return [(code, name) for code, name in settings.LANGUAGES if has_catalogue(code)]


def is_draft(code: str) -> bool:
    """True for a translation no fluent speaker has reviewed yet (the footer says so)."""
    return code != SOURCE_LANGUAGE and not code.startswith("en") and code not in REVIEWED


def saved_language(user) -> str:
    return DisplayPreferences.objects.filter(user=user).values_list("language", flat=True).first() or ""


@transaction.atomic
def language_save(*, user, code: str) -> str:
    """Remember a signed-in person's language for every device. Unknown codes are ignored."""
    if not known(code):
        return saved_language(user)
    DisplayPreferences.objects.update_or_create(user=user, defaults={"language": code})
    return code
