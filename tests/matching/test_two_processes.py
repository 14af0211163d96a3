"""One truth for search across processes: two real uvicorn servers on one database (a SQLite file, or a
database of its own on the PostgreSQL server when DATABASE_URL names one, with Redis when REDIS_URL is set).
A change made through server A, or by a management command in a process of its own, shows in server B's
very next search, register page and register API answer: no waiting, no retry."""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.messaging.live import PYTHON, ROOT, free_port, migrate, server_env, start_uvicorn, stop

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
CSRF = "a" * 32


def _database_url(tmp_path):
    """A SQLite file, or (on a PostgreSQL run) a fresh database beside the configured one; and its clean-up."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'two.sqlite3'}", lambda: None
    import psycopg

    name = f"two_process_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("two-processes")
    url, drop = _database_url(tmp_path)
    env = server_env(tmp_path / "unused.sqlite3", os.environ.get("REDIS_URL", ""), DATABASE_URL=url)
    env["DATABASE_URL"] = url
    procs = []
    try:
        migrate(env)
        out = subprocess.run(
            [PYTHON, "-m", "tests.matching.two_process", "seed"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        people = json.loads(out.stdout.strip().splitlines()[-1])
        ports = [free_port(), free_port()]
        procs = [start_uvicorn(port, env, lifespan="on") for port in ports]  # each warms up before it listens
        yield {
            "a": f"http://127.0.0.1:{ports[0]}",
            "b": f"http://127.0.0.1:{ports[1]}",
            "people": people,
            "env": env,
            "tmp": tmp_path,
        }
    finally:
        for proc in procs:
            stop(proc)
        drop()


def as_person(person: dict | None) -> requests.Session:
    session = requests.Session()
    session.headers["X-CSRFToken"] = CSRF
    session.cookies.set("csrftoken", CSRF)
    if person:
        session.cookies.set("sessionid", person["session"])
    return session


def matches(servers, person="seeker") -> dict[str, dict]:
    response = as_person(servers["people"][person]).get(f"{servers['b']}/api/v1/matches/", params={"top": 50})
    assert response.status_code == 200, response.text[:300]
    return {row["ref"]: row for row in response.json()}


def register_api(servers, person="seeker") -> set[str]:
    response = as_person(servers["people"].get(person)).get(
        f"{servers['b']}/api/v1/register/", params={"postcode": "BB1"}
    )
    assert response.status_code == 200, response.text[:300]
    return {row["ref"] for row in response.json()["results"]}


def register_page(servers, person="seeker") -> str:
    response = as_person(servers["people"].get(person)).get(
        f"{servers['b']}/register/", params={"postcode": "BB1", "within_km": 16}
    )
    assert response.status_code == 200
    return response.text


def everywhere(servers, ref: str) -> list[bool]:
    """Whether ``ref`` shows in B's matches, register API and register page (all read after the change)."""
    return [ref in matches(servers), ref in register_api(servers), ref in register_page(servers)]


def manage(servers, *args: str) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=servers["env"], check=True, capture_output=True, text=True
    )
    return out.stdout + out.stderr


def test_b_sees_the_register_as_seeded(servers):
    people = servers["people"]
    found = matches(servers)
    for key in ("peer", "paused", "removed", "blocked", "rated"):
        assert people[key]["ref"] in found
    assert any("visually impaired" in reason.lower() for reason in found[people["peer"]["ref"]]["reasons"])
    assert found[people["peer"]["ref"]]["factors"]["lived_experience"] > 0


def test_consent_withdrawn_through_a_is_out_of_bs_next_match(servers):
    peer = servers["people"]["peer"]
    response = as_person(peer).delete(f"{servers['a']}/api/v1/me/profiles/{peer['profile']}/consent/")
    assert response.status_code == 200, response.text[:300]
    row = matches(servers)[peer["ref"]]
    assert row["factors"]["lived_experience"] == 0
    assert not any("visually impaired" in reason.lower() for reason in row["reasons"])


def test_a_listing_paused_through_a_is_gone_from_b_at_once(servers):
    paused = servers["people"]["paused"]
    response = as_person(paused).post(f"{servers['a']}/api/v1/me/profiles/{paused['profile']}/pause/")
    assert response.status_code == 200, response.text[:300]
    assert everywhere(servers, paused["ref"]) == [False, False, False]


