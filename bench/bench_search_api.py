"""Search API load benchmark: prints figures (not a test). Run: .venv/bin/python bench/bench_search_api.py

What it does, bounded in time and on loopback only:
1. A register of --profiles people (default 100,000) from ``manage.py seed_demo --profiles N --seed 1``
   in a SQLite file cached under var/bench/ (reused when present; ~2-5 min to make), or in the
   database DATABASE_URL names when that is set (never point it at a shared database).
2. DRF tokens for up to 50 demo seekers with accounts (the demo register may have only one), and
   requests that rotate through VARIANTS (weights and roles), so neighbouring queries differ.
3. ``uvicorn marketplace.asgi:application --workers 2`` on a free 127.0.0.1 port, DJANGO_DEBUG=0.
4. Warm-up until every worker has built its index (the first query in each process builds it).
5. Figures, each with a same-run baseline (GET /accessibility/, a template page with no queries
   beyond the session, through the same middleware and the same server):
   - maximum throughput for --seconds with ``wrk`` (``apt-get install -y wrk``) or, without wrk,
     the closed-loop asyncio client below;
   - latency p50/p95/p99 at a fixed --rate requests/s from an open-loop asyncio client (latency is
     measured from when each request was due, so a stalled server cannot hide its queue).
   GET /api/v1/matches/?top=20 is the measured request: ranking plus 20 serialised result cards.
The server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MATCHES = "/api/v1/matches/?top=20"
# Each request varies what matters or whom it asks for, so no two neighbours repeat a query.
VARIANTS = (
    "",
    "&weights=locality:2",
    "&role=pa",
    "&weights=price:0,skills:3",
    "&role=peer_advisor&role=broker",
    "&weights=lived_experience:2,interests:2",
    "&weights=quality:3",
    "&role=pa&weights=availability:4",
)
BASELINE = "/accessibility/"
TOKENS_SCRIPT = """
import json
from profiles.models import Profile
from profiles.tokens import api_token_create, api_tokens_revoke_all
users = []
for p in Profile.objects.filter(role="seeker", user__isnull=False).select_related("user").order_by("pk")[:50]:
    api_tokens_revoke_all(user_id=p.user_id)  # the last run's (a person may hold only so many)
    users.append(api_token_create(user=p.user, name="Search benchmark", days=30).raw)
