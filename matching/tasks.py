"""Background work for matching: telling people when a newly published listing fits a search they saved."""

from __future__ import annotations

import logging

from django.dispatch import receiver
from django.tasks import task

from profiles.signals import profile_published

logger = logging.getLogger(__name__)


@task
def saved_searches_notify(profile_id: int) -> int:
    """Run by the task worker (``manage.py db_worker``) after a publish commits: see matching.saved_searches."""
    from .saved_searches import saved_searches_notify as notify

    return notify(profile_id)


@receiver(profile_published, dispatch_uid="matching-saved-searches")
def listing_published(sender, profile_id: int, **kwargs) -> None:
    """The publish has committed (the signal is sent on commit): queue the fitting, never do it in the request."""
    try:
        saved_searches_notify.enqueue(profile_id)
    except Exception:  # noqa: BLE001 - a queue outage must not turn a publish into an error page
        logger.warning("Could not queue the saved-search check for listing %s.", profile_id)
