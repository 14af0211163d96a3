"""Pages and the API through the ASGI application the servers run (marketplace/asgi.py), whose handler runs
the middleware and the view in one thread (marketplace/handlers.py)."""

import asyncio
import json
import threading

import pytest
from channels.testing import HttpCommunicator
from django.http import HttpResponse
from django.urls import path

from marketplace.asgi import application
from profiles.tokens import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


HOST = (b"host", b"testserver")


async def get(path: str, headers=()) -> dict:
    # A deadline, not a wait: the first page of a run compiles templates, which on a busy machine takes over
    # get_response's default of one second.
    return await HttpCommunicator(application, "GET", path, headers=[HOST, *headers]).get_response(timeout=15)


def header(response: dict, name: str) -> str:
    return {key.decode().lower(): value.decode() for key, value in response["headers"]}.get(name, "")


async def test_a_page_comes_back_with_every_middleware_applied():
    response = await get("/accessibility/")
    assert response["status"] == 200
    assert b"<main" in response["body"]
    assert "default-src" in header(response, "content-security-policy")
    assert header(response, "x-frame-options") == "DENY"
    assert header(response, "x-content-type-options") == "nosniff"


async def test_a_form_post_without_its_csrf_token_is_refused():
    response = await HttpCommunicator(
        application,
        "POST",
        "/accounts/login/",
        body=b"login=a&password=b",
        headers=[HOST, (b"content-type", b"application/x-www-form-urlencoded")],
    ).get_response()
    assert response["status"] == 403


async def test_the_api_answers_a_token_holder_with_their_own_data():
    from asgiref.sync import sync_to_async

    person = await sync_to_async(UserFactory)(preferred_name="Dafydd")
    key = (await sync_to_async(api_token_create)(user=person, name="ASGI test")).raw
    response = await get("/api/v1/me/data/", [(b"authorization", f"Token {key}".encode())])
    assert response["status"] == 200
    assert json.loads(response["body"])["account"]["email"] == person.email


# A handler with two threads, on a URLconf of its own: /wait/<name>/ blocks until the test lets it go.
RELEASE: dict[str, threading.Event] = {}
STARTED: dict[str, threading.Event] = {}  # set by a waiting view once it runs on a handler thread


def wait_view(request, name):
    STARTED.setdefault(name, threading.Event()).set()
    RELEASE[name].wait(timeout=10)
    return HttpResponse(name)


def quick_view(request):
    return HttpResponse("quick")


urlpatterns = [path("wait/<str:name>/", wait_view), path("quick/", quick_view)]


@pytest.fixture
def two_thread_handler(settings):
    from marketplace.handlers import SyncChainASGIHandler

    settings.ROOT_URLCONF = __name__
    RELEASE.clear()
    STARTED.clear()
    handler = SyncChainASGIHandler(threads=2)
    yield handler
    for event in RELEASE.values():
        event.set()


def start(handler, path: str) -> asyncio.Task:
    return asyncio.ensure_future(HttpCommunicator(handler, "GET", path, headers=[HOST]).get_response(timeout=10))


async def test_a_request_waiting_on_the_network_does_not_hold_up_the_next(two_thread_handler):
    RELEASE["slow"] = threading.Event()
    slow = start(two_thread_handler, "/wait/slow/")
    quick = await start(two_thread_handler, "/quick/")
    assert (quick["status"], quick["body"], slow.done()) == (200, b"quick", False)
    RELEASE["slow"].set()
    assert (await slow)["body"] == b"slow"


async def test_requests_beyond_the_workers_threads_wait_their_turn_and_are_then_answered(two_thread_handler):
    RELEASE.update(first=threading.Event(), second=threading.Event())
    STARTED.update(first=threading.Event(), second=threading.Event())
    first, second = start(two_thread_handler, "/wait/first/"), start(two_thread_handler, "/wait/second/")
    for name in ("first", "second"):  # both threads are now busy (waited for, with a deadline)
        assert await asyncio.to_thread(STARTED[name].wait, 10), f"the {name} request never started"
    third = start(two_thread_handler, "/quick/")
    done, _ = await asyncio.wait([third], timeout=0.5)
    assert not done  # both threads are busy, so the third request has not started
    RELEASE["first"].set()
    assert (await third)["body"] == b"quick"
    assert (await first)["body"] == b"first"
    RELEASE["second"].set()
    assert (await second)["body"] == b"second"
