"""Train matching weights on recorded outcomes; adopt them only if they beat what serves now."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matching import services


class Command(BaseCommand):
    help = "Train the matching weights from outcomes (optionally first adding N synthetic outcomes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--synthetic", type=int, default=0, metavar="N", help="First add N synthetic outcomes (demos, tests)."
        )
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        if options["synthetic"]:
            added = services.outcomes_synthetic_create(count=options["synthetic"], seed=options["seed"])
            self.stdout.write(f"Added {added} synthetic outcomes.")
        try:
            row = services.model_train(seed=options["seed"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Model v{row.version}: {row.decision}")
        self.stdout.write(json.dumps(row.metrics, indent=2))
