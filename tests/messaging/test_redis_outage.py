"""Redis unreachable: sign-in, password reset and pages keep working, limits stay on, and open
conversations get every message sent meanwhile.

The first tests point the site's own cache settings (marketplace/settings.py, evaluated with
REDIS_URL set) at a port where nothing listens. The last one runs real servers on a redis-server of
its own, stops it for 15 seconds under load and starts it again.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import itertools
import json
import os
import runpy
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from websockets.asyncio.client import connect

from messaging import services
from tests.factories import UserFactory
from tests.messaging import live

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "marketplace" / "settings.py"


def _site_caches(redis_url: str) -> dict:
    """CACHES exactly as marketplace/settings.py builds them when REDIS_URL is set."""
    with mock.patch.dict(os.environ, {"REDIS_URL": redis_url}):
        return runpy.run_path(str(SETTINGS_FILE))["CACHES"]


@contextmanager
def _redis_unreachable():
    dead = f"redis://127.0.0.1:{live.free_port()}/0"  # nothing listens there
    with override_settings(CACHES=_site_caches(dead)):
        yield
    from marketplace import cache_failover

    cache_failover._down_until.clear()


@pytest.mark.django_db
def test_with_redis_unreachable_sign_in_password_reset_and_pages_answer(client):
    person = UserFactory(email="sam@example.org")
    person.set_password("a long pass phrase 42")
    person.save()
    with _redis_unreachable():
        assert client.get("/accounts/login/").status_code == 200
        response = client.post("/accounts/login/", {"login": "sam@example.org", "password": "a long pass phrase 42"})
        assert response.status_code == 302
        assert client.get(reverse("profiles:dashboard")).status_code == 200
        client.logout()
        response = client.post("/accounts/password/reset/", {"email": "sam@example.org"})
        assert response.status_code == 302


@pytest.mark.django_db
def test_with_redis_unreachable_failed_sign_ins_are_still_limited(client):
    person = UserFactory()
    with _redis_unreachable():
        pages = [
            client.post("/accounts/login/", {"login": person.email, "password": "wrong password"}).content.decode()
            for _ in range(6)
        ]
        # The counters live in the database meanwhile, shared by every worker.
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cache_fallback")
            assert cursor.fetchone()[0] > 0
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts. Try again later." in pages[-1]


@pytest.mark.django_db
def test_with_redis_unreachable_the_message_rate_limit_counts_sent_messages(conversation, seeker, settings):
    settings.MESSAGING_RATE_PER_MINUTE = 3
    already = conversation.messages.filter(sender=seeker).count()  # the contact request's opening words
    with _redis_unreachable():
        for n in range(3 - already):
            services.message_send(conversation=conversation, sender=seeker, body=f"Message {n}")
        with pytest.raises(services.MessageRateLimited):
            services.message_send(conversation=conversation, sender=seeker, body="One too many")
    assert conversation.messages.filter(sender=seeker).count() == 3


@pytest.mark.django_db
def test_the_cache_goes_back_to_redis_when_it_answers_again(tmp_path, settings):
    if not Path(live.REDIS_SERVER).exists():
        pytest.skip("needs redis-server")  # the Redis-marked test below fails loudly instead
    port = live.free_port()
    proc = live.start_redis(port, tmp_path)
    try:
        site_caches = _site_caches(f"redis://127.0.0.1:{port}/0")
        site_caches["default"]["OPTIONS"]["RETRY_SECONDS"] = 0  # try Redis again at once, not after 5 s
        with override_settings(CACHES=site_caches):
            cache.set("greeting", "from redis")
            assert caches["redis"].get("greeting") == "from redis"
            live.stop(proc)
            cache.set("greeting", "from the database")  # Redis is down: the database takes it
            assert caches["database"].get("greeting") == "from the database"
            assert cache.get("greeting") == "from the database"
            proc = live.start_redis(port, tmp_path)  # an empty Redis (nothing saved to disk)
            assert cache.get("greeting") is None
            cache.set("greeting", "from redis again")
            assert caches["redis"].get("greeting") == "from redis again"
    finally:
        live.stop(proc)
        from marketplace import cache_failover

        cache_failover._down_until.clear()


# Real servers, a real outage ----------------------------------------------------------------------

OUTAGE_SECONDS = 15
CATCH_UP_SECONDS = 5
RATE = 20  # messages a person may send a minute, on these servers
# Correct sign-ins during the outage, all from 127.0.0.1: with the 6 wrong ones, under allauth's per-address
# limit of 30 a minute, however fast the machine runs the loop (a fast run once made more and got a 429).
SIGN_INS = 20
PASSWORD = "a long pass phrase 42"

_PREPARE = """
import json, sys
import django
django.setup()
from allauth.account.models import EmailAddress
from profiles.models import User
emails = []
for n in range(2):  # people of their own: a new password would sign the seeded people's sockets out
    user = User.objects.create_user(email=f"sign-in-{n}@example.org", password=sys.argv[1], preferred_name=f"Signer {n}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    emails.append(user.email)
print(json.dumps(emails))
"""


@contextmanager
def _database(tmp_path):
    """A SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.strip('/') or 'postgres'}_outage_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cluster(tmp_path):
    if not Path(live.REDIS_SERVER).exists():
        pytest.fail(f"{live.REDIS_SERVER} is missing. Install it (apt-get install redis-server) to run the Redis test.")
    redis_port, port_a, port_b = live.free_port(), live.free_port(), live.free_port()
    procs = {"redis": live.start_redis(redis_port, tmp_path)}
    try:
        with _database(tmp_path) as database_url:
            env = live.server_env(
                tmp_path / "db.sqlite3",
                f"redis://127.0.0.1:{redis_port}/0",
                DATABASE_URL=database_url,
                MESSAGING_RATE_PER_MINUTE=str(RATE),
                EMAIL_FILE_PATH=str(tmp_path / "mail"),
            )
            live.migrate(env)
            pairs = live.seed(env, 2)
            out = subprocess.run(
                [live.PYTHON, "-c", _PREPARE, PASSWORD],
                cwd=live.ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            emails = json.loads(out.stdout.strip().splitlines()[-1])
            procs["a"] = live.start_uvicorn(port_a, env)
            procs["b"] = live.start_uvicorn(port_b, env)
            yield {
                "procs": procs,
                "pairs": pairs,
                "emails": emails,
                "a": port_a,
                "b": port_b,
                "redis_port": redis_port,
                "tmp": tmp_path,
            }
    finally:
        for proc in procs.values():
            live.stop(proc)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Browser:
    """One person's browser on one server: cookies, CSRF, no redirects followed."""

    def __init__(self, port: int):
        self.origin = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(
                urllib.request.Request(self.origin + path, data=body, headers=headers), timeout=20
            ) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self, email: str, password: str) -> list[tuple[str, int, str]]:
        """The login page, the form posted, and the page it leads to: (what, status, page)."""
        seen = [("login page", *self.request("/accounts/login/"))]
        seen.append(("sign-in", *self.request("/accounts/login/", {"login": email, "password": password})))
        return seen


