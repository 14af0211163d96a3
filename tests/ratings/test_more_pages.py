import pytest
from django.urls import reverse

from profiles.models import OrganisationMembership
from ratings import services
from ratings.models import Appeal, Panel, PanelMember
from tests.factories import OrganisationFactory, UserFactory, make_profile

from .conftest import GOOD, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_setup(db):
    org = OrganisationFactory(name="Pennine Peers")
    panel = Panel.objects.create(name="Pennine Panel", organisation=org, criteria="Reliable, kind, respects choices.")
    members = [with_second_factor(UserFactory()) for _ in range(4)]  # panel members need two-step sign-in
    for member in members:
        PanelMember.objects.create(panel=panel, user=member, kind="employer")
    profile = make_profile(role="broker")
    profile.organisation = org
    profile.save()
    return panel, members, profile


def test_the_badge_page_shows_the_criteria_to_anyone(client, panel_setup):
    panel, _, _ = panel_setup
    page = client.get(reverse("ratings:panel", args=[panel.pk])).content.decode()
    assert "Reliable, kind, respects choices." in page and "vetted" not in page.lower()
    assert "Vote for" not in page


def test_panel_members_propose_and_vote_through_the_pages(client, panel_setup):
    panel, members, profile = panel_setup
    client.force_login(members[0])
    client.post(reverse("ratings:proposal_new", args=[panel.pk, profile.ref]), {"action": "award", "reason": "Great."})
    proposal = panel.proposals.get()
    for member in members[:3]:
        client.force_login(member)
        client.post(reverse("ratings:vote", args=[proposal.pk]), {"vote": "yes"})
    page = client.get(reverse("ratings:panel", args=[panel.pk])).content.decode()
    assert profile.display_name in page and "Agreed" in page


def test_a_stranger_cannot_propose(client, panel_setup):
    panel, _, profile = panel_setup
    client.force_login(UserFactory())
    response = client.post(
        reverse("ratings:proposal_new", args=[panel.pk, profile.ref]), {"action": "award", "reason": "x"}
    )
    assert response.status_code == 404
    assert not panel.proposals.exists()


def test_only_the_supporter_can_open_the_appeal_page(client, panel_setup):
    panel, members, profile = panel_setup
    proposal = services.proposal_create(actor=members[0], panel=panel, profile=profile, action="award", reason="Good.")
    for member in members[:3]:
        services.panel_vote(actor=member, proposal=proposal, in_favour=False)
    url = reverse("ratings:appeal", args=[proposal.pk])
    client.force_login(members[3])
    assert client.get(url).status_code == 404
    client.force_login(profile.user)
    client.post(url, {"grounds": "They had not met me."})
    appeal = Appeal.objects.get()
    client.force_login(members[3])
    page = client.get(reverse("ratings:appeal_decide", args=[appeal.pk])).content.decode()
    assert "They had not met me." in page


def test_pages_render_for_the_people_who_use_them(client, seeker, supporter, engagement, moderator):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    concern = services.safeguarding_report(actor=seeker, about="Worried about a neighbour.")
    client.force_login(seeker)
    for url in [
        reverse("ratings:mine"),
        reverse("ratings:poll", args=[engagement.pk]),
        reverse("ratings:flag", args=[rating.pk]),
        reverse("ratings:safeguarding"),
        reverse("ratings:quality_index"),
        reverse("ratings:panels"),
        reverse("ratings:profile_reviews", args=[engagement.supporter_profile.ref]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url
    shown = client.get(reverse("ratings:edit", args=[rating.pk]))
    assert shown.url == reverse("ratings:detail", args=[rating.pk])  # revealed: no longer changeable
    client.force_login(moderator)
    for url in [
        reverse("ratings:queue"),
        reverse("ratings:concern", args=[concern.pk]),
        reverse("ratings:moderate", args=[rating.pk]),
        reverse("ratings:alerts"),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_safeguarding_acknowledgement_is_for_the_reporter_only(client, seeker, stranger):
    concern = services.safeguarding_report(actor=seeker, about="Worried about a neighbour.")
    client.force_login(stranger)
    assert client.get(reverse("ratings:safeguarding_done", args=[concern.pk])).status_code == 404
    client.force_login(seeker)
    assert client.get(reverse("ratings:safeguarding_done", args=[concern.pk])).status_code == 200


def test_a_moderator_closes_a_concern_with_a_note(client, seeker, moderator):
    concern = services.safeguarding_report(actor=seeker, about="Worried about a neighbour.")
    client.force_login(moderator)
    client.post(reverse("ratings:concern", args=[concern.pk]), {"note": "Referred to the council."})
    concern.refresh_from_db()
    assert (concern.status, concern.closed_by, concern.note) == ("closed", moderator, "Referred to the council.")


def test_the_alerts_page_lists_only_the_coordinators_own_supporters(client, db):
    org = OrganisationFactory()
    coordinator = with_second_factor(UserFactory())
    OrganisationMembership.objects.create(user=coordinator, organisation=org, role="coordinator")
    client.force_login(coordinator)
    assert "No alerts." in client.get(reverse("ratings:alerts")).content.decode()
