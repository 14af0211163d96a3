"""Tell matching about ratings revealed by the 14-day clock (no request triggers those). Run daily."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from matching.services import match_quality_refresh
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
            match_quality_refresh(profile_ids=ids)
        self.stdout.write(f"Refreshed the quality factor of {len(ids)} supporter{'s' if len(ids) != 1 else ''}.")
