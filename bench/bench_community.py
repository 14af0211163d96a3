"""Community resource search at 50,000 resources, on one worker, against a same-run baseline.

    .venv/bin/python bench/bench_community.py [--resources 50000] [--requests 400] [--runs 3]

Builds (once, cached under var/bench/) a SQLite database of synthetic published resources spread over
every UK postcode district, with topics, costs, days and accessibility features, plus the project's
demo-free schema. Then, in this one process (one worker: Django's full middleware stack through the test
client, no network), times requests that each ask a different search, alternating with a baseline
template page (``/accessibility/``) so every ratio compares like with like on a busy machine:

- ``GET /api/v1/community/resources/`` with filters (postcode + distance, topic, cost, day, accessibility);
- ``GET /community/`` with the same filters (the HTML list with its server-drawn map);
- ``community.selectors.search`` alone (the SQL and distance work, no request handling).

Prints p50/p95/max wall-clock ms for each, the ratio of p95 to the baseline's p95, and this process's CPU
time per request (on a machine shared with other work, wall time includes waiting for a core).
Set DATABASE_URL to run on PostgreSQL instead (the bench then fills that database if it is empty).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTCODES = ("BB1", "M1", "LS1", "HX1", "B1", "NE1", "CF10", "G1", "BS1", "NG1", "S1", "OL1", "SW1A", "E1", "L1")
FILTERS = (
    "within_km=16",
    "within_km=8&topic=walking",
    "within_km=32&cost=free&cost=pwyc",
    "within_km=16&day=sat",
    "within_km=16&accessibility=step_free&accessibility=hearing_loop",
    "within_km=80&topic=gardening&day=tue",
    "within_km=3",
    "within_km=16&cost=price&topic=music",
)
TOPICS = ("walking", "gardening", "music", "cooking", "art", "reading", "football", "cycling", "befriending", "advice")


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    for name in ("DJANGO_THROTTLE_ANON", "DJANGO_THROTTLE_USER", "DJANGO_THROTTLE_SEARCH_PAGES"):
        os.environ[name] = "100000000/min"
    import django

    django.setup()


def fill(count: int, seed: int = 1) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from community.models import ACCESS_BITS, DAY_BITS, ResourceOrganisation, Schedule, Service, Taxonomy
    from profiles import locality
    from profiles import vocabulary as vocab

    call_command("migrate", verbosity=0)
    if Service.objects.exists():
        return
    rng = random.Random(seed)
    districts = list(locality.known_outcodes().items())
    now = timezone.now()
    terms = [Taxonomy.objects.create(code=code, label=vocab.label(vocab.INTERESTS, code)) for code in TOPICS]
    orgs = ResourceOrganisation.objects.bulk_create(
        ResourceOrganisation(name=f"Community group {n}", description="A local group.") for n in range(count // 10)
    )
    batch = 5000
    for start in range(0, count, batch):
        services = []
        for n in range(start, min(count, start + batch)):
            online = rng.random() < 0.05
            code, (lat, lon) = rng.choice(districts)
            cost = rng.choice(["free", "free", "pwyc", "price"])
            days = rng.sample(vocab.DAYS, rng.randint(1, 2))
            services.append(
                Service(
                    organisation=orgs[n % len(orgs)],
                    name=f"Resource {n}",
                    description="A synthetic community resource for the benchmark.",
                    cost=cost,
                    price_pence=rng.randint(100, 800) if cost == "price" else None,
                    access_mask=sum(bit for bit in ACCESS_BITS.values() if rng.random() < 0.3),
                    online=online,
                    outcode="" if online else code,
                    latitude=None if online else lat + rng.uniform(-0.01, 0.01),
                    longitude=None if online else lon + rng.uniform(-0.01, 0.01),
                    days_mask=sum(DAY_BITS[d] for d in days),
                    status="published",
                    published_at=now,
                    last_checked_at=now,
                )
            )
        services = Service.objects.bulk_create(services)
        Through = Service.topics.through
        Through.objects.bulk_create(
            Through(service_id=s.pk, taxonomy_id=t.pk) for s in services for t in rng.sample(terms, rng.randint(1, 2))
        )
        Schedule.objects.bulk_create(
            Schedule(service_id=s.pk, day=d, frequency="WEEKLY")
            for s in services
            for d in vocab.DAYS
            if s.days_mask & DAY_BITS[d]
        )


def prepare(count: int) -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    cached = ROOT / "var" / "bench" / f"community_{count}.sqlite3"
    work = Path(tempfile.mkdtemp(prefix="bench_community_")) / "db.sqlite3"
    if cached.exists():
        shutil.copyfile(cached, work)
    return f"sqlite:///{work}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, times: list[float], base_p95: float | None = None) -> str:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    text = f"{name:<44} p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  max {max(times) * 1000:6.1f} ms"
    if base_p95:
        text += f"  p95 = {p95 / base_p95:4.1f} x baseline"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    own_file = not os.environ.get("DATABASE_URL")
    url = prepare(args.resources)
    setup_django(url)
    t0 = time.perf_counter()
    fill(args.resources)
    filled = time.perf_counter() - t0
    if own_file:
        cached = ROOT / "var" / "bench" / f"community_{args.resources}.sqlite3"
        if not cached.exists():
            from django.db import connection as db

            cached.parent.mkdir(parents=True, exist_ok=True)
            with db.cursor() as cursor:  # a consistent copy, whatever is still in the write-ahead log
                cursor.execute("VACUUM INTO %s", [str(cached)])
            print(f"built {args.resources:,} resources in {filled:.0f} s (cached in {cached})")

    from django.db import connection
    from django.test import Client

    from community import selectors
    from community.forms import ResourceSearchForm
    from community.models import Service

    client = Client()
    searches = [f"postcode={pc}&{f}" for pc, f in itertools.product(POSTCODES, FILTERS)]
    rng = random.Random(2)

    cpu: dict[str, list[float]] = {}

    def timed(fn, kind: str = "") -> float:
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.setdefault(kind, []).append(time.process_time() - start_cpu)
        return time.perf_counter() - start

    def get(path: str):
        def go():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return go

    def selector(query_string: str):
        from django.http import QueryDict

        form = ResourceSearchForm(QueryDict(query_string))
        assert form.is_valid(), form.errors
        query = form.to_query()
        return lambda: selectors.search(query)

    for q in searches[:20]:  # warm every path once
        get("/api/v1/community/resources/?" + q)()
        get("/community/?" + q)()
    get("/accessibility/")()

    print(
        f"{Service.objects.count():,} published resources, {connection.vendor}, one process (one worker), "
        f"{args.requests} requests per kind per run, each a different search"
    )
    for run in range(1, args.runs + 1):
        order = searches * (args.requests // len(searches) + 1)
        rng.shuffle(order)
        order = order[: args.requests]
        results: dict[str, list[float]] = {"baseline": [], "api": [], "page": [], "selector": []}
        cpu.clear()
        for q in order:  # interleaved, so each kind sees the same machine
            results["baseline"].append(timed(get("/accessibility/"), "baseline"))
            results["api"].append(timed(get("/api/v1/community/resources/?" + q), "api"))
            results["page"].append(timed(get("/community/?" + q), "page"))
            results["selector"].append(timed(selector(q), "selector"))
        base = percentile(results["baseline"], 95)
        print(f"run {run}:")
        print("  " + line("baseline GET /accessibility/ (template page)", results["baseline"]))
        print("  " + line("GET /api/v1/community/resources/ (filters)", results["api"], base))
        print("  " + line("GET /community/ (filters, list and map)", results["page"], base))
        print("  " + line("selectors.search alone", results["selector"], base))
        print(
            "  CPU time of this process per request (what a busy machine's queueing does not inflate): "
            + ", ".join(
                f"{kind} p50 {percentile(v, 50) * 1000:.1f} / p95 {percentile(v, 95) * 1000:.1f} ms"
                for kind, v in cpu.items()
            )
        )
    print("Target: p95 <= 50 ms for resource search at 50,000 resources on one worker.")
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}.")


if __name__ == "__main__":
    main()
