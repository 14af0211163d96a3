from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from matching.quality import quality_for
from profiles.models import OrganisationMembership
from profiles.privacy import user_delete, user_export_data
from ratings import selectors, services
from ratings.models import Badge, Panel, PanelMember, Rating
from tests.factories import OrganisationFactory, UserFactory, make_profile

from .conftest import GOOD, engage

pytestmark = pytest.mark.django_db


def rate_n(profile, overalls, both_sides=True):
    """Each score from a different seeker; the supporter rates back so the rating is revealed."""
    for overall in overalls:
        seeker = UserFactory()
        engagement = engage(seeker, profile)
        services.rating_create(actor=seeker, engagement=engagement, data={**GOOD, "overall": overall})
        if both_sides:
            services.rating_create(actor=profile.user, engagement=engagement, data=GOOD)


def published(profile):
    Rating.objects.filter(rated_profile=profile).update(status=Rating.Status.PUBLISHED)


def test_better_rated_supporters_come_first_in_the_quality_factor(db):
    liked, less_liked = make_profile(role="pa"), make_profile(role="pa")
    rate_n(liked, [5, 5, 5])
    rate_n(less_liked, [3, 3, 3])
    quality = quality_for([less_liked.pk, liked.pk])
    assert quality[liked.pk].score > quality[less_liked.pk].score
    assert quality[liked.pk].count == 3


def test_a_newcomer_sits_at_the_prior_not_below_everyone_with_one_rating(db):
    newcomer, one_low, one_high = make_profile(role="pa"), make_profile(role="pa"), make_profile(role="pa")
    rate_n(one_low, [3])
    rate_n(one_high, [5])
    q = quality_for([newcomer.pk, one_low.pk, one_high.pk])
    assert q[newcomer.pk] == (0.5, 0)
    assert q[one_low.pk].score < q[newcomer.pk].score < q[one_high.pk].score


def test_only_published_and_revealed_ratings_count(db):
    profile = make_profile(role="pa")
    rate_n(profile, [4], both_sides=False)  # still blind
    rate_n(profile, [1])  # waiting for a moderator
    assert quality_for([profile.pk])[profile.pk].count == 0
    assert selectors.summary_for(profile).label == "New to the register: no ratings yet"


def test_the_summary_says_the_bayesian_average_and_the_count(db):
    profile = make_profile(role="pa")
    rate_n(profile, [5] * 12)
    # (5 * 4.0 + 12 * 5) / 17 = 4.705...
    assert selectors.summary_for(profile).label == "4.7 out of 5 from 12 ratings"


def test_poll_results_are_hidden_below_ten_answers(db):
    profile = make_profile(role="pa", postcode="BB1")
    for _i in range(9):
        seeker = UserFactory()
        services.poll_answer(actor=seeker, engagement=engage(seeker, profile), answer="yes")
    assert selectors.area_quality("BB", "pa")["poll"] is None
    seeker = UserFactory()
    services.poll_answer(actor=seeker, engagement=engage(seeker, profile), answer="no")
    poll = selectors.area_quality("BB", "pa")["poll"]
    assert [(row["answer"], row["count"]) for row in poll] == [("Yes", 9), ("No", 1), ("Not sure", 0)]


def test_only_the_seeker_answers_the_poll_once(seeker, supporter, engagement):
    with pytest.raises(PermissionDenied):
        services.poll_answer(actor=supporter, engagement=engagement, answer="yes")
    services.poll_answer(actor=seeker, engagement=engagement, answer="yes")
    with pytest.raises(ValidationError):
        services.poll_answer(actor=seeker, engagement=engagement, answer="no")


def test_a_sharp_fall_shows_in_the_coordinators_alerts(db):
    org = OrganisationFactory()
    coordinator = UserFactory()
    OrganisationMembership.objects.create(user=coordinator, organisation=org, role="coordinator")
    profile = make_profile(role="pa")
    profile.organisation = org
    profile.save()
    for overall in [5, 5, 5]:
        with time_machine.travel("2026-01-01"):
            rate_n(profile, [overall])
    with time_machine.travel("2026-02-01"):
        rate_n(profile, [3, 3, 3])
    published(profile)
    alerts = selectors.alerts_for(coordinator)
    assert [a.profile for a in alerts] == [profile]
    assert "fallen" in alerts[0].reasons[0]
    assert selectors.alerts_for(UserFactory()) == []


def test_two_flagged_reviews_show_in_a_moderators_alerts(db, moderator):
    profile = make_profile(role="pa")
    rate_n(profile, [4, 4])
    flagger = UserFactory()
    for rating in Rating.objects.filter(rated_profile=profile):
        services.rating_flag(actor=flagger, rating=rating, reason="untrue")
    alerts = selectors.alerts_for(moderator)
    assert [a.profile for a in alerts] == [profile]


