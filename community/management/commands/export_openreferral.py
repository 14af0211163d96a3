"""manage.py export_openreferral [--output FILE] [--jsonl]: published community resources as Open Referral UK."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community import openreferral

KINDS = ("organizations", "services", "locations", "schedules", "taxonomy")


class Command(BaseCommand):
    help = (
        "Write the published community resources as Open Referral UK JSON (organizations, services, locations, "
        "schedules, taxonomy), each record checked against the bundled schema."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help="Write only the services, one a line (each with its organisation, locations, schedules and "
            "taxonomy terms inside): the shape import_openreferral reads back.",
        )

    def handle(self, *args, output: Path | None = None, jsonl: bool = False, **options):
        document: dict[str, list] = {kind: [] for kind in KINDS}
        problems = []
        for kind, record in openreferral.export_document():
            schema = openreferral.SCHEMA_FOR.get(kind)
            if schema:
                for error in openreferral.schema_errors(schema, record):
                    problems.append(f"{kind} {record.get('id')}: {error}")
            document[kind].append(record)
        if problems:
            for problem in problems[:50]:
                self.stderr.write(self.style.ERROR(problem))
            raise CommandError(f"{len(problems)} records do not match the Open Referral UK schema; nothing written.")
        if jsonl:
            text = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in document["services"])
        else:
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if output:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Could not write {output}: {error.strerror or error}.") from None
        else:
            self.stdout.write(text, ending="")
        counts = ", ".join(f"{len(document[k])} {k}" for k in KINDS)
        self.stderr.write(self.style.SUCCESS(f"Exported {counts}; every record matches the bundled schema."))
