"""The peer-support coordinator's workflow: referral, suggestions, proposal, both consent, introduction,
check-ins at 2 and 6 weeks, close or rematch; who may see what; capacity and fairness; the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matching.models import Engagement, Outcome
from messaging.models import Conversation
from peer_support import selectors, services
from peer_support.models import CheckIn, MatchProposal, Referral, ReferralEvent
from profiles.models import Connection
from profiles.services import organisation_add_coordinator, proxy_link_create
from tests.factories import OrganisationFactory, UserFactory, make_profile
from tests.peer_support.people import WEEKDAYS, actions, both_say_yes, peer, propose, seeker_profile

# --- The whole flow -------------------------------------------------------------------------------


def test_a_referral_goes_from_request_to_introduction_to_check_ins_to_close(
    referral, sara, pat, coordinator, django_capture_on_commit_callbacks
):
    suggestions = selectors.referral_suggestions(referral=referral, viewer=coordinator)
    assert [s.profile for s in suggestions.shown] == [pat]
    assert suggestions.shown[0].result.reasons, "a suggestion comes with its reasons"

    proposal = propose(referral, pat, coordinator)
    assert proposal.reasons and Referral.objects.get(pk=referral.pk).status == "proposed"
    with django_capture_on_commit_callbacks(execute=True):
        proposal = both_say_yes(proposal, sara.user, pat.user)

    assert proposal.status == "introduced"
    referral.refresh_from_db()
    assert referral.status == "introduced"
    today = timezone.localdate()
    assert [(c.week, c.due_on) for c in proposal.check_ins.all()] == [
        (2, today + timedelta(weeks=2)),
        (6, today + timedelta(weeks=6)),
    ]

    with time_machine.travel(timezone.now() + timedelta(weeks=2, days=1)):
        due = list(selectors.check_ins_due(viewer=coordinator))
        assert [c.week for c in due] == [2]
        services.check_in_record(
            check_in=due[0], actor=coordinator, how_it_is_going="well", note="They meet on Mondays."
        )
        assert not selectors.check_ins_due(viewer=coordinator).exists()
        services.referral_close(
            referral=referral, actor=coordinator, closing_note="Going well; they no longer need us."
        )

    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closing_note.startswith("Going well")
    assert MatchProposal.objects.get(pk=proposal.pk).status == "ended"
    assert actions(referral) == [
        "requested",
        "proposed",
        "answered_yes",
        "answered_yes",
        "introduced",
        "checked_in",
        "closed",
    ]


def test_the_introduction_opens_a_conversation_and_records_engagement_outcome_and_connection(
    referral, sara, pat, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = both_say_yes(propose(referral, pat, coordinator), sara.user, pat.user)

    conversation = Conversation.objects.get(kind=Conversation.Kind.INTRODUCTION)
    assert conversation.introduced_by == coordinator
    assert set(conversation.memberships.values_list("user_id", flat=True)) == {
        coordinator.pk,
        sara.user_id,
        pat.user_id,
    }
    engagement = Engagement.objects.get(source="coordinator_match", source_ref=f"proposal:{proposal.pk}")
    assert (engagement.seeker, engagement.supporter) == (sara.user, pat.user)
    outcome = Outcome.objects.get(kind="coordinator_match_accepted")
    assert outcome.label == 1.0 and outcome.supporter_profile == pat
    assert Connection.between(sara.user_id, pat.user_id).exists()


def test_no_conversation_is_opened_before_both_say_yes(
    referral, sara, pat, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(proposal=propose(referral, pat, coordinator), actor=sara.user, answer="yes")
    assert not Conversation.objects.exists()
    assert Referral.objects.get(pk=referral.pk).status == "proposed"


def test_a_no_from_either_person_ends_the_proposal_and_the_referral_waits_again(referral, sara, pat, coordinator):
    proposal = propose(referral, pat, coordinator)
    services.proposal_answer(proposal=proposal, actor=sara.user, answer="yes")
    services.proposal_answer(proposal=proposal, actor=pat.user, answer="no")

    proposal.refresh_from_db()
    referral.refresh_from_db()
    assert proposal.status == "declined" and referral.status == "waiting"
    assert Outcome.objects.get().label == 0.0
    assert not Engagement.objects.exists()
    with pytest.raises(ValidationError, match="already declined"):
        services.proposal_answer(proposal=proposal, actor=sara.user, answer="yes")
    left_out = selectors.referral_suggestions(referral=referral, viewer=coordinator).left_out
    assert [(x.profile, x.reason) for x in left_out] == [(pat, "already proposed for this referral")]


def test_rematch_ends_the_introduced_match_and_a_new_proposal_can_follow(
    referral, sara, pat, organisation, coordinator
):
    other = peer("Olu Other", organisation, postcode="BB2")
    both_say_yes(propose(referral, pat, coordinator), sara.user, pat.user)
    services.referral_rematch(referral=referral, actor=coordinator)
    referral.refresh_from_db()
    assert referral.status == "waiting"
    assert Engagement.objects.get().ended_at is not None

    second = propose(referral, other, coordinator)
    assert second.status == "proposed"
    assert actions(referral)[-2:] == ["rematch", "proposed"]


def test_a_proxy_can_ask_and_answer_for_the_seeker(sara, pat, organisation, coordinator):
    helper = UserFactory(preferred_name="Hana Helper")
    proxy_link_create(seeker=sara.user, proxy_email=helper.email)
    referral = services.referral_create(
        actor=helper, seeker_profile=sara, organisation=organisation, what_would_help=""
    )
    proposal = propose(referral, pat, coordinator)
    services.proposal_answer(proposal=proposal, actor=helper, answer="yes")
    assert MatchProposal.objects.get(pk=proposal.pk).seeker_answer == "yes"
    assert ReferralEvent.objects.filter(referral=referral, action="requested").get().actor == helper


def test_it_rejects_a_second_open_request_to_the_same_organisation(referral, sara, organisation):
    with pytest.raises(ValidationError, match="already asked"):
        services.referral_create(
            actor=sara.user, seeker_profile=sara, organisation=organisation, what_would_help="Again"
        )


def test_it_rejects_closing_without_a_note_and_rematching_with_nothing_to_end(referral, coordinator):
    with pytest.raises(ValidationError) as error:
        services.referral_close(referral=referral, actor=coordinator, closing_note="  ")
    assert "closing_note" in error.value.message_dict
    with pytest.raises(ValidationError, match="no match to end"):
        services.referral_rematch(referral=referral, actor=coordinator)


# --- Capacity and fairness ------------------------------------------------------------------------


def test_a_volunteer_best_for_everyone_is_not_suggested_once_their_places_are_taken(organisation, coordinator):
    star = peer("Star", organisation, capacity=2)
    good = peer("Good", organisation, postcode="PR1", interests=["football"])
    seekers = [seeker_profile(f"Seeker {i}") for i in range(3)]
    referrals = [
        services.referral_create(actor=s.user, seeker_profile=s, organisation=organisation, what_would_help="")
        for s in seekers
    ]

    for referral in referrals[:2]:
        top = selectors.referral_suggestions(referral=referral, viewer=coordinator).shown[0]
        assert top.profile == star
        propose(referral, star, coordinator)

    found = selectors.referral_suggestions(referral=referrals[2], viewer=coordinator)
    assert found.shown[0].profile == good
    assert [(x.profile, x.reason) for x in found.left_out] == [(star, "has 2 of 2 places taken, so has no room")]
    with pytest.raises(ValidationError, match="no places left"):
        propose(referrals[2], star, coordinator)


def test_a_popular_volunteer_recently_proposed_gives_way_to_an_almost_as_good_one(organisation, coordinator):
    popular = peer("Popular", organisation, capacity=5)
    nearly = peer("Nearly", organisation, postcode="BB2")
    earlier = [seeker_profile(f"Earlier {i}") for i in range(3)]
    newcomer = seeker_profile("Newcomer")
    for s in earlier:
        referral = services.referral_create(
            actor=s.user, seeker_profile=s, organisation=organisation, what_would_help=""
        )
        services.proposal_answer(proposal=propose(referral, popular, coordinator), actor=s.user, answer="no")
    referral = services.referral_create(
        actor=newcomer.user, seeker_profile=newcomer, organisation=organisation, what_would_help=""
    )

    shown = selectors.referral_suggestions(referral=referral, viewer=coordinator).shown
    assert [s.profile for s in shown] == [nearly, popular]
    assert shown[1].rank == 1, "before the fairness adjustment the popular volunteer ranked first"
    assert shown[1].result.score > shown[0].result.score
    assert shown[1].places == "has 0 of 5 places taken"
    assert shown[1].recent_note == "proposed 3 times in the last 30 days"


def test_load_is_shown_honestly(referral, sara, pat, organisation, coordinator):
    other_seeker = seeker_profile("Second")
    second = services.referral_create(
        actor=other_seeker.user, seeker_profile=other_seeker, organisation=organisation, what_would_help=""
    )
    propose(referral, pat, coordinator)
    suggestion = selectors.referral_suggestions(referral=second, viewer=coordinator).shown[0]
    assert suggestion.profile == pat and suggestion.places == "has 1 of 2 places taken"
    assert suggestion.as_dict()["fairness"] == "has 1 of 2 places taken; proposed 1 time in the last 30 days"


def test_suggestions_come_only_from_the_organisations_own_peer_advisors_when_it_has_some(referral, pat, coordinator):
    outsider = peer("Outsider", OrganisationFactory(name="Elsewhere"))
    shown = [s.profile for s in selectors.referral_suggestions(referral=referral, viewer=coordinator).shown]
    assert pat in shown and outsider not in shown


def test_an_organisation_without_peer_advisors_is_offered_everyones(sara, coordinator, organisation):
    outsider = peer("Outsider", OrganisationFactory(name="Elsewhere"))
    referral = services.referral_create(
        actor=sara.user, seeker_profile=sara, organisation=organisation, what_would_help=""
    )
    assert [s.profile for s in selectors.referral_suggestions(referral=referral, viewer=coordinator).shown] == [
        outsider
    ]


def test_experience_shared_only_with_the_coordinator_counts_for_them_but_is_not_named_to_the_two_people(
    organisation, coordinator
):
    seeker = make_profile(
        UserFactory(), role="seeker", postcode="BB1", lived_experience=["direct_payments"], availability=WEEKDAYS
    )
    private = peer("Private", organisation, lived_experience=["direct_payments"], lived_experience_visibility="private")
    referral = services.referral_create(
        actor=seeker.user, seeker_profile=seeker, organisation=organisation, what_would_help=""
    )

    top = selectors.referral_suggestions(referral=referral, viewer=coordinator).shown[0]
    assert top.profile == private and "both managed a direct payment" in top.result.reasons
    proposal = propose(referral, private, coordinator)
    assert proposal.reasons and not any("direct payment" in r for r in proposal.reasons)


# --- Permissions -----------------------------------------------------------------------------------


def test_only_a_coordinator_of_the_organisation_can_propose_record_or_close(referral, pat, sara, other_coordinator):
    for outsider in (other_coordinator, sara.user, pat.user):
        with pytest.raises(PermissionDenied):
            propose(referral, pat, outsider)
        with pytest.raises(PermissionDenied):
            services.referral_close(referral=referral, actor=outsider, closing_note="No")


def test_only_the_two_people_can_answer(referral, pat, coordinator, other_coordinator):
    proposal = propose(referral, pat, coordinator)
    for outsider in (coordinator, other_coordinator, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.proposal_answer(proposal=proposal, actor=outsider, answer="yes")


def test_each_person_sees_only_their_own_pages(client, referral, sara, pat, coordinator, other_coordinator):
    proposal = propose(referral, pat, coordinator)
    referral_url = reverse("peer_support:coordinator-referral", args=[referral.pk])
    proposal_url = reverse("peer_support:proposal-detail", args=[proposal.pk])
    expected = {
        coordinator: {referral_url: 200, proposal_url: 404},
        other_coordinator: {referral_url: 404, proposal_url: 404},
        sara.user: {referral_url: 404, proposal_url: 200},
        pat.user: {referral_url: 404, proposal_url: 200},
        UserFactory(): {referral_url: 404, proposal_url: 404},
    }
    for user, pages in expected.items():
        client.force_login(user)
        for url, status in pages.items():
            assert client.get(url).status_code == status, (str(user), url)


def test_a_coordinator_without_two_step_verification_is_sent_to_set_it_up(client, organisation):
    user = UserFactory()
    organisation_add_coordinator(organisation=organisation, user=user)
    client.force_login(user)
    assert "/accounts/2fa/" in client.get(reverse("peer_support:coordinator-queue"))["Location"]


# --- Pages ------------------------------------------------------------------------------------------


def test_the_pages_take_the_whole_journey(
    client, sara, pat, organisation, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(sara.user)
    form = client.get(reverse("peer_support:referral-create"))
    assert b"do not include health details" in form.content
    response = client.post(
        reverse("peer_support:referral-create"),
        {
            "seeker_profile": sara.pk,
            "organisation": organisation.pk,
            "what_would_help": "Help with paperwork.",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()

    client.force_login(coordinator)
    queue = client.get(reverse("peer_support:coordinator-queue")).content.decode()
    assert "Sara" in queue and "Pat Peer" in queue
    page = client.get(reverse("peer_support:coordinator-referral", args=[referral.pk])).content.decode()
    assert "Help with paperwork." in page and "has 0 of 2 places taken" in page
    client.post(reverse("peer_support:coordinator-propose", args=[referral.pk]), {"supporter": pat.ref})
    proposal = MatchProposal.objects.get()

    for person in (sara.user, pat.user):
        client.force_login(person)
        page = client.get(reverse("peer_support:proposal-detail", args=[proposal.pk])).content.decode()
        assert "Your proposed peer match" in page and proposal.reasons[0][:1].upper() + proposal.reasons[0][1:] in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("peer_support:proposal-detail", args=[proposal.pk]), {"answer": "yes"})

    client.force_login(coordinator)
    page = client.get(reverse("peer_support:coordinator-referral", args=[referral.pk])).content.decode()
    assert "Introduced" in page and "Week 2 check-in" in page and "Week 6 check-in" in page
    check_in = CheckIn.objects.get(week=2)
    bad = client.post(reverse("peer_support:coordinator-check-in", args=[check_in.pk]), {"how_it_is_going": "fine"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content
    client.post(
        reverse("peer_support:coordinator-check-in", args=[check_in.pk]), {"how_it_is_going": "well", "note": "Good"}
    )
    assert CheckIn.objects.get(pk=check_in.pk).how_it_is_going == "well"
    empty = client.post(reverse("peer_support:coordinator-close", args=[referral.pk]), {"closing_note": ""})
    assert empty.status_code == 200 and b"There is a problem" in empty.content
    client.post(reverse("peer_support:coordinator-close", args=[referral.pk]), {"closing_note": "All done."})
    page = client.get(reverse("peer_support:coordinator-referral", args=[referral.pk])).content.decode()
    assert "Closed the referral." in page and "Week 2 check-in: Going well." in page


def test_what_would_help_is_not_written_to_the_log(client, caplog, sara, pat, organisation, coordinator):
    client.force_login(sara.user)
    client.post(
        reverse("peer_support:referral-create"),
        {
            "seeker_profile": sara.pk,
            "organisation": organisation.pk,
            "what_would_help": "UNIQUE-WORDS-123",
        },
    )
    client.force_login(coordinator)
    client.get(reverse("peer_support:coordinator-queue"))
    assert "UNIQUE-WORDS-123" not in caplog.text
    assert not ReferralEvent.objects.filter(detail__contains="UNIQUE").exists()


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_runs_the_flow_through_the_same_services(
    client, referral, sara, pat, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    queue = client.get("/api/v1/coordinator/referrals/").json()
    assert [r["id"] for r in queue["referrals"]] == [referral.pk]
    suggestions = client.get(f"/api/v1/coordinator/referrals/{referral.pk}/suggestions/").json()
    assert suggestions["suggestions"][0]["ref"] == pat.ref and suggestions["suggestions"][0]["reasons"]
    created = client.post(
        f"/api/v1/coordinator/referrals/{referral.pk}/proposals/",
        {"supporter": pat.ref},
        content_type="application/json",
    )
    assert created.status_code == 201
    proposal_id = created.json()["id"]

    for person in (sara.user, pat.user):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            answered = client.post(
                f"/api/v1/peer-support/proposals/{proposal_id}/answer/",
                {"answer": "yes"},
                content_type="application/json",
            )
        assert answered.status_code == 200
    assert answered.json()["status"] == "introduced"

    client.force_login(coordinator)
    check_in = CheckIn.objects.get(week=2)
    recorded = client.post(
        f"/api/v1/coordinator/check-ins/{check_in.pk}/",
        {"how_it_is_going": "mixed", "note": "Slow start"},
        content_type="application/json",
    )
    assert recorded.status_code == 200 and recorded.json()["how_it_is_going"] == "mixed"
    closed = client.post(
        f"/api/v1/coordinator/referrals/{referral.pk}/close/", {"closing_note": "Done"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed"


def test_the_api_answers_400_with_field_errors_for_bad_input(client, referral, coordinator):
    client.force_login(coordinator)
    bad = client.post(
        f"/api/v1/coordinator/referrals/{referral.pk}/proposals/",
        {"supporter": "nobody-here"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "No peer advisor has that reference" in bad.json()["supporter"][0]
    bad = client.post(f"/api/v1/coordinator/referrals/{referral.pk}/close/", {}, content_type="application/json")
    assert bad.status_code == 400 and "closing_note" in bad.json()
    seeker_profile_of_someone = seeker_profile("Not a peer")
    bad = client.post(
        f"/api/v1/coordinator/referrals/{referral.pk}/proposals/",
        {"supporter": seeker_profile_of_someone.ref},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "supporter" in bad.json()


def test_the_api_hides_another_organisations_referral(client, referral, pat, sara, other_coordinator, coordinator):
    proposal = propose(referral, pat, coordinator)
    client.force_login(other_coordinator)
    assert client.get(f"/api/v1/coordinator/referrals/{referral.pk}/suggestions/").status_code == 404
    assert (
        client.post(
            f"/api/v1/coordinator/referrals/{referral.pk}/close/",
            {"closing_note": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get("/api/v1/coordinator/referrals/").json()["referrals"] == []
    client.force_login(UserFactory())
    assert (
        client.post(
            f"/api/v1/peer-support/proposals/{proposal.pk}/answer/", {"answer": "yes"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/coordinator/referrals/").status_code == 404


def test_a_person_can_ask_for_a_peer_advisor_through_the_api(client, sara, organisation):
    client.force_login(sara.user)
    made = client.post(
        "/api/v1/peer-support/referrals/",
        {"seeker_profile": sara.pk, "organisation": organisation.pk, "what_would_help": "Paperwork"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "waiting"
    client.force_login(UserFactory())
    theirs = client.post(
        "/api/v1/peer-support/referrals/",
        {"seeker_profile": sara.pk, "organisation": organisation.pk},
        content_type="application/json",
    )
    assert theirs.status_code == 400 and "seeker_profile" in theirs.json()


def test_experience_not_shared_with_both_is_left_out_of_the_proposal_in_any_language(organisation, coordinator):
    """The reasons are translated, so the filter cannot go by the English words: it goes by what each
    reason is made of. A coordinator working in Welsh proposes the same private match."""
    from django.utils import translation

    from matching.scoring.explain import Reason

    seeker = make_profile(
        UserFactory(), role="seeker", postcode="BB1", lived_experience=["direct_payments"], availability=WEEKDAYS
    )
    private = peer("Private", organisation, lived_experience=["direct_payments"], lived_experience_visibility="private")
    referral = services.referral_create(
        actor=seeker.user, seeker_profile=seeker, organisation=organisation, what_would_help=""
    )
    with translation.override("cy"):
        top = selectors.referral_suggestions(referral=referral, viewer=coordinator).shown[0]
        lived = [r for r in top.result.reasons if isinstance(r, Reason) and r.kind == "lived"]
        assert top.profile == private and lived, "the coordinator sees the shared experience counted"
        proposal = propose(referral, private, coordinator)
    assert proposal.reasons and not any(r in proposal.reasons for r in lived)
    assert len(proposal.reasons) == len(top.result.reasons) - len(lived)
