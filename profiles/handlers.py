"""Listeners that end API access: a password change, set or reset, or account deletion revokes every token."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from .signals import user_deleting
from .tokens import api_tokens_revoke_all


@receiver(password_changed, dispatch_uid="profiles-revoke-tokens-on-password-changed")
@receiver(password_set, dispatch_uid="profiles-revoke-tokens-on-password-set")
@receiver(password_reset, dispatch_uid="profiles-revoke-tokens-on-password-reset")
@receiver(user_deleting, dispatch_uid="profiles-revoke-tokens-on-account-deletion")
def revoke_tokens(sender, user=None, **kwargs):
    if user is not None and user.pk is not None:
        api_tokens_revoke_all(user_id=user.pk)
