"""The change log: a row commits with its change or not at all, readers see rows in order, and a
reader left behind a trim rebuilds instead of missing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from matching import live
from profiles import changelog, services
from profiles.models import Profile, RegisterChange
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def test_a_change_that_rolls_back_leaves_no_row():
    profile = make_profile(role="pa")
    before = changelog.latest_id()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.profile_pause(profile=profile, actor=profile.user)
        raise RuntimeError("the request failed after the pause")
    assert changelog.latest_id() == before
    profile.refresh_from_db()
    assert profile.is_listed


def test_every_service_that_changes_search_logs_the_listing():
    profile = make_profile(role="peer_advisor", lived_experience=["visual_impairment"])
    for act in (
        lambda: services.profile_pause(profile=profile, actor=profile.user),
        lambda: services.profile_publish(profile=profile, actor=profile.user),
        lambda: services.consent_withdraw(profile=profile, actor=profile.user),
        lambda: services.profile_update(profile=profile, actor=profile.user, data={"travel_km": 12}),
    ):
        before = changelog.latest_id()
        act()
        assert changelog.changes_after(before, 10) == [(changelog.latest_id(), "profile", profile.pk)]


def test_the_fixed_statement_reads_what_the_orm_reads():
    make_profile(role="pa")
    changelog.record_relation()
    changelog.record_rebuild()
    orm = list(RegisterChange.objects.filter(id__gt=0).order_by("id").values_list("id", "kind", "object_id")[:100])
    assert [tuple(row) for row in changelog.changes_after(0, 100)] == orm
    assert [tuple(row) for row in changelog.changes_after(orm[0][0], 1)] == orm[1:2]


def test_a_membership_change_logs_every_listing_of_the_person():
    user = UserFactory()
    a, b = make_profile(user, role="pa"), make_profile(user, role="seeker", listed=False)
    before = changelog.latest_id()
    changelog.record_profiles_of_users([user.pk])
    assert {row[2] for row in changelog.changes_after(before, 10)} == {a.pk, b.pk}


def test_a_reader_behind_a_trim_rebuilds_instead_of_missing_rows():
    kept = make_profile(role="pa", postcode="BB1")
    index = live.get_index()
    applied = live.applied_id()
    gone = make_profile(role="pa", postcode="BB1")  # logged, then trimmed before this process reads it
    RegisterChange.objects.update(created_at=timezone.now() - timedelta(days=30))
    assert changelog.trim() > 0
    assert not RegisterChange.objects.filter(id__lte=applied).exists()
    rebuilt = live.get_index()
    assert rebuilt is not index
    refs = {rebuilt.text_at("ref", row) for row in range(rebuilt.n) if rebuilt.col["active"][row]}
    assert {kept.ref, gone.ref} <= refs
    assert Profile.objects.listed().count() == len(rebuilt)


def test_a_listing_edit_and_a_new_rating_in_one_catch_up_both_count(monkeypatch):
    from matching import quality

    profile = make_profile(role="pa", postcode="BB1")
    index = live.get_index()
    row = index.row_for(profile.pk)
    assert float(index.col["qscore"][row]) == pytest.approx(0.5)
    monkeypatch.setattr(quality, "_provider", lambda ids: {pk: quality.Quality(0.9, 7) for pk in ids})
    services.profile_update(profile=profile, actor=profile.user, data={"travel_km": 12})
    changelog.record(changelog.Kind.QUALITY, [profile.pk])  # as a rating would, before anyone searched
    index = live.get_index()
    row = index.row_for(profile.pk)
    assert float(index.col["qscore"][row]) == pytest.approx(0.9) and int(index.col["qcount"][row]) == 7
    assert int(index.col["travel"][row]) == 12
