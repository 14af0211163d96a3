"""manage.py export_register [--output FILE]: the listed register as interchange-format JSON Lines."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.register_format import register_export


class Command(BaseCommand):
    help = "Write every listed profile as JSON Lines. Lived experience only where consent allows; health details never."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Write to this file instead of standard output.")

    def handle(self, *args, output: Path | str | None, **options):
        if output is None:
            register_export(self.stdout._out)
            return
        output = Path(output)  # call_command passes keyword options through without argparse's type
        try:
            with output.open("w", encoding="utf-8") as stream:
                count = register_export(stream)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror or error}.") from None
        self.stderr.write(f"Wrote {count} profiles to {output}.")
