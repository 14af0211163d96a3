"""Consent, pausing and blocking take effect at once; exclusions are explained in words."""

from decimal import Decimal

import pytest
from django.http import Http404

from matching import live, services
from profiles import services as profile_services
from tests.factories import make_profile


def _refs(seeker, **kwargs):
    return [r.ref for r in services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, top=100, **kwargs)]


@pytest.fixture
def advisor_and_seeker(busy_register, seeker_user):
    advisor = make_profile(
        role="peer_advisor",
        postcode="BB1",
        travel_km=20,
        lived_experience=["visual_impairment"],
        lived_experience_visibility="signed_in",
    )
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", lived_experience=["visual_impairment"], seeking={"max_km": 20}
    )
    return advisor, seeker


def test_withdrawing_consent_removes_lived_experience_from_matching_at_once(
    advisor_and_seeker, django_capture_on_commit_callbacks
):
    advisor, seeker = advisor_and_seeker
    before = services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user)
    assert before[0].ref == advisor.ref and "both visually impaired" in before[0].reasons
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.consent_withdraw(profile=advisor, actor=advisor.user)
    index = live.get_index()
    assert index.candidate_at(index.row_for(advisor.pk)).lived == frozenset()
    after = {r.ref: r for r in services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, top=100)}
    assert after[advisor.ref].factors["lived_experience"] == 0
    assert not any("visually impaired" in reason for reason in after[advisor.ref].reasons)


def test_lived_experience_hidden_from_the_viewer_neither_counts_nor_is_named(busy_register, seeker_user):
    hidden = make_profile(
        role="peer_advisor",
        postcode="BB1",
        travel_km=20,
        lived_experience=["spinal_injury"],
        lived_experience_visibility="connections",
    )
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", lived_experience=["spinal_injury"], seeking={"max_km": 20}
    )
    result = next(
        r
        for r in services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, top=100)
        if r.ref == hidden.ref
    )
    assert result.factors["lived_experience"] == 0
    assert not any("spinal" in reason.lower() or "experience" in reason for reason in result.reasons)
    profile_services.connection_create(a=hidden.user, b=seeker.user)
    result = next(
        r
        for r in services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, top=100)
        if r.ref == hidden.ref
    )
    assert result.factors["lived_experience"] > 0


def test_a_paused_profile_disappears_from_results_at_once(advisor_and_seeker, django_capture_on_commit_callbacks):
    advisor, seeker = advisor_and_seeker
    assert advisor.ref in _refs(seeker)
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.profile_pause(profile=advisor, actor=advisor.user)
    assert advisor.ref not in _refs(seeker)


def test_draft_profiles_never_appear(busy_register, seeker_user):
    draft = make_profile(role="pa", postcode="BB1", travel_km=20, listed=False)
    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 20})
    assert draft.ref not in _refs(seeker)


@pytest.mark.parametrize("who_blocks", ["seeker", "supporter"])
def test_blocked_people_never_appear_in_each_others_results(advisor_and_seeker, who_blocks):
    advisor, seeker = advisor_and_seeker
    blocker, blocked = (seeker.user, advisor.user) if who_blocks == "seeker" else (advisor.user, seeker.user)
    profile_services.block_create(blocker=blocker, blocked=blocked)
    assert advisor.ref not in _refs(seeker)
    with pytest.raises(Http404):
        services.match_explain_exclusion(seeker_profile=seeker, viewer=seeker.user, ref=advisor.ref)


def test_the_exclusion_explanation_names_the_filter(busy_register, seeker_user):
    dear = make_profile(role="pa", postcode="BB1", travel_km=20, hourly_rate=Decimal("21.00"))
    far = make_profile(role="pa", postcode="PR1", travel_km=50, hourly_rate=Decimal("12.00"))
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 10, "max_rate_gbp": 16, "roles": ["pa"]}
    )
    dear_why = services.match_explain_exclusion(seeker_profile=seeker, viewer=seeker.user, ref=dear.ref)
    far_why = services.match_explain_exclusion(seeker_profile=seeker, viewer=seeker.user, ref=far.ref)
    assert dear_why.excluded and dear_why.reasons == ["They charge £21 an hour, over your £16 limit."]
    assert (
        far_why.excluded
        and far_why.reasons[0].startswith("They are about")
        and "beyond the 10 km you set" in far_why.reasons[0]
    )


def test_a_must_language_filters_and_is_explained(busy_register, seeker_user):
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", seeking={"languages": ["pl"], "must": ["languages"], "max_km": 30}
    )
    speaker = make_profile(role="pa", postcode="BB2", travel_km=30, languages=["pl"])
    assert _refs(seeker) == [speaker.ref]
    why = services.match_explain_exclusion(seeker_profile=seeker, viewer=seeker.user, ref=busy_register[0].ref)
    assert why.reasons == ["You asked for someone who speaks Polish, and they do not list it."]


def test_two_supporters_who_differ_only_in_quality_are_ordered_by_it_and_a_newcomer_is_not_buried(
    busy_register, seeker_user, monkeypatch
):
    from matching import quality
    from matching.quality import Quality, register_quality_provider

    # The ratings app's providers come back after this test (monkeypatch restores them).
    monkeypatch.setattr(quality, "_provider", quality._provider)
    monkeypatch.setattr(quality, "_every", quality._every)

    same = {
        "role": "pa",
        "postcode": "BB1",
        "travel_km": 20,
        "skills": ["personal_care"],
        "hourly_rate": Decimal("14.00"),
        "languages": ["en"],
    }
    good, poor, newcomer = make_profile(**same), make_profile(**same), make_profile(**same)
    ratings = {good.pk: Quality(0.8, 1), poor.pk: Quality(0.3, 1)}
    register_quality_provider(lambda ids: {pk: ratings[pk] for pk in ids if pk in ratings})
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", seeking={"skills": ["personal_care"], "max_km": 20}
    )
    order = _refs(seeker)
    assert order.index(good.ref) < order.index(newcomer.ref) < order.index(poor.ref)


def test_a_seeker_cannot_rank_from_someone_elses_supporter_profile(busy_register):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.match_rank(seeker_profile_or_query=busy_register[0], viewer=busy_register[0].user)


def test_a_rebuild_row_in_the_change_log_rebuilds_the_index(busy_register, seeker_user):
    from profiles import changelog
    from profiles.models import RegisterChange

    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 20})
    assert len(live.get_index()) == len(busy_register)
    newcomer = make_profile(role="broker", postcode="BB1", travel_km=20)
    RegisterChange.objects.filter(kind=RegisterChange.Kind.PROFILE, object_id=newcomer.pk).delete()  # as a bulk write
    assert newcomer.ref not in _refs(seeker)
    changelog.record_rebuild()
    assert newcomer.ref in _refs(seeker)
