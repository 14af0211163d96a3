"""Background work: one short email per notification. Only the fixed title and a link, never details."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

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
    body = (
        f"{notification.title}.\n\n"
        f"Sign in to see it: {site}{notification.link}\n\n"
        f"To choose which notifications we email you about: {site}{reverse('notifications:settings')}\n"
    )
    send_mail(notification.title, body, None, [user.email])
    return True
