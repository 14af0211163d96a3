"""Bad input anywhere gets a clear answer (a form error, 400 or 404), never a server error."""

import pytest

from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

JUNK = ["abc", "-1", "99999999999999999999", "%00", "<script>", "1.5", ""]

PAGES = [
    "/register/?postcode={v}&within_km={v}&max_rate={v}&sort={v}&page={v}&day={v}",
    "/matches/?role={v}&max_km={v}&max_rate={v}&language={v}&sort={v}&weight_locality={v}&for={v}",
    "/matches/why-not/?ref={v}",
    "/adverts/?profile={v}",
    "/shortlist/?page={v}",
    "/messages/?before={v}",
    "/bookings/?page={v}",
    "/quality/{v}/{v}/",
    "/ratings/?page={v}",
    "/peer-support/?page={v}",
]
API = [
    "/api/v1/register/?postcode={v}&within_km={v}&max_rate={v}&page={v}",
    "/api/v1/matches/?top={v}&weights={v}&profile={v}&role={v}",
    "/api/v1/matches/why-not/?ref={v}",
    "/api/v1/adverts/?profile={v}",
    "/api/v1/conversations/?page={v}",
    "/api/v1/me/profiles/?page={v}",
]


@pytest.fixture
def seeker_client(client):
    user = UserFactory()
    make_profile(user, role="seeker", seeking={"roles": ["pa"], "max_km": 10})
    make_profile(role="pa", skills=["personal_care"])
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", JUNK)
def test_junk_query_parameters_never_cause_a_server_error(seeker_client, value):
    for template in PAGES + API:
        url = template.format(v=value)
        response = seeker_client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"


@pytest.mark.parametrize(
    "body", [{}, {"role": "nonsense"}, {"hourly_rate": "lots"}, {"postcode": None}, {"skills": "not-a-list"}]
)
def test_junk_api_bodies_get_field_errors(seeker_client, body):
    response = seeker_client.post("/api/v1/me/profiles/", body, content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()
