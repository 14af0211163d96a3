"""Log the quality change of ratings revealed by the 14-day clock (no request triggers those). Run daily.

Every running process's match index re-reads those scores before its next search (the change log)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from profiles import changelog
from ratings.models import Rating


class Command(BaseCommand):
    help = "Refresh matching's quality factor for supporters whose ratings were revealed recently."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=25, help="Look back this many hours (default 25).")

    def handle(self, *args, hours: int, **options):
        now = timezone.now()
        ids = set(
            Rating.objects.filter(visible_from__gt=now - timedelta(hours=hours), visible_from__lte=now)
            .exclude(rated_profile=None)
            .values_list("rated_profile_id", flat=True)
        )
        if ids:
            changelog.record(changelog.Kind.QUALITY, sorted(ids))
        self.stdout.write(f"Refreshed the quality factor of {len(ids)} supporter{'s' if len(ids) != 1 else ''}.")