def _api_send(port: int, conversation: int, token: str, body: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/conversations/{conversation}/messages/",
        data=json.dumps({"body": body}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def _socket(port: int, conversation: int, cookie: str):
    return connect(
        f"ws://127.0.0.1:{port}/ws/conversations/{conversation}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    )


async def _read(ws, arrivals: dict[int, float], statuses: list[tuple[str, float]], closes: list):
    """Record when each message id and each status first reaches this open socket."""
    try:
        async for frame in ws:
            event = json.loads(frame)
            if event["type"] == "message":
                arrivals.setdefault(event["message"]["id"], time.monotonic())
            elif event["type"] == "status":
                statuses.append((event["state"], time.monotonic()))
    except Exception:  # noqa: BLE001 - recorded below: a closed socket is what the test looks at
        pass
    closes.append(ws.close_code)


async def _until(predicate, deadline: float) -> bool:
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


@pytest.mark.redis
async def test_a_redis_outage_under_load_loses_nothing_and_errors_nothing(cluster):
    (one, two), emails = cluster["pairs"], cluster["emails"]
    port_a, port_b = cluster["a"], cluster["b"]
    arrivals = {one["conversation"]: {}, two["conversation"]: {}}
    statuses: list = []
    closes: list = []
    async with (
        _socket(port_b, one["conversation"], one["b"]["cookie"]) as partner_one,
        _socket(port_b, two["conversation"], two["b"]["cookie"]) as partner_two,
        _socket(port_a, one["conversation"], one["a"]["cookie"]) as sender_one,
    ):
        readers = [
            asyncio.create_task(_read(partner_one, arrivals[one["conversation"]], statuses, closes)),
            asyncio.create_task(_read(partner_two, arrivals[two["conversation"]], [], closes)),
        ]
        for ws in (partner_one, partner_two):
            await ws.send(json.dumps({"type": "resync", "after": 0}))
        status, first = await asyncio.to_thread(
            _api_send, port_a, one["conversation"], one["a"]["token"], "Before the outage"
        )
        assert status == 201
        assert await _until(lambda: first["id"] in arrivals[one["conversation"]], time.monotonic() + 10), (
            "not live before"
        )

        live.stop(cluster["procs"]["redis"])
        down_at = time.monotonic()
        answers: list[tuple[str, int, str]] = []
        sent_one, sent_two, refused_two = [], [], 0

        # For at least the outage, and until all of it is done, through both servers in turn: someone sends
        # more than the limit allows (it holds), failed sign-ins for one person (still limited), sign-ins,
        # pages, password resets, and messages by API and by socket.
        failed: list = []
        spam = iter(range(RATE + 4))
        late = None
        signed_in: dict[int, _Browser] = {}
        n = 0
        while time.monotonic() < down_at + OUTAGE_SECONDS or len(failed) < 6 or n < 6:
            port = (port_a, port_b)[n % 2]
            for k in list(itertools.islice(spam, 4)):
                status, body = await asyncio.to_thread(
                    _api_send, (port_a, port_b)[k % 2], two["conversation"], two["a"]["token"], f"Quick message {k}"
                )
                answers.append(("message", status, ""))
                if status == 201:
                    sent_two.append(body["id"])
                elif status == 429:
                    refused_two += 1
            if len(failed) < 6:
                failed.append((await asyncio.to_thread(_Browser(port).sign_in, emails[1], "wrong password"))[-1])
                answers.append(("failed sign-in", *failed[-1][1:]))
            if n % 2:
                await sender_one.send(json.dumps({"type": "send", "body": f"Socket message {n}", "ref": f"r{n}"}))
            else:
                status, body = await asyncio.to_thread(
                    _api_send, port, one["conversation"], one["a"]["token"], f"API message {n}"
                )
                answers.append(("message", status, ""))
                if status == 201:
                    sent_one.append(body["id"])
            if n < SIGN_INS:
                browser = signed_in[port] = _Browser(port)
                answers += await asyncio.to_thread(browser.sign_in, emails[0], PASSWORD)
            else:  # after that, the same person's pages on a session signed in during the outage
                browser = signed_in[port]
            for path in ("/me/", "/messages/", "/"):
                answers.append((path, *await asyncio.to_thread(browser.request, path)))
            reset = _Browser(port)
            answers.append(("reset page", *await asyncio.to_thread(reset.request, "/accounts/password/reset/")))
            answers.append(
                (
                    "reset",
                    *await asyncio.to_thread(reset.request, "/accounts/password/reset/", {"email": emails[n % 2]}),
                )
            )
            if late is None:  # a page opened during the outage still gets a working socket
                late = await _socket(port_b, one["conversation"], one["b"]["cookie"])
                late_closes: list = []
                late_reader = asyncio.create_task(_read(late, {}, [], late_closes))
            n += 1

        # The socket messages' ids, from the sender's acknowledgements (read by nobody else).
        sent_one += [m["id"] for m in await _sent_acks(sender_one)]
        cluster["procs"]["redis"] = live.start_redis(cluster["redis_port"], cluster["tmp"])
        up_at = time.monotonic()

        everything = lambda: (  # noqa: E731
            set(sent_one) <= arrivals[one["conversation"]].keys()
            and set(sent_two) <= arrivals[two["conversation"]].keys()
        )
        await _until(everything, up_at + CATCH_UP_SECONDS + 5)
        missing = (set(sent_one) - arrivals[one["conversation"]].keys()) | (
            set(sent_two) - arrivals[two["conversation"]].keys()
        )
        assert not missing, f"{len(missing)} messages sent during the outage never reached the open page"
        late_ones = [i for i in sent_one if arrivals[one["conversation"]][i] > up_at + CATCH_UP_SECONDS]
        late_ones += [i for i in sent_two if arrivals[two["conversation"]][i] > up_at + CATCH_UP_SECONDS]
        assert not late_ones, f"{len(late_ones)} messages arrived more than {CATCH_UP_SECONDS} s after Redis returned"

        errors = [(what, status) for what, status, _ in answers if status >= 500]
        assert not errors, f"server errors during the outage: {errors}"
        unexpected = [
            (what, status, " ".join(page.split())[:300])
            for what, status, page in answers
            if what not in ("message", "reset") and status not in (200, 302)
        ]
        assert not unexpected, unexpected  # each answer that was not a page or a redirect, with its words
        signed_in = [s for w, s, _ in answers if w == "sign-in"]
        assert signed_in and all(s == 302 for s in signed_in), "every sign-in with the right password went through"
        # A reset is sent (302), or refused by its own limit of 5 a minute for one address (429): never an error.
        assert all(s in (302, 429) for w, s, _ in answers if w == "reset") and any(
            s == 302 for w, s, _ in answers if w == "reset"
        )
        assert len(sent_two) == RATE and refused_two == 4, "the message limit held through the outage"
        assert "Too many failed login attempts" not in failed[0][2]
        assert "Too many failed login attempts" in failed[-1][2], "failed sign-ins stayed limited"
        assert len(sent_one) >= 4

        # The open page said it was reconnecting, and says live again once Redis is back.
        assert any(state == "reconnecting" and down_at < at for state, at in statuses)
        assert await _until(lambda: any(s == "live" and at > up_at for s, at in statuses), up_at + CATCH_UP_SECONDS)
        # The socket opened during the outage is asked to connect again (code 1012) once live updates are back.
        assert await _until(lambda: late_closes, up_at + CATCH_UP_SECONDS), "the late socket was not told to reconnect"
        assert late_closes == [1012]
        late_reader.cancel()

        # Live again: a new message arrives without any polling.
        status, after = await asyncio.to_thread(
            _api_send, port_a, one["conversation"], one["a"]["token"], "Redis is back"
        )
        assert status == 201
        assert await _until(lambda: after["id"] in arrivals[one["conversation"]], time.monotonic() + 5)
        assert closes == [], "an open socket was closed"
        for reader in readers:
            reader.cancel()


async def _sent_acks(ws) -> list[dict]:
    """Every 'sent' acknowledgement the sender's socket has received so far (it reads nothing else here)."""
    acks = []
    while True:
        try:
            async with asyncio.timeout(0.5):
                event = json.loads(await ws.recv())
        except TimeoutError:
            return acks
        if event["type"] == "sent":
            acks.append(event)
