"""The block rule is written once (profiles.models.Block); matching's hand-written search read
(matching.services._relations) and every app's blocked_between must agree with it on every case:
the searching seeker (owner), the person they look at (counterpart), a stranger, both directions."""

import itertools

import pytest

from matching import search_services
from matching import services as matching_services
from messaging import services as messaging_services
from profiles.models import Block
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _block_sets():
    """Every set of blocks among three people (owner, counterpart, stranger), in both directions."""
    pairs = [(a, b) for a, b in itertools.permutations(range(3), 2)]
    for n in range(len(pairs) + 1):
        yield from itertools.combinations(pairs, n)


def test_every_block_read_agrees_with_the_one_rule():
    owner, counterpart, stranger = people = [UserFactory() for _ in range(3)]
    for blocks in _block_sets():
        Block.objects.all().delete()
        for a, b in blocks:
            Block.objects.create(blocker=people[a], blocked=people[b])
        blocked = {frozenset((people[a].pk, people[b].pk)) for a, b in blocks}
        for x, y in itertools.product(people, repeat=2):
            expected = x != y and frozenset((x.pk, y.pk)) in blocked
            assert Block.blocked_between(x.pk, y.pk) is expected, (blocks, x, y)
            assert search_services.blocked_between(x.pk, y.pk) is expected
            assert messaging_services.blocked_between(x.pk, y.pk) is expected
            assert (y.pk in Block.user_ids_hidden_from(x.pk)) is expected
        # The search read: who is hidden from the viewer and the seeker being searched for.
        for viewer, searched_for in [(owner, owner), (owner, counterpart), (stranger, owner), (None, owner)]:
            group = {u.pk for u in (viewer, searched_for) if u is not None}
            hidden, _, _ = matching_services._relations(group, viewer.pk if viewer else None)
            assert hidden == set().union(*(Block.user_ids_hidden_from(u) for u in group)), (
                blocks,
                viewer,
                searched_for,
            )
    assert Block.blocked_between(None, owner.pk) is False
