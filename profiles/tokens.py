"""API tokens a person makes on their account page: the one write path for making, using and revoking them.

A token is ``oc_`` and 43 random URL-safe characters (256 bits), shown once. The database holds only its
SHA-256 digest: with that much randomness a fast hash is enough, and it lets
profiles/authentication.py find the token by an indexed equality in one statement.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User

PREFIX = "oc_"
SHOWN_PREFIX_CHARS = 8  # "oc_" and 5 random characters: enough to tell tokens apart, far too few to use one
EXPIRY_DAYS = (30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
MAX_ACTIVE_TOKENS = 20
# Last use is written at most this often per token, so a busy client does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown to the person once; never stored


def active_tokens(user: User):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())


def api_token_create(*, user: User, name: str, days: int = DEFAULT_EXPIRY_DAYS) -> NewToken:
    """Make a named token that works for ``days`` days. Raises ValidationError with a plain reason."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the token a name, such as the program or computer that will use it."
    elif len(name) > 60:
        errors["name"] = "Use a name of 60 characters or fewer."
    if days not in EXPIRY_DAYS:
        errors["days"] = "Choose how long the token works: 30, 90 or 365 days."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one count at a time per person
        if active_tokens(user).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                f"You already have {MAX_ACTIVE_TOKENS} tokens that work. Revoke one you no longer use, then make a new one."
            )
        raw = PREFIX + secrets.token_urlsafe(32)
        now = timezone.now()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=digest_of(raw),
            prefix=raw[:SHOWN_PREFIX_CHARS],
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    return NewToken(token=token, raw=raw)


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the person's own tokens; someone else's token id is a 404 for the caller (DoesNotExist)."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, user_id: int) -> int:
    """Revoke every token the person has (password changed or reset, account being deleted)."""
    return ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_touch(*, token_id: int, now) -> None:
    """Record a use (called by authentication only when the recorded last use is older than the precision)."""
    ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
