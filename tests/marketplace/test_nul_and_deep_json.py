"""NUL characters and very deeply nested JSON get a 400 with a plain message, never a 500 (issue 12, item 8).

The NUL cases failed only on PostgreSQL (which cannot store a NUL); run with DATABASE_URL set to see that.
"""

import json

import pytest
from django.urls import reverse

from marketplace.parsers import MAX_DEPTH
from marketplace.validators import NUL_MESSAGE
from messaging import services as messaging_services
from messaging.models import Membership
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(client):
    client.raise_request_exception = False
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize(
    "field, value",
    [
        ("seeking", {"roles": ["pa"], "note": "evenings\x00"}),
        ("seeking", {"ro\x00les": ["pa"]}),
        ("independence", {"washing": "a little help\x00"}),
        ("display_name", "Sam\x00"),
    ],
)
def test_a_nul_in_api_json_is_a_field_error(api_client, field, value):
    body = {"role": "seeker", "display_name": "Sam", "postcode": "BB1", field: value}
    response = api_client.post("/api/v1/me/profiles/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    if field != "display_name":  # DRF's CharField has its own (older) wording
        assert response.json()[field] == [NUL_MESSAGE]


def test_a_nul_in_an_update_of_seeking_is_a_field_error(api_client):
    profile = make_profile(api_client.user, role="seeker", seeking={"roles": ["pa"]})
    response = api_client.patch(
        f"/api/v1/me/profiles/{profile.pk}/",
        json.dumps({"seeking": {"roles": ["pa\x00"]}}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json() == {"seeking": [NUL_MESSAGE]}


def test_a_nul_in_shared_contact_details_is_refused_with_a_message(client):
    seeker, supporter = UserFactory(), UserFactory()
    listing = make_profile(supporter)
    request = messaging_services.contact_request_create(sender=seeker, profile=listing, message="Hello.")
    conversation = messaging_services.contact_request_accept(contact_request=request, actor=supporter)
    client.force_login(seeker)
    response = client.post(
        reverse("messaging:share", args=[conversation.pk]), {"details": "07700 900123\x00"}, follow=True
    )
    assert response.status_code == 200
    assert "hidden null character" in response.content.decode()
    assert not Membership.objects.get(conversation=conversation, user=seeker).shares_contact


@pytest.mark.parametrize(
    "body",
    [
        "[" * 5000 + "]" * 5000,
        '{"seeking": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}",
        '{"seeking": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",
    ],
)
@pytest.mark.parametrize(
    "url", ["/api/v1/me/profiles/", "/api/v1/ratings/", "/api/v1/contact-requests/", "/api/v1/reports/"]
)
def test_json_nested_too_deep_is_a_400_on_any_endpoint(api_client, url, body):
    response = api_client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_ordinary_nesting_is_still_accepted(api_client):
    body = {"role": "seeker", "display_name": "Sam", "postcode": "BB1", "seeking": {"roles": ["pa"], "max_km": 10}}
    assert api_client.post("/api/v1/me/profiles/", body, content_type="application/json").status_code == 201