def make_panel(size=4):
    org = OrganisationFactory(name="Blackburn Peer Network")
    panel = Panel.objects.create(
        name="Blackburn Peer Panel", organisation=org, criteria="Turns up, listens, respects choices."
    )
    members = [UserFactory() for _ in range(size)]
    for member in members:
        PanelMember.objects.create(panel=panel, user=member, kind="peer_advisor")
    profile = make_profile(role="pa")
    profile.organisation = org
    profile.save()
    return panel, members, profile


def test_a_badge_needs_a_majority_of_the_panel_with_a_quorum(db):
    panel, members, profile = make_panel(size=4)
    proposal = services.proposal_create(actor=members[0], panel=panel, profile=profile, action="award", reason="Great.")
    services.panel_vote(actor=members[0], proposal=proposal, in_favour=True)
    services.panel_vote(actor=members[1], proposal=proposal, in_favour=True)
    assert not Badge.objects.exists()
    services.panel_vote(actor=members[2], proposal=proposal, in_favour=True)
    badge = Badge.objects.get()
    assert badge.panel == panel and badge.profile == profile


def test_a_refusal_can_be_appealed_and_decided_by_someone_who_did_not_vote(db, moderator):
    panel, members, profile = make_panel(size=5)
    proposal = services.proposal_create(actor=members[0], panel=panel, profile=profile, action="award", reason="Good.")
    for member in members[:3]:
        services.panel_vote(actor=member, proposal=proposal, in_favour=False)
    proposal.refresh_from_db()
    assert proposal.outcome == "refused"
    appeal = services.appeal_create(actor=profile.user, proposal=proposal, grounds="They did not read my references.")
    with pytest.raises(PermissionDenied):
        services.appeal_decide(actor=members[1], appeal=appeal, decision="upheld", note="I voted, so I should not.")
    services.appeal_decide(actor=members[4], appeal=appeal, decision="upheld", note="References are strong.")
    assert Badge.objects.filter(profile=profile, withdrawn_at__isnull=True).exists()


def test_the_summary_include_names_the_panel_and_date_and_never_says_vetted(client, db):
    panel, _members, profile = make_panel(size=3)
    with time_machine.travel(datetime(2026, 4, 2, 12, tzinfo=UTC)):
        Badge.objects.create(panel=panel, profile=profile)
    from django.template.loader import render_to_string

    html = render_to_string("ratings/includes/summary.html", {"profile": profile})
    assert "Community recommended by Blackburn Peer Panel on 2 April 2026" in html
    assert "New to the register" in html
    assert "vetted" not in html.lower()


def test_the_export_lists_ratings_given_and_received(seeker, supporter, engagement):
    services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    data = user_export_data(seeker)["ratings"]
    assert data["ratings_given"][0]["comment"] == "Kind and on time."
    assert len(data["ratings_received"]) == 1


def test_a_deleted_raters_scores_stay_but_their_words_go(seeker, supporter_profile, engagement):
    services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    services.rating_create(actor=supporter_profile.user, engagement=engagement, data=GOOD)
    user_delete(user=seeker, actor=seeker)
    kept = Rating.objects.get(rated_profile=supporter_profile)
    assert (kept.rater, kept.comment, kept.overall) == (None, "", 5)
    assert kept.attributed_to == "A former member"
    assert selectors.summary_for(supporter_profile).count == 1


def test_the_whole_register_read_gives_each_listing_the_quality_the_per_id_read_gives(db):
    """The index build reads every rated listing in one grouped query; unrated listings are neutral."""
    from matching import live
    from matching.quality import NEUTRAL, quality_known

    liked, mixed, newcomer, blind = (make_profile(role="pa") for _ in range(4))
    rate_n(liked, [5, 5, 4])
    rate_n(mixed, [2, 4])
    rate_n(blind, [5], both_sides=False)  # not revealed yet: does not count
    published(liked)
    published(mixed)
    published(blind)
    every = quality_known()
    ids = [liked.pk, mixed.pk, newcomer.pk, blind.pk]
    per_id = quality_for(ids)
    assert {pid: every.get(pid, NEUTRAL) for pid in ids} == per_id
    assert newcomer.pk not in every and blind.pk not in every
    assert per_id[liked.pk].count == 3 and per_id[liked.pk].score > 0.5

    index = live.get_index()
    held = index.qualities(ids)
    assert held[liked.pk] == pytest.approx(tuple(per_id[liked.pk]), rel=1e-6)
    assert held[newcomer.pk] == pytest.approx(tuple(NEUTRAL))
