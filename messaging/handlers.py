"""Listeners: close sockets on logout, password change, block or suspension; clean up on account deletion."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from profiles.signals import user_blocked, user_deleting

from . import realtime
from .models import Conversation, Message


@receiver(user_logged_out, dispatch_uid="messaging-close-on-logout")
def close_on_logout(sender, request=None, user=None, **kwargs):
    if user is not None:
        realtime.sockets_close_for_user(user.pk)


@receiver(password_changed, dispatch_uid="messaging-close-on-password-changed")
@receiver(password_set, dispatch_uid="messaging-close-on-password-set")
@receiver(password_reset, dispatch_uid="messaging-close-on-password-reset")
def close_on_password_change(sender, request=None, user=None, **kwargs):
    if user is not None:
        realtime.sockets_close_for_user(user.pk)


@receiver(user_blocked, dispatch_uid="messaging-close-on-block")
def close_on_block(sender, blocker_id: int, blocked_id: int, **kwargs):
    realtime.sockets_close_for_user(blocker_id)
    realtime.sockets_close_for_user(blocked_id)


@receiver(user_deleting, dispatch_uid="messaging-delete-personal-data")
def delete_personal_data(sender, user, **kwargs):
    """Remove the person's one-to-one messages. Introduction threads keep their words without their name
    (the seeker and coordinator rely on that record); moderation cases keep their snapshot."""
    Message.objects.filter(sender=user, conversation__kind=Conversation.Kind.DIRECT).delete()
    realtime.sockets_close_for_user(user.pk)
