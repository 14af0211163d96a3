"""The page a reporter's "A moderator has looked at your report" notification opens says that a moderator
has looked (and whether they acted or closed the case), not "our safety team will look at it"; it never
shows the moderator's audit note or the action taken on the other person's account."""

import pytest
from django.urls import reverse

from messaging import services
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

NOTE = "Warned them about asking for card details."


@pytest.fixture
def report():
    reported = make_profile(UserFactory(preferred_name="Ben Lowe"), role="pa", display_name="Ben L.").user
    return services.report_create(reporter=UserFactory(), reason="money", reported_user=reported, details="Card.")


def _page(client, report) -> str:
    client.force_login(report.reporter)
    response = client.get(reverse("messaging:report-thanks", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_open_report_says_the_safety_team_will_look_at_it(client, report):
    page = _page(client, report)
    assert "Thank you for your report" in page and "Our safety team will look at it." in page
    assert "A moderator has looked at your report" not in page


@pytest.mark.parametrize(
    ("action", "outcome"), [("warn", "They took action on it."), ("close", "They closed the case.")]
)
def test_after_a_moderator_acts_the_page_says_so_without_the_note_or_the_action(client, report, action, outcome):
    services.report_act(report=report, moderator=UserFactory(is_moderator=True), action=action, note=NOTE)
    page = _page(client, report)
    assert "A moderator has looked at your report" in page and outcome in page
    assert "will look at it" not in page
    assert NOTE not in page and "Warned" not in page


def test_someone_else_cannot_read_the_outcome(client, report):
    services.report_act(report=report, moderator=UserFactory(is_moderator=True), action="close")
    client.force_login(UserFactory())
    assert client.get(reverse("messaging:report-thanks", args=[report.pk])).status_code == 404
