from django.core.management.base import BaseCommand, CommandError

from payments import stripe_client
from payments.reconcile import reconcile_payments


class Command(BaseCommand):
    help = "Compare card payments and connected accounts with Stripe's records and correct ours."

    def handle(self, *args, **options):
        if not stripe_client.is_configured():
            raise CommandError("STRIPE_SECRET_KEY is not set, so there is nothing to reconcile with.")
        report = reconcile_payments()
        self.stdout.write(f"Checked {report.checked} payments; corrected {report.changed}.")
        for error in report.errors:
            self.stderr.write(f"Could not check {error}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} could not be checked; run again later.")
