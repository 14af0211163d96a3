"""Background work: one short email per notification. Only the fixed title and a link, never details."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from inclusion.languages import saved_language

from .models import Notification, email_wanted


def _site_url() -> str:
    return (getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


@task
def notification_email(notification_id: int) -> bool:
    """Email the person about one notification, unless they read it already or switched the kind off."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.read_at is not None:
        return False
    user = notification.recipient
    if not user.is_active or not user.email or not email_wanted(user.pk, notification.kind):
        return False
    site = _site_url()
    # In the person's own language (the title is stored in English, the source language).
    with translation.override(saved_language(user) or settings.LANGUAGE_CODE):
        title = notification.shown_title
        body = _(
            "%(title)s.\n\n"
            "Sign in to see it: %(link)s\n\n"
            "To choose which notifications we email you about: %(settings)s\n"
        ) % {
            "title": title,
            "link": f"{site}{notification.link}",
            "settings": f"{site}{reverse('notifications:settings')}",
        }
    send_mail(title, body, None, [user.email])
    return True
