"""Real servers on loopback for the Redis test and the bench: redis-server, uvicorn workers, a SQLite file.

``python -m tests.messaging.live seed N`` (with the servers' environment) creates N conversations between
pairs of people and prints, as JSON, each conversation with both people's session cookie and API token.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
REDIS_SERVER = "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"Nothing listening on 127.0.0.1:{port} after {timeout} s.")


def server_env(db_path: Path, redis_url: str = "", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "PYTHONWARNINGS": "ignore::UserWarning",
            **extra,
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def start_redis(port: int, workdir: Path) -> subprocess.Popen:
    if not Path(REDIS_SERVER).exists() and shutil.which("redis-server") is None:
        raise FileNotFoundError(f"{REDIS_SERVER} is missing: install Debian's redis-server package to run this.")
    binary = REDIS_SERVER if Path(REDIS_SERVER).exists() else shutil.which("redis-server")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, 10)
    return proc


def migrate(env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def seed(env: dict[str, str], pairs: int) -> list[dict]:
    out = subprocess.run(
        [PYTHON, "-m", "tests.messaging.live", "seed", str(pairs)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_uvicorn(port: int, env: dict[str, str], *, lifespan: str = "off") -> subprocess.Popen:
    """``lifespan="on"`` warms the worker (match index built) before it listens, as ``./dev start`` does."""
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "marketplace.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--ws",
            "websockets-sansio",
            "--lifespan",
            lifespan,
        ],
        cwd=ROOT,
        env=env,
    )
    wait_for_port(port, 30 if lifespan == "off" else 120)  # warming up may load the scoring kernels
    return proc


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _seed_main(pairs: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from messaging.models import Conversation, Membership
    from profiles.models import User
    from profiles.tokens import api_token_create

    stamp = int(time.time() * 1000)
    users = User.objects.bulk_create(
        [User(email=f"live{stamp}-{n}@example.org", preferred_name=f"Live {n}", password="!") for n in range(2 * pairs)]
    )
    conversations = Conversation.objects.bulk_create([Conversation() for _ in range(pairs)])
    Membership.objects.bulk_create(
        [Membership(conversation=c, user=users[2 * i + side]) for i, c in enumerate(conversations) for side in (0, 1)]
    )

    def person(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return {
            "id": user.pk,
            "cookie": f"sessionid={session.session_key}",
            "token": api_token_create(user=user, name="Live test").raw,
        }

    result = [
        {"conversation": c.pk, "a": person(users[2 * i]), "b": person(users[2 * i + 1])}
        for i, c in enumerate(conversations)
    ]
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        _seed_main(int(sys.argv[2]))
