"""The public register at a fixed rate: ``/register/`` and ``/api/v1/register/`` with filters.

    .venv/bin/python bench/bench_register.py [--profiles 100000] [--rate 100] [--seconds 15] [--runs 3]

The same register and servers as bench_search_api.py (``uvicorn --workers 2``, each warmed by the ASGI
lifespan before it listens). Anonymous clients, open loop at ``--rate`` requests/s, latency from when each
request was due, every request a different search (postcode, distance, skills, language, day, rate,
sort). The baseline is a template page through the same server in the same run. Runs alternate
baseline, page, API ``--runs`` times. The throttles are raised for the run (one client IP sends all of
it); ``bench_throttle.py`` measures them.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_search_api as api

POSTCODES = ("BB1", "M1", "LS1", "L1", "B1", "NE1", "CF10", "G1", "BS1", "NG1", "S1", "OL1")
FILTERS = (
    "within_km=16",
    "within_km=8&skills=personal_care",
    "within_km=40&language=pl",
    "within_km=16&day=sat",
    "within_km=16&max_rate=15&sort=rate",
    "sort=newest",
    "within_km=16&role=peer_advisor",
    "within_km=40&interest=walking",
)
PAGE, API = "/register/", "/api/v1/register/"


def searches(base: str) -> list[str]:
    return [f"{base}?postcode={pc}&{f}" for pc, f in itertools.product(POSTCODES, FILTERS)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = api.run_env(api.prepare_database(args.profiles))
    env.update(
        DJANGO_THROTTLE_ANON="100000/min", DJANGO_THROTTLE_USER="100000/min", DJANGO_THROTTLE_SEARCH_PAGES="100000/min"
    )
    paths = {PAGE: searches(PAGE), API: searches(API)}
    api.vary = lambda path, i: paths[path][i % len(paths[path])] if path in paths else path
    port = api.free_port()
    server = api.start_server(env, port, args.workers)
    try:
        for path in (api.BASELINE, PAGE, API):  # every worker has answered each kind once
            asyncio.run(api.fixed_rate(port, path, [], 20, 1))
        print(
            f"{args.profiles:,}-profile register, uvicorn --workers {args.workers}, {args.rate:g} req/s for {args.seconds} s each"
        )
        for run in range(1, args.runs + 1):
            print(f"run {run}:")
            for name, path in (
                ("baseline GET " + api.BASELINE, api.BASELINE),
                ("GET /register/ (filters)", PAGE),
                ("GET /api/v1/register/ (filters)", API),
            ):
                f = asyncio.run(api.fixed_rate(port, path, [], args.rate, args.seconds))
                print("  " + api.line(name, f) + f" of {f['total']}", flush=True)
    finally:
        api.stop_server(server)
    print("Target: p95 <= 50 ms at 100 req/s on 2 workers for both register paths.")
    print(
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; client and server share the machine."
    )


if __name__ == "__main__":
    main()
