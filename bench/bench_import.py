"""Time the register import against a baseline measured in the same run.

    .venv/bin/python bench/bench_import.py [--profiles 100000] [--seed 1] [--database-url URL]

Makes a synthetic register with seed_demo, then times (a) the baseline: reading and JSON-parsing every line
without touching the database, (b) the full import into a fresh database, (c) a second import of the same
file (every line unchanged). Uses a temporary SQLite file unless --database-url is given; never point it at
a database you care about.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in a temporary folder.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (file and database).")
    return parser.parse_args()


def timed(function) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def baseline(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            json.loads(line, parse_float=Decimal)
            count += 1
    return count


def run_command(name: str, *args, **options) -> str:
    from django.core.management import call_command

    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue().strip()


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        measure(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(args: argparse.Namespace, workdir: Path) -> None:
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    run_command("migrate", verbosity=0)
    path = workdir / "register.jsonl"
    n = args.profiles
    gen_wall, _, _ = timed(lambda: run_command("seed_demo", profiles=n, seed=args.seed, output=path))
    print(f"{n} profiles, seed {args.seed}: file {path.stat().st_size / 1e6:.1f} MB, generated in {gen_wall:.1f} s")
    print(f"database: {os.environ['DATABASE_URL']}")
    rows = [("baseline: read + json-parse every line", *timed(lambda: baseline(path)))]
    rows.append(("import into an empty database", *timed(lambda: run_command("import_register", str(path)))))
    rows.append(("second import (all unchanged)", *timed(lambda: run_command("import_register", str(path)))))
    base = rows[0][1]
    print(f"\n{'step':42} {'wall s':>8} {'cpu s':>8} {'x baseline':>11} {'profiles/s':>11}")
    for label, wall, cpu, result in rows:
        print(f"{label:42} {wall:8.2f} {cpu:8.2f} {wall / base:11.1f} {n / wall:11,.0f}")
        if isinstance(result, str):
            print(f"{'':42} -> {result}")


if __name__ == "__main__":
    main()
