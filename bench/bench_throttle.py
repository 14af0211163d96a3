"""Throttle benchmark: prints figures (not a test). Run: .venv/bin/python bench/bench_throttle.py

Does one address flooding the API get 429s with Retry-After, while everyone else is served as before?

1. A register of --profiles people (default 10,000) from bench_search_api.prepare_database (a SQLite file
   cached under var/bench/, or the database DATABASE_URL names).
2. Our own redis-server on a free loopback port as the cache (REDIS_URL), so the two workers share the
   throttle counters as in production (--no-redis: one worker, the in-memory cache).
3. uvicorn (bench_search_api.start_server) with DJANGO_TRUSTED_PROXY_COUNT=1 and uvicorn's own proxy-header
   handling off (UVICORN_PROXY_HEADERS=false), so the app's client-IP helper reads X-Forwarded-For: every
   client is on loopback, and each says who it is with a distinct X-Forwarded-For, as one trusted proxy
   would write it. The throttle rates are the project's defaults (DJANGO_THROTTLE_* in the environment
   override them, as in production).
4. Three phases of --seconds each, open loop (latency from when each request was due, so a stalled
   server cannot hide its queue):
   - baseline: "other people" (anything but a 200 counts as an error for them), --others requests/s spread over 20 addresses (each well under its own
     limit), GET --page (default /accessibility/, the template page bench_search_api uses as its baseline;
     --page /api/v1/register/ to have them search the register too);
   - flood: the same, while one anonymous address sends --flood-rate (default 100) requests/s to
     /api/v1/register/; counts its 200s, 429s and how many 429s carried Retry-After;
   - baseline again, after the flood (the machine is shared, so a before and an after).
   wrk, when installed, cannot send at a fixed rate, so both clients are the asyncio open-loop client
   (bench_search_api's connection class, with headers added).
The servers are stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_search_api import Conn, free_port, line, prepare_database, run_env, start_server, stop_server, summarise

from tests.messaging import live

FLOOD_PATH = "/api/v1/register/"
FLOODER = "203.0.113.1"


class HeaderConn(Conn):
    """bench_search_api's keep-alive connection, sending extra headers and returning Retry-After too."""

    async def send(self, path: str, headers: dict[str, str]) -> tuple[int, str | None]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{extra}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        fields = {}
        for raw in head.split(b"\r\n")[1:]:
            name, _, value = raw.partition(b":")
            fields[name.strip().lower().decode()] = value.strip().decode()
        if "content-length" not in fields:
            raise RuntimeError("the server answered without a Content-Length")
        await self.reader.readexactly(int(fields["content-length"]))
        return status, fields.get("retry-after")


async def open_loop(
    port: int, path: str, addresses: list[str], rate: float, seconds: float, max_conns: int = 64
) -> dict:
    """Request i is due at i / rate, from addresses[i % len]; latency counts from when it was due."""
    idle: list[HeaderConn] = []
    opened, latencies, errors = 0, [], 0
    timeline: list[tuple[float, float]] = []  # (when due, from the start; latency)
    statuses: dict[int, int] = {}
    with_retry_after = 0
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(i: int, due: float):
        nonlocal opened, errors, with_retry_after
        conn = idle.pop() if idle else None
        if conn is None:
            if opened >= max_conns:
                errors += 1  # the client ran out of connections: a failure, not a wait
                return
            opened += 1
            conn = HeaderConn(port)
        try:
            status, retry_after = await conn.send(path, {"X-Forwarded-For": addresses[i % len(addresses)]})
            latencies.append(loop.time() - due)
            timeline.append((due - start, latencies[-1]))
            statuses[status] = statuses.get(status, 0) + 1
            with_retry_after += status == 429 and bool(retry_after) and retry_after.isdigit()
            errors += status not in (200, 429)
            idle.append(conn)
        except (OSError, asyncio.IncompleteReadError, RuntimeError):
            errors += 1
            conn.close()

    tasks, total = [], int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 30)
    for conn in idle:
        conn.close()
    figures = summarise(latencies, errors, total, loop.time() - start)
    figures.update(statuses=statuses, with_retry_after=with_retry_after, timeline=timeline)
    return figures


def p95_from(figures: dict, after: float) -> float:
    """p95 of the requests due ``after`` seconds or more into the phase."""
    late = sorted(latency for due, latency in figures["timeline"] if due >= after)
    return late[min(len(late) - 1, int(0.95 * len(late)))] * 1e3 if late else float("nan")