print("TOKENS=" + json.dumps(users))
"""


def run_env(db_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=db_url,
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    # The per-person API limit still counts every request (its cost is measured) but must not refuse the
    # bench's few seekers' tokens; bench_throttle.py measures the refusing.
    env.setdefault("DJANGO_THROTTLE_USER", "100000000/min")
    return env


def manage(env: dict, *args: str, timeout: float = 900) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare_database(profiles: int) -> str:
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        env = run_env(url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--profiles", str(profiles), "--seed", "1", "--if-empty")
        return url
    cached = ROOT / "var" / "bench" / f"search_api_{profiles}.sqlite3"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        env = run_env(f"sqlite:///{partial}")
        t0 = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--profiles", str(profiles), "--seed", "1", timeout=1800)
        print(f"seeded {profiles:,} profiles in {time.perf_counter() - t0:.0f} s", flush=True)
        partial.rename(cached)
    # Work on a copy, so tokens and sessions never change the cached file.
    work = Path(tempfile.mkdtemp(prefix="bench_api_")) / "db.sqlite3"
    shutil.copyfile(cached, work)
    manage(run_env(f"sqlite:///{work}"), "migrate", "--noinput")  # the cached file may predate a migration
    return f"sqlite:///{work}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A minimal HTTP/1.1 keep-alive client on asyncio streams ---------------------------------


class Conn:
    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None

    async def get(self, path: str, token: str | None) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        auth = f"Authorization: Token {token}\r\n" if token else ""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Accept: application/json\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            None,
        )
        if length is None:
            raise RuntimeError("the server answered without a Content-Length")
        await self.reader.readexactly(length)
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()


async def fixed_rate(port: int, path: str, tokens: list[str], rate: float, seconds: float, max_conns: int = 64) -> dict:
    """Open loop: request i is due at i / rate; latency counts from when it was due."""
    idle: list[Conn] = []
    opened, latencies, errors = 0, [], 0
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(i: int, due: float):
        nonlocal opened, errors
        conn = idle.pop() if idle else None
        if conn is None:
            if opened >= max_conns:
                errors += 1  # the client ran out of connections: count it as a failure, not a wait
                return
            opened += 1
            conn = Conn(port)
        try:
            status = await conn.get(vary(path, i), tokens[i % len(tokens)] if tokens else None)
            latencies.append(loop.time() - due)
            errors += status != 200
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
    elapsed = loop.time() - start
    return summarise(latencies, errors, total, elapsed)


async def closed_loop(port: int, path: str, tokens: list[str], conns: int, seconds: float) -> dict:
    """Without wrk: ``conns`` connections each sending the next request when the last answers."""
    latencies, errors = [], 0
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds

    async def worker(k: int):
        nonlocal errors
        conn, i = Conn(port), k
        while loop.time() < end:
            t0 = loop.time()
            try:
                errors += await conn.get(vary(path, i), tokens[i % len(tokens)] if tokens else None) != 200
                latencies.append(loop.time() - t0)
            except (OSError, asyncio.IncompleteReadError, RuntimeError):
                errors += 1
                conn.close()
                conn = Conn(port)
            i += conns
        conn.close()

    t0 = loop.time()
    await asyncio.gather(*(worker(k) for k in range(conns)))
    return summarise(latencies, errors, len(latencies) + errors, loop.time() - t0)


def vary(path: str, i: int) -> str:
    return path + VARIANTS[i % len(VARIANTS)] if path == MATCHES else path


def summarise(latencies, errors, total, elapsed) -> dict:
    lat = sorted(latencies)

    def pct(q):
        return lat[min(len(lat) - 1, int(q / 100 * len(lat)))] * 1e3 if lat else float("nan")

    return {"rps": len(lat) / elapsed, "p50": pct(50), "p95": pct(95), "p99": pct(99), "errors": errors, "total": total}


WRK_LUA = """
tokens = {%s}
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Token " .. tokens[(counter %% #tokens) + 1] end
  headers["Accept"] = "application/json"
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
"""


def wrk_max(port: int, path: str, tokens: list[str], seconds: int, conns: int) -> dict:
    script = Path(tempfile.mkdtemp(prefix="bench_wrk_")) / "rotate.lua"
    paths = [vary(path, i) for i in range(len(VARIANTS))]
    script.write_text(WRK_LUA % (", ".join(f'"{t}"' for t in tokens), ", ".join(f'"{p}"' for p in paths)))
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    figures = {"rps": float("nan"), "p50": float("nan"), "p99": float("nan"), "errors": 0}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(parts[1])
        elif parts[:1] == ["50%"]:
            figures["p50"] = wrk_ms(parts[1])
        elif parts[:1] == ["99%"]:
            figures["p99"] = wrk_ms(parts[1])
        elif "Non-2xx" in line or line.strip().startswith("Socket errors"):
            figures["errors"] += sum(int(x.strip(",")) for x in parts if x.strip(",").isdigit())
    return figures


def wrk_ms(text: str) -> float:
    for unit, scale in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    return float(text)


def warm(port: int, tokens: list[str], limit_s: float = 180) -> float:
    """Until several rounds of concurrent requests all answer quickly, every worker has its index."""

    async def round_():
        conns = [Conn(port) for _ in range(8)]
        t0 = time.perf_counter()
        statuses = await asyncio.gather(
            *(c.get(vary(MATCHES, i), tokens[i % len(tokens)]) for i, c in enumerate(conns))
        )
        for c in conns:
            c.close()
        return time.perf_counter() - t0, statuses

    t0, fast = time.perf_counter(), 0
    while time.perf_counter() - t0 < limit_s and fast < 3:
        took, statuses = asyncio.run(round_())
        if any(s != 200 for s in statuses):
            sys.exit(f"the matches endpoint answered {statuses}")
        fast = fast + 1 if took < 0.5 else 0
    return time.perf_counter() - t0


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    # The server keeps its own copy of the log file's descriptor, so ours can close once it has started.
    with open(Path(tempfile.gettempdir()) / f"bench_uvicorn_{port}.log", "w") as log:
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "uvicorn",
                "marketplace.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit(f"uvicorn did not start; see {log.name}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def line(name: str, f: dict) -> str:
    return (
        f"{name:<34} {f['rps']:8.0f} req/s | p50 {f['p50']:7.1f} ms | p95 {f.get('p95', float('nan')):7.1f} ms | "
        f"p99 {f['p99']:7.1f} ms | errors {f['errors']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    db_url = prepare_database(args.profiles)
    env = run_env(db_url)
    tokens = json.loads(manage(env, "shell", "-c", TOKENS_SCRIPT).split("TOKENS=", 1)[1])
    random.Random(1).shuffle(tokens)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        print(
            f"{args.profiles:,}-profile register, {len(tokens)} seekers' tokens, uvicorn --workers {args.workers} on 127.0.0.1:{port}",
            flush=True,
        )
        print(f"warm-up (each worker builds its index on its first query): {warm(port, tokens):.1f} s", flush=True)
        use_wrk = shutil.which("wrk") is not None
        tool = f"wrk -t1 -c{args.connections}" if use_wrk else f"asyncio closed loop, {args.connections} connections"
        print(f"max throughput over {args.seconds} s ({tool}):")
        for name, path, toks in (("baseline GET " + BASELINE, BASELINE, []), ("GET " + MATCHES, MATCHES, tokens)):
            f = (
                wrk_max(port, path, toks, args.seconds, args.connections)
                if use_wrk
                else asyncio.run(closed_loop(port, path, toks, args.connections, args.seconds))
            )
            print("  " + line(name, f), flush=True)
        print(
            f"fixed rate {args.rate:g} req/s for {args.seconds} s (open loop, latency from when each request was due):"
        )
        for name, path, toks in (("baseline GET " + BASELINE, BASELINE, []), ("GET " + MATCHES, MATCHES, tokens)):
            f = asyncio.run(fixed_rate(port, path, toks, args.rate, args.seconds))
            print("  " + line(name, f) + f" of {f['total']}", flush=True)
    finally:
        stop_server(server)
    print("Targets: matches >= 300 req/s on 2 cores; p95 <= 50 ms at 200 req/s.")
    print(
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; client and server share the machine."
    )


if __name__ == "__main__":
    main()
