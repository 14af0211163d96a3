"""manage.py import_openreferral FILE_OR_URL: load a council's Open Referral UK directory. Safe to run again."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community import openreferral


class Command(BaseCommand):
    help = (
        "Load community resources from an Open Referral UK file (JSON Lines of services, a JSON list, an API "
        "page or our own export) or an Open Referral API's /services URL. The same id again updates its listing; "
        "a listing changed here since its last import is kept unless --overwrite-local is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A file path, or an http(s) URL of an Open Referral /services endpoint.")
        parser.add_argument(
            "--overwrite-local",
            action="store_true",
            help="Replace listings that were changed here since they were imported (they are named either way).",
        )

    def handle(self, *args, source: str, overwrite_local: bool = False, **options):
        if source.startswith(("http://", "https://")):
            records = openreferral.records_from_url(source)
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"There is no file at {path}. Check the path and try again.")
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Could not read {path} as UTF-8 text: {error}. Check the file.") from None
            records = openreferral.records_from_text(text)
        try:
            report = openreferral.import_records(records, overwrite_local=overwrite_local)
        except Exception as error:  # network trouble while paging a URL
            if source.startswith("http") and error.__class__.__module__.startswith("requests"):
                raise CommandError(f"Could not read {source}: {error}. Check the address and try again.") from None
            raise
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(problem))
        self.stdout.write(self.style.SUCCESS(report.summary()))
