"""One page lists every open moderation case from both systems (message reports and reviews waiting
for a moderator), oldest first, each linking to its own case page; nobody but a moderator sees it."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from messaging import services as messaging_services
from ratings import services as ratings_services
from tests.factories import UserFactory, make_profile
from tests.ratings.conftest import LOW, engage

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = UserFactory(preferred_name="Mo Moderator", is_moderator=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def test_one_page_lists_message_reports_and_reviews_waiting(client, moderator):
    seeker = UserFactory(preferred_name="Amira Khan")
    supporter_profile = make_profile(UserFactory(preferred_name="Ben Lowe"), role="pa", postcode="BB1")
    report = messaging_services.report_create(reporter=seeker, reason="money", reported_user=supporter_profile.user)
    rating = ratings_services.rating_create(actor=seeker, engagement=engage(seeker, supporter_profile), data=LOW)
    url = reverse("moderation-all")

    for person in (seeker, supporter_profile.user, UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404

    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert f"Message report: Case {report.pk}" in page
    assert reverse("messaging:moderation-case", args=[report.pk]) in page
    assert "Asking for money" in page
    assert f"Review: Review {rating.pk} of {supporter_profile.display_name}" in page
    assert reverse("ratings:moderate", args=[rating.pk]) in page
    assert page.index(f"Case {report.pk}") < page.index(f"Review {rating.pk}")  # oldest first

    # A case decided in its own system leaves this page too.
    client.post(reverse("messaging:moderation-case", args=[report.pk]), {"action": "close", "note": "Sorted."})
    client.post(reverse("ratings:moderate", args=[rating.pk]), {"decision": "publish", "note": "Fair."})
    page = client.get(url).content.decode()
    assert "No open cases." in page


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("moderation-all"))
    assert response.status_code == 302 and "login" in response["Location"]
