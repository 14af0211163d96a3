"""Hand-written infrastructure against stock, alternating in one run: prints figures (not a test).

    .venv/bin/python bench/bench_infrastructure.py [--profiles 10000] [--rounds 2] [--seconds 10]
        [--only search|messaging] [--search-variants a,b] [--messaging-variants a,b]

Each variant is a fresh server of the same application with one piece swapped for the stock one
(bench/infra_settings.py and bench/infra_asgi.py hold the switches); the variants run in turn, round
after round (A B C A B C), so a busy shared machine weighs on all of them alike. Ratios are to the
"project" variant of the same round.

Search API (bench_search_api.py's workload): a --profiles register in a SQLite file of its own under
var/bench/, ``uvicorn --workers 2``, 50 seekers' tokens; per variant, after warm-up: maximum throughput of
GET /api/v1/matches/?top=20 (asyncio closed loop, 16 connections) and p50/p95 at a fixed --rate.

Messaging (bench_messaging.py's workload): one uvicorn worker, in-memory channel layer, --sockets open
conversation sockets; delivery latency from send to receive at each of --message-rates. Then two workers
over Redis (a redis-server of its own), for the message limit's Redis pipeline against get-then-set.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import bench_messaging as msg  # noqa: E402
import bench_search_api as api  # noqa: E402

from tests.messaging import live  # noqa: E402

APP = "bench.infra_asgi:application"
SETTINGS = "bench.infra_settings"

# name -> environment switches (see infra_settings.py and infra_asgi.py). The SQLite pool was measured
# here too (commit dd1a382) and removed: docs/decisions/sqlite-connection-pool.md.
SEARCH_VARIANTS = {
    "project": {},
    "stock-handler": {"BENCH_HANDLER": "stock"},
    "drf-throttles": {"BENCH_THROTTLE": "drf"},
}
MESSAGING_VARIANTS = {
    "project": {},
    "stock-layer": {"BENCH_LAYER": "stock"},
    "stock-dispatch": {"BENCH_DISPATCH": "stock"},
}
# Two workers over Redis (pub/sub layer, Redis cache): the message limit's one pipeline against get-then-set.
REDIS_VARIANTS = {
    "project": {},
    "cache-message-limit": {"BENCH_MESSAGE_LIMIT": "cache"},
}


def start(env: dict, port: int, workers: int, ws: bool = False) -> subprocess.Popen:
    args = [sys.executable, "-m", "uvicorn", APP, "--host", "127.0.0.1", "--port", str(port)]
    args += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    if ws:
        args += ["--ws", "websockets-sansio", "--lifespan", "off"]
    log = open(Path(tempfile.gettempdir()) / f"bench_infra_{port}.log", "w")  # noqa: SIM115 - the server keeps it
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    try:
        live.wait_for_port(port, 120)
    except TimeoutError:
        api.stop_server(server)
        sys.exit(f"uvicorn did not start; see {log.name}")
    return server


# --- search API -------------------------------------------------------------------------------------------


def search_database(profiles: int) -> str:
    cached = ROOT / "var" / "bench" / f"infra_{profiles}.sqlite3"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        env = api.run_env(f"sqlite:///{partial}")
        api.manage(env, "migrate", "--noinput")
        api.manage(env, "seed_demo", "--profiles", str(profiles), "--seed", "1", timeout=1800)
        partial.rename(cached)
    work = Path(tempfile.mkdtemp(prefix="bench_infra_")) / "db.sqlite3"
    shutil.copyfile(cached, work)
    api.manage(api.run_env(f"sqlite:///{work}"), "migrate", "--noinput")
    return f"sqlite:///{work}"


def search_run(base_env: dict, switches: dict, tokens: list[str], args) -> dict:
    env = {**base_env, **switches, "DJANGO_SETTINGS_MODULE": SETTINGS}
    port = api.free_port()
    server = start(env, port, args.workers)
    try:
        api.warm(port, tokens)
        top = asyncio.run(api.closed_loop(port, api.MATCHES, tokens, args.connections, args.seconds))
        fixed = asyncio.run(api.fixed_rate(port, api.MATCHES, tokens, args.rate, args.seconds))
    finally:
        api.stop_server(server)
    return {
        "rps": top["rps"],
        "max_p50": top["p50"],
        "p50": fixed["p50"],
        "p95": fixed["p95"],
        "errors": top["errors"] + fixed["errors"],
    }


def search(args) -> dict:
    db_url = search_database(args.profiles)
    base_env = api.run_env(db_url)
    tokens = json.loads(api.manage(base_env, "shell", "-c", api.TOKENS_SCRIPT).split("TOKENS=", 1)[1])
    random.Random(1).shuffle(tokens)
    names = args.search_variants or list(SEARCH_VARIANTS)
    print(
        f"search API: {args.profiles:,}-profile register, {len(tokens)} tokens, uvicorn --workers {args.workers}; "
        f"closed loop {args.connections} connections {args.seconds} s, then {args.rate:g} req/s open loop",
        flush=True,
    )
    results: dict[str, list[dict]] = {name: [] for name in names}
    for rnd in range(1, args.rounds + 1):
        for name in names:
            f = search_run(base_env, SEARCH_VARIANTS[name], tokens, args)
            results[name].append(f)
            ratio = f["rps"] / results["project"][-1]["rps"] if results.get("project") else 1
            print(
                f"  round {rnd} {name:<22} {f['rps']:6.0f} req/s (x{ratio:.2f} of project) | at {args.rate:g}/s: "
                f"p50 {f['p50']:6.1f} ms p95 {f['p95']:6.1f} ms | errors {f['errors']}",
                flush=True,
            )
    return results


# --- messaging --------------------------------------------------------------------------------------------


async def messaging_run(env: dict, seeded: list[dict], args, workers: int = 1) -> list[dict]:
    ports = [live.free_port() for _ in range(workers)]
    servers = [start(env, port, 1, ws=True) for port in ports]
    latencies: list[float] = []
    try:
        pairs = await msg._connect_pairs(seeded, ports[0], ports[-1], latencies)
        await msg._traffic(pairs, 20, 2, latencies)  # warm-up
        steps = []
        for rate in args.message_rates:
            steps.append(await msg._traffic(pairs, rate, args.seconds, latencies))
            if msg._lagging(steps[-1]):
                await msg._drain(pairs, latencies)
        await msg._close(pairs)
    finally:
        for server in servers:
            api.stop_server(server)
    return steps


def messaging(args, redis: bool = False) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench_infra_msg_"))
    redis_server, redis_url = None, ""
    if redis:
        redis_port = live.free_port()
        redis_server = live.start_redis(redis_port, tmp)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
    base = live.server_env(
        tmp / "db.sqlite3",
        redis_url,
        MESSAGING_RATE_PER_MINUTE="100000",
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE=SETTINGS,
    )
    live.migrate(base)
    seeded = live.seed(base, args.sockets // 2)
    variants = REDIS_VARIANTS if redis else MESSAGING_VARIANTS
    names = (args.redis_variants if redis else args.messaging_variants) or list(variants)
    print(
        f"messaging: {'two uvicorn workers over Redis (sender on one, receiver on the other)' if redis else 'one uvicorn worker, in-memory layer'}, "
        f"{len(seeded) * 2} sockets, "
        f"{args.seconds} s at each of {', '.join(f'{r:g}' for r in args.message_rates)} messages/s",
        flush=True,
    )
    results: dict[str, list[list[dict]]] = {name: [] for name in names}
    for rnd in range(1, args.rounds + 1):
        for name in names:
            steps = asyncio.run(messaging_run({**base, **variants[name]}, seeded, args, 2 if redis else 1))
            results[name].append(steps)
            cells = " | ".join(
                f"{s['target_rate']:g}/s: p50 {s['p50_ms']:5.1f} p99 {s['p99_ms']:6.1f} ms {s['received']}/{s['sent']}"
                for s in steps
            )
            print(f"  round {rnd} {name:<16} {cells}", flush=True)
    live.stop(redis_server)
    shutil.rmtree(tmp, ignore_errors=True)
    return results


def summary(search_results: dict | None, messaging_results: dict | None, redis_results: dict | None = None) -> None:
    print("summary (median over rounds; ratio = variant / project):")
    if search_results:
        base = statistics.median(f["rps"] for f in search_results.get("project", [{"rps": float("nan")}]))
        for name, runs in search_results.items():
            rps = statistics.median(f["rps"] for f in runs)
            p95 = statistics.median(f["p95"] for f in runs)
            print(f"  search {name:<22} {rps:6.0f} req/s  x{rps / base:.2f}   p95 {p95:6.1f} ms")
    for label, results in (("messaging", messaging_results), ("redis", redis_results)):
        for name, runs in (results or {}).items():
            cells = []
            for i, rate in enumerate(runs[0][j]["target_rate"] for j in range(len(runs[0]))):
                p99 = statistics.median(r[i]["p99_ms"] for r in runs)
                lost = sum(r[i]["sent"] - r[i]["received"] for r in runs)
                cells.append(f"{rate:g}/s p99 {p99:6.1f} ms (missing {lost})")
            print(f"  {label} {name:<20} " + " | ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=150, help="search requests a second for p50/p95")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--message-rates", type=lambda s: [float(x) for x in s.split(",")], default=[200.0, 400.0])
    parser.add_argument("--only", choices=("search", "messaging", "redis"))
    parser.add_argument("--search-variants", type=lambda s: s.split(","))
    parser.add_argument("--messaging-variants", type=lambda s: s.split(","))
    parser.add_argument("--redis-variants", type=lambda s: s.split(","))
    args = parser.parse_args()
    t0 = time.perf_counter()
    searched = search(args) if args.only in (None, "search") else None
    messaged = messaging(args) if args.only in (None, "messaging") else None
    redised = messaging(args, redis=True) if args.only in (None, "redis") else None
    summary(searched, messaged, redised)
    print(
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; client and servers share it. "
        f"{time.perf_counter() - t0:.0f} s, finished {time.strftime('%Y-%m-%d %H:%M')}."
    )


if __name__ == "__main__":
    main()
