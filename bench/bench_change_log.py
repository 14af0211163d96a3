"""The change log and the match index's start-up: build from the database, first search, catching up.

    .venv/bin/python bench/bench_change_log.py [--profiles 100000] [--runs 3]

Uses the same register as bench_search_api.py (a cached SQLite file under var/bench/, or DATABASE_URL).
Each measurement runs in a fresh process (as a newly started worker would), after the scoring kernels
are loaded from Numba's cache, and prints a baseline from the same process:

- build: the index from the database (wall and CPU seconds: CPU shows the cost when other processes
  share the cores), against reading the same rows alone (``values_list``);
- first search after start: the first ``match_rank`` after warm-up, against the median of the next 20;
- catch-up: ``get_index()`` after 1 change and after 10,000 changes, against ``get_index()`` with
  nothing new (the check every search pays: one indexed query).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_search_api import PYTHON, prepare_database, run_env  # noqa: E402

CHILD = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from matching import live, services
from profiles import changelog
from profiles.models import Profile

def ms(seconds): return round(seconds * 1000, 3)
out = {}
live.compile_kernels()

t = time.perf_counter(); rows = list(live.indexable().values_list(*live.FIELDS)); read = time.perf_counter() - t
del rows
t, c = time.perf_counter(), time.process_time(); index = live.get_index(); build, build_cpu = time.perf_counter() - t, time.process_time() - c
out["build_s"], out["build_cpu_s"], out["read_rows_s"], out["listings"] = round(build, 3), round(build_cpu, 3), round(read, 3), len(index)

seeker = Profile.objects.filter(role="seeker").exclude(user=None).select_related("user").first()
t = time.perf_counter(); services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user); first = time.perf_counter() - t
later = []
for _ in range(20):
    t = time.perf_counter(); services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user); later.append(time.perf_counter() - t)
out["first_search_ms"], out["later_search_median_ms"] = ms(first), ms(statistics.median(later))

ids = list(live.indexable().values_list("id", flat=True)[:10000])
empty, one = [], []
for i in range(50):
    t = time.perf_counter(); live.get_index(); empty.append(time.perf_counter() - t)
    changelog.record_profiles([ids[i]])
    t = time.perf_counter(); live.get_index(); one.append(time.perf_counter() - t)
q = lambda xs, p: sorted(xs)[int(p * (len(xs) - 1))]
out["check_nothing_new_ms"] = {"p50": ms(q(empty, .5)), "p95": ms(q(empty, .95))}
out["catch_up_1_change_ms"] = {"p50": ms(q(one, .5)), "p95": ms(q(one, .95))}
changelog.record_profiles(ids)
t, c = time.perf_counter(), time.process_time(); live.get_index(); many, many_cpu = time.perf_counter() - t, time.process_time() - c
out["catch_up_10000_changes_ms"], out["catch_up_10000_cpu_ms"], out["changes"] = ms(many), ms(many_cpu), len(ids)
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = prepare_database(args.profiles)
    env = run_env(url)
    results = []
    for run in range(args.runs):
        done = subprocess.run([PYTHON, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
        if done.returncode:
            sys.exit(done.stderr[-3000:])
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"run {run + 1}: {json.dumps(result)}", flush=True)
    print("\nsummary (median of runs):")
    for key in (
        "build_s",
        "build_cpu_s",
        "read_rows_s",
        "first_search_ms",
        "later_search_median_ms",
        "catch_up_10000_changes_ms",
        "catch_up_10000_cpu_ms",
    ):
        print(f"  {key}: {statistics.median(r[key] for r in results)}")
    for key in ("check_nothing_new_ms", "catch_up_1_change_ms"):
        print(
            f"  {key}: p50 {statistics.median(r[key]['p50'] for r in results)}, p95 {statistics.median(r[key]['p95'] for r in results)}"
        )
    build = statistics.median(r["build_s"] for r in results)
    print(f"  build / reading the rows alone: {build / statistics.median(r['read_rows_s'] for r in results):.1f}x")


if __name__ == "__main__":
    main()
