"""Two real uvicorn servers sharing a Redis pub/sub channel layer and a SQLite file database."""

import asyncio
import json
import urllib.request
from pathlib import Path

import pytest
import redis
from websockets.asyncio.client import connect

from messaging import realtime
from tests.messaging import live

pytestmark = pytest.mark.redis


@pytest.fixture
def cluster(tmp_path):
    if not Path(live.REDIS_SERVER).exists():
        pytest.fail(f"{live.REDIS_SERVER} is missing. Install it (apt-get install redis-server) to run the Redis test.")
    redis_port, port_a, port_b = live.free_port(), live.free_port(), live.free_port()
    procs = {"redis": live.start_redis(redis_port, tmp_path)}
    env = live.server_env(tmp_path / "db.sqlite3", f"redis://127.0.0.1:{redis_port}/0")
    try:
        live.migrate(env)
        pair = live.seed(env, 1)[0]
        procs["a"] = live.start_uvicorn(port_a, env)
        procs["b"] = live.start_uvicorn(port_b, env)
        yield {"procs": procs, "pair": pair, "a": port_a, "b": port_b, "redis_port": redis_port, "tmp": tmp_path}
    finally:
        for proc in procs.values():
            live.stop(proc)


def _api_send(port: int, conversation: int, token: str, body: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/conversations/{conversation}/messages/",
        data=json.dumps({"body": body}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 201
        return json.loads(response.read())


def _socket(port: int, conversation: int, cookie: str):
    return connect(
        f"ws://127.0.0.1:{port}/ws/conversations/{conversation}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    )


async def _subscribed(redis_port: int, conversation: int, deadline: float = 10) -> None:
    """Wait (up to ``deadline`` seconds) until Redis has a subscriber for the conversation's group."""
    client = redis.Redis(host="127.0.0.1", port=redis_port)
    pattern = f"*__group__{realtime.conversation_group(conversation)}"
    try:
        async with asyncio.timeout(deadline):
            while not await asyncio.to_thread(client.pubsub_channels, pattern):
                await asyncio.sleep(0.05)
    finally:
        client.close()


async def _messages(ws, count: int, timeout: float = 10) -> list[dict]:
    found = []
    async with asyncio.timeout(timeout):
        while len(found) < count:
            event = json.loads(await ws.recv())
            if event["type"] == "message":
                found.append(event["message"])
    return found


async def test_a_message_sent_on_one_server_arrives_on_the_other_and_survives_a_redis_outage(cluster):
    pair, conversation = cluster["pair"], cluster["pair"]["conversation"]
    async with _socket(cluster["b"], conversation, pair["b"]["cookie"]) as ws:
        await ws.send(json.dumps({"type": "resync", "after": 0}))
        await _subscribed(cluster["redis_port"], conversation)  # server B listens before A publishes
        sent = await asyncio.to_thread(_api_send, cluster["a"], conversation, pair["a"]["token"], "Hello from server A")
        (received,) = await _messages(ws, 1)
        assert received["id"] == sent["id"] and received["body"] == "Hello from server A"
        last_seen = received["id"]

        live.stop(cluster["procs"]["redis"])
        during = [
            (
                await asyncio.to_thread(
                    _api_send, cluster["a"], conversation, pair["a"]["token"], f"while redis is down {n}"
                )
            )["id"]
            for n in range(3)
        ]

    cluster["procs"]["redis"] = live.start_redis(cluster["redis_port"], cluster["tmp"])
    async with _socket(cluster["b"], conversation, pair["b"]["cookie"]) as ws:
        await ws.send(json.dumps({"type": "resync", "after": last_seen}))
        resynced = await _messages(ws, 3)
        assert [m["id"] for m in resynced] == during
        assert [m["body"] for m in resynced] == [f"while redis is down {n}" for n in range(3)]
        after = await asyncio.to_thread(_api_send, cluster["a"], conversation, pair["a"]["token"], "redis is back")
        (live_again,) = await _messages(ws, 1)
        assert live_again["id"] == after["id"]
