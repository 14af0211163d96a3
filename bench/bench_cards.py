"""The card grid: server time for a page of 20 person cards at 100,000 listings, on one worker.

    .venv/bin/python bench/bench_cards.py [--profiles 100000] [--requests 300]

The same register as the other benches (``bench_search_api.prepare_database``: a cached SQLite file from
``seed_demo``, copied for the run), with the drawn demo pictures added to the copy
(``seed_demo.give_demo_pictures``), so most cards carry a photo as in the demo. Then, in one fresh
process (one worker), through Django's full middleware stack with the test client, it times request by
request, alternating:

- baseline: ``GET /accessibility/`` (a template page with no search), as a signed-in seeker;
- ``GET /register/`` with filters (20 cards, every request a different search), anonymous;
- ``GET /matches/`` (20 ranked cards with reasons, chips, shortlist buttons), as demo seekers, each request
  with a different "what matters most" choice.

Prints p50/p95 per kind and the ratio to the baseline. Target: p95 <= 60 ms for 20 cards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

POSTCODES = ("BB1", "M1", "LS1", "L1", "B1", "NE1", "CF10", "G1", "BS1", "NG1", "S1", "OL1")
FILTERS = ("within_km=16", "within_km=8&skills=personal_care", "within_km=40&language=pl", "within_km=16&day=sat")
MATTERS = ("", "matters=nearby", "matters=interests", "matters=times&matters=price", "matters=ratings", "role=pa")


def inner(requests: int) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from marketplace.management.commands.seed_demo import give_demo_pictures
    from matching import live
    from profiles.models import Profile

    setup_test_environment()  # the test client's host and template hooks; no test database
    t0 = time.perf_counter()
    added = give_demo_pictures()
    print(f"demo pictures added to this copy: {added:,} ({time.perf_counter() - t0:.1f} s)")
    live.get_index()
    seekers = list(Profile.objects.filter(role="seeker", user__isnull=False).select_related("user").order_by("pk")[:20])
    anonymous, signed_in = Client(), Client()
    paths = {
        "baseline GET /accessibility/": lambda i: (signed_in, "/accessibility/"),
        "GET /register/ (filters, 20 cards)": lambda i: (
            anonymous,
            f"/register/?postcode={POSTCODES[i % len(POSTCODES)]}&{FILTERS[i // len(POSTCODES) % len(FILTERS)]}",
        ),
        "GET /matches/ (20 ranked cards)": lambda i: (signed_in, f"/matches/?{MATTERS[i % len(MATTERS)]}"),
    }
    times: dict[str, list[float]] = {name: [] for name in paths}
    for i in range(requests + 20):
        seeker = seekers[i % len(seekers)]
        signed_in.force_login(seeker.user, backend="django.contrib.auth.backends.ModelBackend")
        for name, make in paths.items():
            client, path = make(i)
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            if i >= 20:  # the first 20 of each warm caches (templates, compiled kernels)
                times[name].append(elapsed)
    base = statistics.quantiles(times["baseline GET /accessibility/"], n=20)[18]
    for name, values in times.items():
        p95 = statistics.quantiles(values, n=20)[18]
        print(
            f"  {name:40s} p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  ({p95 / base:.1f}x baseline p95)"
        )
    print("Target: p95 <= 60 ms for a page of 20 cards, one worker.")
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.requests)
        return
    import bench_search_api as api

    env = api.run_env(api.prepare_database(args.profiles))
    env.update(
        DJANGO_THROTTLE_SEARCH_PAGES="100000000/min",
        DJANGO_MEDIA_ROOT=tempfile.mkdtemp(prefix="bench_cards_media_"),
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
    )
    print(f"{args.profiles:,}-profile register, one process, {args.requests} requests of each kind")
    subprocess.run(
        [sys.executable, __file__, "--inner", "--requests", str(args.requests)], cwd=ROOT, env=env, check=True
    )


if __name__ == "__main__":
    main()
