"""manage.py import_register FILE: load a register in the interchange format (JSON Lines)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from profiles.register_format import ImportReport, register_import


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def print_report(command: BaseCommand, report: ImportReport) -> None:
    """Problems and warnings to stderr (they name line numbers, never a person's details); the count to stdout."""
    for warning in report.warnings:
        command.stderr.write(command.style.WARNING(warning))
    for problem in report.problems:
        command.stderr.write(command.style.ERROR(problem))
    command.stdout.write(command.style.SUCCESS(report.summary()))


def import_file(command: BaseCommand, path: Path) -> ImportReport:
    try:
        total = count_lines(path)
        with path.open("rb") as handle:
            # disable=None: the bar shows on a terminal and stays out of logs and tests.
            lines = tqdm(handle, total=total, unit=" lines", file=command.stderr._out, disable=None, mininterval=0.5)
            return register_import(lines)
    except OSError as error:
        raise CommandError(
            f"Could not read {path}: {error.strerror or error}. Check the file name and try again."
        ) from None


class Command(BaseCommand):
    help = "Load profiles from an interchange-format JSON Lines file. Safe to run again: same ref = update."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A JSON Lines file in the open register interchange format.")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"There is no file at {file}. Check the path and try again.")
        print_report(self, import_file(self, file))
