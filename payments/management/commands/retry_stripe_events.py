from django.core.management.base import BaseCommand

from payments.models import StripeEvent
from payments.webhooks import events_retry_failed


class Command(BaseCommand):
    help = "Run Stripe events whose processing failed again."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, limit, **options):
        rows = events_retry_failed(limit=limit)
        still = sum(row.status == StripeEvent.Status.FAILED for row in rows)
        self.stdout.write(f"Retried {len(rows)} events; {len(rows) - still} succeeded, {still} still failing.")
