"""Wrong passwords slow down the place they come from, never the account's owner (issue 12 item 7)."""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.factories import UserFactory

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"
REFUSED = "Too many failed login attempts"


def sign_in(client, email: str, password: str, ip: str, **headers):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def guess_until_refused(client, email: str, ip: str, limit: int = 20) -> int:
    for attempt in range(1, limit + 1):
        page = sign_in(client, email, "not the password", ip).content.decode()
        if REFUSED in page:
            return attempt
    raise AssertionError(f"{limit} wrong passwords from one address were never slowed down")


def code_from(message) -> str:
    codes = [line.strip() for line in message.body.splitlines() if re.fullmatch(r"[A-Z0-9-]{6,12}", line.strip())]
    assert codes, message.body
    return codes[-1]


def sign_in_by_code(client, email: str, ip: str, mailoutbox) -> None:
    sent = len(mailoutbox)
    asked = client.post("/accounts/login/code/", {"email": email}, REMOTE_ADDR=ip)
    assert asked.status_code == 302, asked.content.decode()
    assert len(mailoutbox) == sent + 1
    confirmed = client.post(asked["Location"], {"code": code_from(mailoutbox[-1])}, REMOTE_ADDR=ip)
    assert confirmed.status_code == 302, confirmed.content.decode()


@pytest.mark.django_db
def test_wrong_passwords_from_one_place_do_not_stop_the_owner_signing_in_from_another(client):
    owner = UserFactory()
    refused_after = guess_until_refused(client, owner.email, ATTACKER)
    assert refused_after == 6  # five tries, then the attacker's address waits

    response = sign_in(client, owner.email, "correct horse battery", OWNER)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_the_refusal_says_when_to_try_again_and_offers_the_emailed_code(client):
    owner = UserFactory()
    with time_machine.travel("2026-11-24 10:00", tick=False):
        guess_until_refused(client, owner.email, ATTACKER)
        page = sign_in(client, owner.email, "correct horse battery", ATTACKER).content.decode()
    assert "try the password again from here in 30 seconds" in page
    assert "sign in now with a code sent to your email" in page
    assert not signed_in(client)  # the password was not even checked


@pytest.mark.django_db
def test_the_wait_doubles_with_each_further_failure_and_the_right_password_resets_it(client):
    owner = UserFactory()
    with time_machine.travel("2026-11-24 10:00", tick=False) as clock:
        guess_until_refused(client, owner.email, ATTACKER)  # 5 failures: 30 s to wait
        clock.shift(31)
        assert REFUSED not in sign_in(client, owner.email, "still wrong", ATTACKER).content.decode()  # 6th: 60 s
        clock.shift(31)
        assert "in 29 seconds" in sign_in(client, owner.email, "still wrong", ATTACKER).content.decode()
        clock.shift(30)
        assert sign_in(client, owner.email, "correct horse battery", ATTACKER).status_code == 302
        client.logout()
        for _ in range(5):  # forgiven: five free tries again
            assert REFUSED not in sign_in(client, owner.email, "wrong again", ATTACKER).content.decode()


@pytest.mark.django_db
def test_wrong_passwords_do_not_stop_the_owner_signing_in_by_emailed_code(client, mailoutbox):
    owner = UserFactory()
    guess_until_refused(client, owner.email, ATTACKER)
    sign_in_by_code(client, owner.email, OWNER, mailoutbox)
    assert signed_in(client)


@pytest.mark.django_db
def test_even_from_the_same_place_the_owner_can_sign_in_by_emailed_code(client, mailoutbox):
    owner = UserFactory()
    guess_until_refused(client, owner.email, ATTACKER)
    sign_in_by_code(client, owner.email, ATTACKER, mailoutbox)
    assert signed_in(client)


@pytest.mark.django_db
def test_someone_asking_for_the_owners_codes_cannot_stop_the_owner_getting_one(client, mailoutbox):
    owner = UserFactory()
    refused = False
    for _ in range(10):
        page = client.post("/accounts/login/code/", {"email": owner.email}, REMOTE_ADDR=ATTACKER)
        if page.status_code == 200 and "sent several sign-in codes" in page.content.decode():
            refused = True
            break
        client.cookies.clear()
    assert refused, "one address could ask for someone's sign-in codes without end"
    client.cookies.clear()
    sign_in_by_code(client, owner.email, OWNER, mailoutbox)
    assert signed_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("server_copies_the_header", [False, True], ids=["plain", "as-uvicorn-on-loopback"])
def test_a_rotating_x_forwarded_for_does_not_get_past_the_per_address_limit(client, settings, server_copies_the_header):
    """0 of 30 were refused on a live server: uvicorn copies X-Forwarded-For into the connection's address
    for connections from 127.0.0.1, which the test client imitates with REMOTE_ADDR."""
    settings.TRUSTED_PROXY_COUNT = 0  # DJANGO_TRUSTED_PROXY_COUNT=0: the header is not believed
    people = [UserFactory() for _ in range(3)]
    blocked = 0
    for attempt in range(30):
        email = people[attempt % 3].email if attempt % 2 else f"nobody{attempt}@example.org"
        address = f"10.{attempt}.0.1"
        peer = address if server_copies_the_header else "127.0.0.1"
        page = sign_in(client, email, "wrong", peer, HTTP_X_FORWARDED_FOR=address).content.decode()
        blocked += REFUSED in page
    assert blocked >= 20  # allauth's 10 failed sign-ins a minute from one address, whatever the header says


@pytest.mark.django_db
def test_behind_one_trusted_proxy_each_client_gets_its_own_tries(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    owner = UserFactory()
    # The proxy appends the address it saw; what the client wrote on the left counts for nothing.
    assert guess_until_refused(client, owner.email, "10.0.0.2") == 6  # same proxy, header missing: the proxy
    via_proxy = {"HTTP_X_FORWARDED_FOR": f"6.6.6.6, {OWNER}"}
    response = sign_in(client, owner.email, "correct horse battery", "10.0.0.2", **via_proxy)
    assert response.status_code == 302 and signed_in(client)
