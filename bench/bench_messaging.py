"""Live messaging figures on loopback: delivery latency from send to receive over real sockets.

    .venv/bin/python bench/bench_messaging.py [--sockets 1000] [--rate 200] [--seconds 10]

1. One uvicorn worker, in-memory channel layer: p50/p99 delivery at the given rate.
2. Two uvicorn workers, Redis pub/sub layer (our own redis-server on a free loopback port, db 9):
   the sender on worker 1, the receiver on worker 2; the same lower steps, then the headline rate,
   whose p99 is compared with step 1's from the same run.
3. Saturation on one worker: raise the rate until p99 > 50 ms or messages lag or go missing.

Each step is bounded in time; servers and Redis are started and stopped here, with a temporary
SQLite file (WAL). Figures, not a test: the client and the servers share the machine's two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from websockets.asyncio.client import connect

from tests.messaging import live

P99_LIMIT_MS = 50.0
STEP = [0]


class Socket:
    def __init__(self, ws, user_id: int):
        self.ws, self.user_id = ws, user_id


async def _open(port: int, conversation: int, person: dict, latencies: list, gate: asyncio.Semaphore):
    async with gate:
        ws = await connect(
            f"ws://127.0.0.1:{port}/ws/conversations/{conversation}/",
            origin=f"http://127.0.0.1:{port}",
            additional_headers={"Cookie": person["cookie"]},
            open_timeout=30,
            max_queue=None,
        )
    asyncio.get_running_loop().create_task(_read(ws, person["id"], latencies))
    return Socket(ws, person["id"])


async def _read(ws, user_id: int, latencies: list) -> None:
    try:
        async for raw in ws:
            event = json.loads(raw)
            if event.get("type") == "message" and event["message"]["sender_id"] != user_id:
                parts = event["message"]["body"].split()
                # Only this step's messages count: late ones from an overloaded step are not mixed in.
                if parts[0] == "bench" and int(parts[2]) == STEP[0]:
                    latencies.append((time.perf_counter_ns() - int(parts[1])) / 1e6)
    except Exception:  # noqa: BLE001 - a closed socket ends its reader
        return


async def _traffic(pairs: list[tuple[Socket, Socket]], rate: float, seconds: float, latencies: list) -> dict:
    latencies.clear()
    STEP[0] += 1
    total = int(rate * seconds)
    start = time.perf_counter()
    for k in range(total):
        delay = start + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sender, _ = pairs[k % len(pairs)] if k % 2 == 0 else pairs[k % len(pairs)][::-1]
        await sender.ws.send(json.dumps({"type": "send", "body": f"bench {time.perf_counter_ns()} {STEP[0]}"}))
    send_seconds = time.perf_counter() - start
    deadline = time.perf_counter() + 5
    while len(latencies) < total and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    return _summary(rate, total, send_seconds, latencies)


def _summary(rate: float, total: int, send_seconds: float, latencies: list) -> dict:
    received = sorted(latencies)

    def pct(p):
        return received[min(len(received) - 1, int(p * len(received)))] if received else float("nan")

    return {
        "target_rate": rate,
        "achieved_send_rate": round(total / send_seconds, 1),
        "sent": total,
        "received": len(received),
        "p50_ms": round(pct(0.50), 1),
        "p99_ms": round(pct(0.99), 1),
        "max_ms": round(received[-1], 1) if received else None,
        "mean_ms": round(statistics.fmean(received), 1) if received else None,
    }


async def _connect_pairs(seeded: list[dict], port_a: int, port_b: int, latencies: list):
    gate = asyncio.Semaphore(50)
    tasks = []
    for pair in seeded:
        tasks.append(_open(port_a, pair["conversation"], pair["a"], latencies, gate))
        tasks.append(_open(port_b, pair["conversation"], pair["b"], latencies, gate))
    sockets = await asyncio.gather(*tasks)
    return [(sockets[i], sockets[i + 1]) for i in range(0, len(sockets), 2)]


async def _close(pairs) -> None:
    await asyncio.gather(*(s.ws.close() for pair in pairs for s in pair), return_exceptions=True)


def _lagging(result: dict) -> bool:
    return (
        result["p99_ms"] > P99_LIMIT_MS
        or result["received"] < result["sent"]
        or result["achieved_send_rate"] < 0.95 * result["target_rate"]
    )


async def _drain(pairs, latencies: list, limit: float = 60) -> None:
    """Wait until a probe message comes back quickly: the server has caught up with any backlog."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        result = await _traffic(pairs[:1], 2, 1, latencies)
        if result["received"] == result["sent"] and result["p99_ms"] < P99_LIMIT_MS:
            return
        await asyncio.sleep(1)


