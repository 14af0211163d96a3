"""Pages and the API through the ASGI application the servers run (marketplace/asgi.py), whose handler runs
the middleware and the view in one thread (marketplace/handlers.py)."""

import json

import pytest
from channels.testing import HttpCommunicator
from rest_framework.authtoken.models import Token

from marketplace.asgi import application
from tests.factories import UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


HOST = (b"host", b"testserver")


async def get(path: str, headers=()) -> dict:
    return await HttpCommunicator(application, "GET", path, headers=[HOST, *headers]).get_response()


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
    response = await HttpCommunicator(application, "POST", "/accounts/login/", body=b"login=a&password=b",
                                      headers=[HOST, (b"content-type", b"application/x-www-form-urlencoded")]).get_response()
    assert response["status"] == 403


async def test_the_api_answers_a_token_holder_with_their_own_data():
    from asgiref.sync import sync_to_async

    person = await sync_to_async(UserFactory)(preferred_name="Dafydd")
    key = (await Token.objects.acreate(user=person)).key
    response = await get("/api/v1/me/data/", [(b"authorization", f"Token {key}".encode())])
    assert response["status"] == 200
    assert json.loads(response["body"])["account"]["email"] == person.email
