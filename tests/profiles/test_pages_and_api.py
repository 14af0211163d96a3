from decimal import Decimal

import pytest
from django.urls import reverse

from profiles import services
from profiles.models import Profile
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    """An owner with a draft listing, someone they are connected with, and a stranger."""
    owner, counterpart, stranger = UserFactory(), UserFactory(), UserFactory()
    services.connection_create(a=owner, b=counterpart)
    draft = make_profile(owner, listed=False, role="pa", hourly_rate=Decimal("14.00"))
    return owner, counterpart, stranger, draft


def test_pages_for_someone_elses_listing_answer_404(client, trio):
    owner, counterpart, stranger, draft = trio
    for person in (counterpart, stranger):
        client.force_login(person)
        for name in ("profiles:edit", "profiles:sensitive", "profiles:photo", "profiles:claims", "profiles:remove"):
            assert client.get(reverse(name, args=[draft.pk])).status_code == 404
        assert client.post(reverse("profiles:publish", args=[draft.pk])).status_code == 404
        assert client.get(reverse("profiles:detail", args=[draft.ref])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("profiles:detail", args=[draft.ref])).status_code == 200


def test_the_api_answers_404_for_another_persons_profile(client, trio):
    _owner, _counterpart, stranger, draft = trio
    client.force_login(stranger)
    assert client.get(f"/api/v1/me/profiles/{draft.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/me/profiles/{draft.pk}/", {"about": "x"}, content_type="application/json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/me/profiles/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/register/{draft.ref}/").status_code == 404
    assert client.get("/api/v1/me/profiles/").json() == []
    assert Profile.objects.filter(pk=draft.pk, about="").exists()


def test_private_fields_are_not_in_the_public_api(client, trio):
    owner, counterpart, stranger, draft = trio
    services.consent_give(profile=draft, actor=owner)
    services.sensitive_update(profile=draft, actor=owner, lived_experience=["deaf"], health_details="secret")
    services.profile_publish(profile=draft, actor=owner)
    client.force_login(stranger)
    data = client.get(f"/api/v1/register/{draft.ref}/").json()
    assert "lived_experience" not in data and "health_details" not in data
    assert "secret" not in str(data) and "latitude" not in data
    client.force_login(counterpart)
    assert client.get(f"/api/v1/register/{draft.ref}/").json()["lived_experience"] == ["deaf"]


def test_api_create_with_bad_input_gives_field_errors(client, user):
    client.force_login(user)
    response = client.post(
        "/api/v1/me/profiles/",
        {"role": "pa", "display_name": "Al", "postcode": "nowhere"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "postcode" in response.json()
    response = client.post(
        "/api/v1/me/profiles/",
        {"role": "peer_advisor", "display_name": "Al", "postcode": "BB1", "hourly_rate": "12.00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "volunteers" in response.json()["hourly_rate"][0]


def test_api_creates_and_publishes_through_the_same_services(client, user):
    client.force_login(user)
    created = client.post(
        "/api/v1/me/profiles/",
        {
            "role": "pa",
            "display_name": "Alex B.",
            "postcode": "BB1 2AB",
            "skills": ["personal_care"],
            "hourly_rate": "13.50",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["outcode"] == "BB1"
    published = client.post(f"/api/v1/me/profiles/{created.json()['id']}/publish/")
    assert published.json()["status"] == "listed"


def test_onboarding_then_editing_a_profile_by_form(client, user):
    client.force_login(user)
    response = client.post(
        reverse("profiles:onboarding"), {"role": "pa", "display_name": "Alex B.", "postcode": "BB1 2AB"}
    )
    profile = Profile.objects.get(user=user)
    assert response["Location"] == reverse("profiles:edit", args=[profile.pk])
    form = {
        "display_name": "Alex B.",
        "skills": ["personal_care", "driving"],
        "availability": "monday mornings",
        "hourly_rate": "13.50",
    }
    response = client.post(reverse("profiles:edit", args=[profile.pk]), form)
    assert response.status_code == 200
    assert "is not a time slot" in response.content.decode()
    form["availability"] = "mon 09:00-13:00\nwed 18:00-22:00"
    response = client.post(reverse("profiles:edit", args=[profile.pk]), form)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.availability == ["mon 09:00-13:00", "wed 18:00-22:00"]
    assert profile.hourly_rate == Decimal("13.50")


def test_not_a_postcode_in_onboarding_is_a_form_error_not_a_500(client, user):
    client.force_login(user)
    response = client.post(
        reverse("profiles:onboarding"), {"role": "pa", "display_name": "Alex", "postcode": "the moon"}
    )
    assert response.status_code == 200
    assert "does not look like a UK postcode" in response.content.decode()


def test_browse_finds_a_listing_by_postcode_and_skill(client):
    wanted = make_profile(postcode="BB2", skills=["personal_care"], display_name="Wanted W.")
    make_profile(postcode="BB2", skills=["driving"], display_name="Driver D.")
    make_profile(postcode="TR1", skills=["personal_care"], display_name="Far F.")
    response = client.get(reverse("profiles:browse"), {"postcode": "BB1", "within_km": 16, "skills": ["personal_care"]})
    page = response.content.decode()
    assert "Wanted W." in page and "Driver D." not in page and "Far F." not in page
    assert "about 1 mile away" in page or "about 2 miles away" in page
    assert wanted.ref in page


def test_browse_with_a_bad_postcode_explains_the_problem(client):
    response = client.get(reverse("profiles:browse"), {"postcode": "???"})
    assert response.status_code == 200
    assert "does not look like a UK postcode" in response.content.decode()
    assert client.get("/api/v1/register/", {"postcode": "???"}).status_code == 400


def test_blocking_hides_people_from_each_other_both_ways(client, user, other_user):
    mine = make_profile(user, display_name="Mine M.")
    theirs = make_profile(other_user, display_name="Theirs T.")
    client.force_login(user)
    client.post(reverse("profiles:block", args=[theirs.ref]))
    assert client.get(reverse("profiles:detail", args=[theirs.ref])).status_code == 404
    assert theirs.ref not in client.get(reverse("profiles:browse")).content.decode()
    client.force_login(other_user)
    assert client.get(reverse("profiles:detail", args=[mine.ref])).status_code == 404


def test_coordinators_must_set_up_two_step_verification(client, user):
    services.organisation_add_coordinator(organisation=OrganisationFactory(), user=user)
    client.force_login(user)
    response = client.get(reverse("profiles:dashboard"))
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    assert client.get("/api/v1/me/profiles/").status_code == 403


def test_seekers_do_not_need_two_step_verification(client, user):
    make_profile(user, role="seeker")
    client.force_login(user)
    assert client.get(reverse("profiles:dashboard")).status_code == 200


def test_the_api_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_the_about_the_data_page_has_the_postcode_attribution(client):
    page = client.get(reverse("about-data")).content.decode()
    assert "Contains OS data © Crown copyright and database right" in page
    assert "Open Government Licence v3.0" in page
