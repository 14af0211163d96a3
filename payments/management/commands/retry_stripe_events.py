from django.core.management.base import BaseCommand

from payments.models import StripeEvent
from payments.webhooks import events_needing_a_person, events_retry_failed, max_attempts


class Command(BaseCommand):
    help = "Run Stripe events whose processing failed again, and list those that need a person."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, limit, **options):
        rows = events_retry_failed(limit=limit)
        still = sum(row.status == StripeEvent.Status.FAILED for row in rows)
        self.stdout.write(f"Retried {len(rows)} events; {len(rows) - still} succeeded, {still} still failing.")
        stuck = list(events_needing_a_person())
        if stuck:
            self.stdout.write(
                f"{len(stuck)} events failed {max_attempts()} times and will not be retried; "
                'check each in the admin (Stripe events, "Needs a person") and fix or dismiss it:'
            )
            for row in stuck:
                first_line = (row.error or "no error recorded").splitlines()[0][:200]
                self.stdout.write(
                    f"  {row.event_id} {row.type} received {row.received_at:%Y-%m-%d %H:%M}: {first_line}"
                )
