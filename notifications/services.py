"""The one write path for notifications. Other apps call ``notification_send``; pages call the rest.

``notification_send`` does its work after the caller's transaction commits (``transaction.on_commit``),
so a change that rolls back notifies nobody, and a problem here can never undo the change itself
(``robust=True``: it is logged, by kind and id only, and the change stands).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation

from profiles.models import User

from .models import TITLE_MAX, TITLES, EmailOff, Kind, Notification, email_wanted

logger = logging.getLogger(__name__)


def notification_send(
    *, recipient: User | int | None, kind: str, link: str, title: str = "", email: bool = True
) -> None:
    """Tell ``recipient`` about something at ``link`` (a path on this site), once the caller commits.

    ``title`` defaults to the kind's fixed wording; a caller that passes one must keep it just as
    plain: never a name, a message or anything the person typed. The email (unless the person has
    switched this kind off) goes through the task queue and says only the title and the link.
    ``email=False`` keeps it on the site only (a saved search whose owner chose no email).
    """
    recipient_id = getattr(recipient, "pk", recipient)
    if recipient_id is None:  # an account that has gone: nobody to tell
        return
    kind = Kind(kind)
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("A notification links to a path on this site, like /messages/requests/.")
    # Stored in the source language (English): the list page and the email translate the stored title
    # into the reader's language when they show it, so a title marked with gettext_lazy reads right for them.
    with translation.override(settings.LANGUAGE_CODE):
        title = str(title or TITLES[kind])[:TITLE_MAX]
    transaction.on_commit(lambda: _deliver(recipient_id, kind, title, link, email), robust=True)


def _deliver(recipient_id: int, kind: str, title: str, link: str, email: bool = True) -> Notification | None:
    from .tasks import notification_email

    if not User.objects.filter(pk=recipient_id).exists():
        return None
    notification = Notification.objects.create(recipient_id=recipient_id, kind=kind, title=title, link=link)
    if email and email_wanted(recipient_id, kind):
        try:
            notification_email.enqueue(notification.pk)
        except Exception:  # noqa: BLE001 - a queue outage must not lose the notification itself
            logger.warning("Could not queue the email for notification %s (%s).", notification.pk, kind)
    return notification


# Reading ----------------------------------------------------------------------------------------


def notifications_for(*, viewer: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=viewer)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_for(*, viewer: User, pk: int) -> Notification:
    """The viewer's own notification; anyone else's answers 404."""
    notification = Notification.objects.filter(pk=pk, recipient=viewer).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


# Marking read -----------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(translation.gettext("You can only mark your own notifications as read."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor as read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# Email choices ----------------------------------------------------------------------------------


def email_kinds_on(user: User) -> list[str]:
    off = set(EmailOff.objects.filter(user=user).values_list("kind", flat=True))
    return [kind for kind in Kind.values if kind not in off]


@transaction.atomic
def email_preferences_set(*, user: User, kinds_on: Iterable[str]) -> list[str]:
    """Email these kinds and no others. Returns the kinds now switched off."""
    kinds_on = set(kinds_on)
    unknown = kinds_on - set(Kind.values)
    if unknown:
        raise ValidationError({"kinds": [translation.gettext("Choose from the kinds of notification listed.")]})
    off = [kind for kind in Kind.values if kind not in kinds_on]
    EmailOff.objects.filter(user=user).exclude(kind__in=off).delete()
    EmailOff.objects.bulk_create([EmailOff(user=user, kind=kind) for kind in off], ignore_conflicts=True)
    return off
