"""Background work: an email when a message has waited unread. Never the body, names or details."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db.models import F
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inclusion.languages import saved_language
from profiles.models import User

from .models import Message, NotificationPreference

SUBJECT = _("You have a new message on Open Circle")
UNREAD_WAIT = timedelta(minutes=15)


def _site_url() -> str:
    configured = getattr(settings, "SITE_URL", "")
    return configured.rstrip("/") if configured else f"https://{Site.objects.get_current().domain}"


def _waiting_messages(user: User, preference: NotificationPreference):
    """Unread messages that have waited at least 15 minutes and were not in an earlier email."""
    now = timezone.now()
    if (
        preference.frequency == NotificationPreference.Frequency.DAILY
        and preference.last_emailed_at
        and preference.last_emailed_at > now - timedelta(days=1)
    ):
        return Message.objects.none()
    qs = Message.objects.filter(
        conversation__memberships__user=user,
        conversation__memberships__left_at__isnull=True,
        id__gt=F("conversation__memberships__last_read_id"),
        removed_at__isnull=True,
        created_at__lte=now - UNREAD_WAIT,
    ).exclude(sender=user)
    if preference.last_emailed_at:
        qs = qs.filter(created_at__gt=preference.last_emailed_at)
    return qs


@task
def unread_notify(user_id: int) -> bool:
    """Email one person if a message has waited unread long enough. Returns whether it emailed."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    preference = NotificationPreference.objects.get_or_create(user=user)[0]
    NotificationPreference.objects.filter(pk=preference.pk).update(next_check_at=None)
    if preference.frequency == NotificationPreference.Frequency.OFF or not user.is_active:
        return False
    if not _waiting_messages(user, preference).exists():
        return False
    link = _site_url() + reverse("messaging:inbox")
    settings_link = _site_url() + reverse("messaging:settings")
    # In the person's own saved language, like the notification emails.
    with translation.override(saved_language(user) or settings.LANGUAGE_CODE):
        subject = str(SUBJECT)
        body = gettext(
            "%(subject)s.\n\nSign in to read it: %(link)s\n\n"
            "To change how often we email you about messages: %(settings)s\n"
        ) % {"subject": subject, "link": link, "settings": settings_link}
    send_mail(subject, body, None, [user.email])
    NotificationPreference.objects.filter(pk=preference.pk).update(last_emailed_at=timezone.now())
    return True