def served(figures: dict) -> dict:
    """For the other people anything but a 200 is a failure, a 429 included."""
    return {**figures, "errors": figures["total"] - figures["statuses"].get(200, 0)}


def people(phase: int) -> list[str]:
    """20 addresses for the other people, new ones each phase so no one nears their own limit."""
    return [f"198.51.{100 + phase}.{n}" for n in range(1, 21)]


async def flood_phase(port: int, args) -> tuple[dict, dict]:
    others = asyncio.create_task(open_loop(port, args.page, people(1), args.others, args.seconds))
    flood = asyncio.create_task(open_loop(port, FLOOD_PATH, [FLOODER], args.flood_rate, args.seconds, max_conns=128))
    return await others, await flood


def warm(port: int, page: str) -> None:
    async def go():
        for i in range(20):
            status, _ = await HeaderConn(port).send(page, {"X-Forwarded-For": f"192.0.2.{i + 1}"})
            if status != 200:
                sys.exit(f"{page} answered {status} during warm-up")

    asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--flood-rate", type=float, default=100)
    parser.add_argument("--others", type=float, default=10, help="the other people's requests a second, all together")
    parser.add_argument(
        "--page",
        default="/accessibility/",
        help="what the other people fetch (a template page; /api/v1/register/ for the register API)",
    )
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()

    db_url = prepare_database(args.profiles)
    env = run_env(db_url)
    env.update(DJANGO_TRUSTED_PROXY_COUNT="1", UVICORN_PROXY_HEADERS="false")
    tmp = Path(tempfile.mkdtemp(prefix="bench_throttle_"))
    redis = None
    try:
        if not args.no_redis:
            redis_port = free_port()
            redis = live.start_redis(redis_port, tmp)
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        workers = 1 if args.no_redis else 2
        port = free_port()
        server = start_server(env, port, workers)
        try:
            cache = "Redis (shared by the workers)" if redis else "in-memory (one worker)"
            print(
                f"{args.profiles:,}-profile register; uvicorn --workers {workers} on 127.0.0.1:{port}; cache: {cache}",
                flush=True,
            )
            print(
                f"limits: anonymous API {os.environ.get('DJANGO_THROTTLE_ANON', '60/min,15/10s (the default)')} per address",
                flush=True,
            )
            warm(port, args.page)
            print(
                f"open loop, {args.seconds:g} s a phase; other people: GET {args.page} at {args.others:g}/s over 20 addresses",
                flush=True,
            )
            before = served(asyncio.run(open_loop(port, args.page, people(0), args.others, args.seconds)))
            print("  " + line("baseline: other people, no flood", before), flush=True)
            during, flood = asyncio.run(flood_phase(port, args))
            during = served(during)
            print("  " + line("other people, during the flood", during), flush=True)
            marks = [t for t in (2, 5, 10) if t < args.seconds]
            print(
                "    their p95 counting only requests due from "
                + ", ".join(f"{t:g} s: {p95_from(during, t):.1f} ms" for t in marks)
                + " (the flood's first 15 are allowed in its first 0.15 s)",
                flush=True,
            )
            after = served(asyncio.run(open_loop(port, args.page, people(2), args.others, args.seconds)))
            print("  " + line("baseline again, after the flood", after), flush=True)
            refused = flood["statuses"].get(429, 0)
            print(
                f"flood: one address, GET {FLOOD_PATH} at {args.flood_rate:g}/s for {args.seconds:g} s: "
                f"{flood['total']} due, {flood['statuses'].get(200, 0)} answered 200, {refused} answered 429 "
                f"({flood['with_retry_after']} of them with Retry-After), {flood['errors']} other/failed; "
                f"its answers p50 {flood['p50']:.1f} ms, p95 {flood['p95']:.1f} ms",
                flush=True,
            )
            verdict = "met" if during["p95"] <= 50 else "NOT met"
            print(
                f"Target: other people's p95 <= 50 ms during the flood: {during['p95']:.1f} ms ({verdict}); "
                f"baselines the same run: {before['p95']:.1f} ms before, {after['p95']:.1f} ms after."
            )
        finally:
            stop_server(server)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; client, server and Redis share it.")
    print(f"Finished {time.strftime('%Y-%m-%d %H:%M')}.")


if __name__ == "__main__":
    main()