async def _ramp(pairs, args, latencies: list) -> list[dict]:
    """Raise the rate until p99 passes 50 ms or messages lag; always include the headline rate."""
    steps, results = sorted(set(args.steps) | {args.rate}), []
    for rate in steps:
        result = await _traffic(pairs, rate, args.seconds, latencies)
        results.append(result)
        print(json.dumps({"step": result}), flush=True)
        if _lagging(result):
            if rate < args.rate:  # saturated below the headline rate: measure it anyway, after a drain
                await _drain(pairs, latencies)
                results.append(await _traffic(pairs, args.rate, args.seconds, latencies))
                print(json.dumps({"step": results[-1]}), flush=True)
            break
    return results


async def _one_worker(args, tmp: Path, name: str, settings_module: str, latencies: list) -> dict:
    env = live.server_env(tmp / f"{name}.sqlite3", DJANGO_SETTINGS_MODULE=settings_module, **_server_env(args))
    live.migrate(env)
    seeded = live.seed(env, args.sockets // 2)
    port = live.free_port()
    proc = live.start_uvicorn(port, env)
    try:
        t0 = time.perf_counter()
        pairs = await _connect_pairs(seeded, port, port, latencies)
        connect_seconds = round(time.perf_counter() - t0, 1)
        await _traffic(pairs, 20, 2, latencies)  # warm-up
        steps = await _ramp(pairs, args, latencies)
        await _close(pairs)
    finally:
        live.stop(proc)
    ok = [s for s in steps if not _lagging(s)]
    return {
        "settings": settings_module,
        "connect_seconds": connect_seconds,
        "at_headline_rate": next(s for s in reversed(steps) if s["target_rate"] == args.rate),
        "highest_rate_within_50ms_p99": ok[-1]["target_rate"] if ok else None,
        "steps": steps,
    }


async def _two_workers(args, tmp: Path, latencies: list) -> dict:
    redis_port = live.free_port()
    redis = live.start_redis(redis_port, tmp)
    procs = []
    try:
        env = live.server_env(
            tmp / "two.sqlite3", f"redis://127.0.0.1:{redis_port}/{args.redis_db}", **_server_env(args)
        )
        live.migrate(env)
        seeded = live.seed(env, args.sockets // 2)
        port_a, port_b = live.free_port(), live.free_port()
        procs = [live.start_uvicorn(port_a, env), live.start_uvicorn(port_b, env)]
        pairs = await _connect_pairs(seeded, port_a, port_b, latencies)
        await _traffic(pairs, 20, 2, latencies)
        # The same lower steps as one worker first, so both headline figures are measured alike (the
        # first message to each person also queues their unread-email check, a one-off cost).
        steps = []
        for rate in sorted({r for r in args.steps if r < args.rate} | {args.rate}):
            steps.append(await _traffic(pairs, rate, args.seconds, latencies))
            print(json.dumps({"two_workers_step": steps[-1]}), flush=True)
            if _lagging(steps[-1]) and rate < args.rate:
                await _drain(pairs, latencies)
        result = {**steps[-1], "steps": steps}
        print(json.dumps({"two_workers": steps[-1]}), flush=True)
        await _close(pairs)
        return result
    finally:
        for proc in procs:
            live.stop(proc)
        live.stop(redis)


def _server_env(args) -> dict[str, str]:
    return {"MESSAGING_RATE_PER_MINUTE": "100000", "DJANGO_DEBUG": "0"}


async def run(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-messaging-"))
    latencies: list[float] = []
    report: dict = {"sockets": args.sockets // 2 * 2, "rate": args.rate, "seconds_per_step": args.seconds}
    report["one_worker_channels_in_memory"] = await _one_worker(args, tmp, "stock", "marketplace.settings", latencies)
    report["one_worker_messaging_in_memory"] = await _one_worker(
        args, tmp, "swept", "tests.messaging.live_settings", latencies
    )
    report["two_workers_redis_pubsub"] = await _two_workers(args, tmp, latencies)
    one = report["one_worker_channels_in_memory"]["at_headline_rate"]["p99_ms"]
    two = report["two_workers_redis_pubsub"]["p99_ms"]
    report["p99_two_workers_redis_over_one_worker_stock"] = round(two / one, 2) if one else None
    print(json.dumps(report, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200, help="messages per second, one-to-one")
    parser.add_argument("--seconds", type=float, default=10, help="length of each measured step")
    parser.add_argument(
        "--steps", type=lambda s: [float(x) for x in s.split(",")], default=[50, 100, 150, 200, 300, 400]
    )
    parser.add_argument("--redis-db", type=int, default=9)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the servers are stopped in `finally`
    asyncio.run(asyncio.wait_for(run(args), timeout=900))


if __name__ == "__main__":
    main()