def test_a_listing_removed_through_a_is_gone_from_b_at_once(servers):
    removed = servers["people"]["removed"]
    response = as_person(removed).delete(f"{servers['a']}/api/v1/me/profiles/{removed['profile']}/")
    assert response.status_code in (200, 204), response.text[:300]
    assert everywhere(servers, removed["ref"]) == [False, False, False]


def test_a_block_made_through_a_hides_them_from_the_blocker_on_b(servers):
    blocked = servers["people"]["blocked"]
    assert blocked["ref"] in register_api(servers)
    response = as_person(servers["people"]["seeker"]).post(
        f"{servers['a']}/register/{blocked['ref']}/block/", allow_redirects=False
    )
    assert response.status_code in (302, 303), response.text[:300]
    assert everywhere(servers, blocked["ref"]) == [False, False, False]
    assert blocked["ref"] in register_api(servers, person=None)  # others still see them


def test_the_quality_command_in_its_own_process_changes_bs_next_ranking(servers):
    rated = servers["people"]["rated"]
    before = matches(servers)[rated["ref"]]["factors"]["quality"]
    subprocess.run(
        [PYTHON, "-m", "tests.matching.two_process", "rate", rated["ref"]], cwd=ROOT, env=servers["env"], check=True
    )
    assert matches(servers)[rated["ref"]]["factors"]["quality"] == before  # revealed by time: nothing logged yet
    assert "Refreshed the quality factor of 1 supporter" in manage(servers, "ratings_refresh_quality")
    assert matches(servers)[rated["ref"]]["factors"]["quality"] > before


def test_an_import_in_its_own_process_is_in_bs_next_answers(servers):
    path = servers["tmp"] / "import.jsonl"
    record = {
        "ref": "pa-imported-0001",
        "role": "pa",
        "display_name": "Imogen I.",
        "outcode": "BB1",
        "travel_km": 30,
        "skills": ["personal_care"],
        "availability": ["mon 09:00-13:00"],
        "hourly_rate_gbp": 13.5,
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert "pa-imported-0001" not in register_api(servers)
    manage(servers, "import_register", str(path))
    assert everywhere(servers, "pa-imported-0001") == [True, True, True]


def test_an_organisation_change_in_its_own_process_shows_in_bs_next_match_for_its_coordinator(servers):
    member = servers["people"]["member"]
    before = matches(servers, "coordinator")[member["ref"]]
    assert before["factors"]["lived_experience"] == 0  # "only me and my coordinator", and no organisation yet
    subprocess.run(
        [PYTHON, "-m", "tests.matching.two_process", "join", str(member["user"]), "Two Process Peer Network"],
        cwd=ROOT,
        env=servers["env"],
        check=True,
    )
    after = matches(servers, "coordinator")[member["ref"]]
    assert after["factors"]["lived_experience"] > 0
    assert any("mental health" in reason.lower() for reason in after["reasons"])
    assert matches(servers)[member["ref"]]["factors"]["lived_experience"] == 0  # nobody else sees it


def test_after_changes_interleaved_from_server_a_and_other_processes_b_ranks_as_a_fresh_build(servers):
    """B has caught up change by change; a new process builds from the database. They must agree exactly."""
    rng = random.Random(7)
    people = servers["people"]
    movers = [people[key] for key in ("peer", "rated", "member")]
    for step in range(6):
        person = rng.choice(movers)
        travel, interests = (
            rng.randint(5, 40),
            rng.sample(["music", "walking", "cooking", "gardening"], rng.randint(0, 2)),
        )
        if step % 2:
            subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "tests.matching.two_process",
                    "nudge",
                    str(person["profile"]),
                    str(travel),
                    ",".join(interests),
                ],
                cwd=ROOT,
                env=servers["env"],
                check=True,
            )
        else:
            response = as_person(person).patch(
                f"{servers['a']}/api/v1/me/profiles/{person['profile']}/",
                json={"travel_km": travel, "interests": interests},
            )
            assert response.status_code == 200, response.text[:300]
        matches(servers)  # B catches up after every change, one at a time
    caught_up = [(row["ref"], row["score"]) for row in matches(servers).values()]
    out = subprocess.run(
        [PYTHON, "manage.py", "match", "--ref", people["seeker"]["ref"], "--top", "50", "--format", "json"],
        cwd=ROOT,
        env=servers["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    fresh = json.loads(out.stdout)
    assert caught_up == [(row["ref"], row["score"]) for row in fresh]
