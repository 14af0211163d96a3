"""After thousands of changes the index answers at once from its tail and builds a fresh copy in the
background, then swaps it in; results stay exactly what a fresh build gives."""

from __future__ import annotations

import time

import pytest

from matching import live
from matching.register import register_search
from profiles import changelog
from profiles.models import Profile
from profiles.selectors import RegisterQuery
from tests.factories import make_profile

pytestmark = pytest.mark.django_db(transaction=True)


def refs(index) -> set[str]:
    return {index.text_at("ref", row) for row in range(index.n) if index.col["active"][row]}


def test_a_long_tail_is_rebuilt_in_the_background_and_nothing_changes_for_search(settings, monkeypatch):
    settings.MATCHING_BACKGROUND_REBUILD = True
    monkeypatch.setattr(live, "SOFT_TAIL", 5)
    people = [make_profile(role="pa", postcode="BB1", travel_km=20) for _ in range(12)]
    first = live.get_index()
    for profile in people[:8]:  # eight changes: past the soft limit of the tail
        Profile.objects.filter(pk=profile.pk).update(display_name=f"Renamed {profile.pk}")
    changelog.record_profiles([p.pk for p in people[:8]])
    Profile.objects.filter(pk=people[8].pk).update(status=Profile.Status.PAUSED)
    changelog.record_profiles([people[8].pk])
    answered = live.get_index()  # caught up at once, from the tail
    assert people[8].ref not in refs(answered)
    deadline = time.monotonic() + 30
    while live.get_index() is first and time.monotonic() < deadline:
        time.sleep(0.05)
    swapped = live.get_index()
    assert swapped is not first and swapped.n == swapped.n_sorted  # a fresh, sorted index
    assert refs(swapped) == {p.ref for p in people if p.pk != people[8].pk}
    names = {
        item.profile.display_name for item in register_search(viewer=None, query=RegisterQuery(sort="newest"))[0:20]
    }
    assert {f"Renamed {p.pk}" for p in people[:8]} <= names
