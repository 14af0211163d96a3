"""Train the matching weights on recorded outcomes, or go back to an earlier version.

Trained weights go live only through the rule in matching.services.model_train (enough real outcomes,
a win on held-out real outcomes, no factor below its floor without a person's approval). Made-up
outcomes (``--synthetic N``) train a version that is recorded for comparison and never used.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matching import selectors, services


class Command(BaseCommand):
    help = (
        "Train the matching weights from real outcomes; --synthetic N trains on N made-up outcomes (recorded, "
        "never used); --rollback [VERSION] restores an earlier version; --history lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--synthetic",
            type=int,
            default=0,
            metavar="N",
            help="Add N made-up outcomes and train on them: the version is recorded but never used for ranking.",
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--rollback",
            nargs="?",
            const="previous",
            default=None,
            metavar="VERSION",
            help="Put VERSION live again (default: the version that served before the live one).",
        )
        parser.add_argument("--history", action="store_true", help="List every version and what happened to it.")

    def handle(self, *args, **options):
        try:
            if options["rollback"] is not None:
                self._rollback(options["rollback"])
            elif not options["history"]:
                self._train(options["synthetic"], options["seed"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["history"] or options["rollback"] is not None:
            self._history()

    def _train(self, synthetic: int, seed: int) -> None:
        if synthetic:
            added = services.outcomes_synthetic_create(count=synthetic, seed=seed)
            self.stdout.write(f"Added {added} made-up outcomes.")
        row = services.model_train(synthetic=bool(synthetic), seed=seed)
        self.stdout.write(f"Model v{row.version}: {row.decision}")
        self.stdout.write(json.dumps({**row.metrics, "weights": row.weights}, indent=2))

    def _rollback(self, raw: str) -> None:
        if raw == "previous":
            version = None
        elif raw.isdigit():
            version = int(raw)
        else:
            raise CommandError(f"Give a version number, like --rollback 3, not {raw!r}.")
        row = services.model_restore(version=version)
        self.stdout.write(f"Model v{row.version} is live again.")

    def _history(self) -> None:
        for row in selectors.model_history():
            state = "LIVE" if row.live else ("held for approval" if row.held_for_approval else "not in use")
            self.stdout.write(f"v{row.version} ({row.get_source_display()}, {state}): {row.decision}")
            for change in row.changes.all():
                who = change.actor.email if change.actor else "command line / training rule"
                self.stdout.write(f"    {change.created_at:%Y-%m-%d %H:%M} {change.get_action_display()} by {who}")
