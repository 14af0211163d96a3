"""The fast index must give exactly the naive reference scorer's top 20 on randomised registers."""

import pytest

from matching.index import MatchIndex
from matching.scoring import synthetic
from matching.scoring.features import DEFAULT_WEIGHTS
from tests.matching import reference


def _top(results):
    return [(r.ref, round(r.score, 9)) for r in results]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_index_gives_the_same_top_twenty_as_the_reference_scorer(seed):
    register = synthetic.candidates(2000, seed, n_towns=8)
    index = MatchIndex(register)
    queries = synthetic.queries(40, seed + 100, register_seed=seed, register_size=2000, n_towns=8)
    compared = 0
    for query in queries:
        expected = _top(reference.rank(query, register, top=20))
        assert _top(index.search(query, weights=DEFAULT_WEIGHTS, top=20)) == expected
        compared += len(expected)
    assert compared > 200  # the queries really returned people


@pytest.mark.parametrize("seed", [11, 12])
def test_the_index_agrees_with_the_reference_under_other_weights(seed):
    register = synthetic.candidates(1500, seed, n_towns=5)
    index = MatchIndex(register)
    weights = {**DEFAULT_WEIGHTS, "locality": 6.0, "price": 0.0, "interests": 4.0}
    for query in synthetic.queries(40, seed, register_seed=seed, register_size=1500, n_towns=5):
        assert _top(index.search(query, weights=weights, top=20)) == _top(
            reference.rank(query, register, top=20, weights=weights)
        )


def test_removing_and_changing_a_row_is_seen_by_the_next_query():
    register = synthetic.candidates(800, 3, n_towns=4)
    index = MatchIndex(register)
    query = synthetic.queries(1, 9, register_seed=3, register_size=800, n_towns=4)[0]
    first = index.search(query, weights=DEFAULT_WEIGHTS, top=5)[0]
    index.remove(first.candidate.profile_id)
    assert first.ref not in [r.ref for r in index.search(query, weights=DEFAULT_WEIGHTS, top=20)]
    index.upsert(first.candidate)
    assert index.search(query, weights=DEFAULT_WEIGHTS, top=5)[0].ref == first.ref


def test_the_index_agrees_with_the_reference_for_far_travellers_and_rows_changed_since_the_build():
    """Travel groups, the grid's edge cells and the unsorted tail must never lose anyone."""
    import dataclasses

    from matching.scoring.records import f32

    register = synthetic.candidates(1500, 21, n_towns=6, about=False)
    far = [dataclasses.replace(c, travel_km=(None, 60, 120, 254)[i % 4]) for i, c in enumerate(register[:200])]
    register = far + register[200:]
    index = MatchIndex(register)
    changed = [dataclasses.replace(c, lat=f32(c.lat + 0.05), travel_km=90) for c in register[200:260]]
    for candidate in changed:
        index.upsert(candidate)
    register = register[:200] + changed + register[260:]
    for query in synthetic.queries(40, 22, register_seed=21, register_size=1500, n_towns=6):
        assert _top(index.search(query, weights=DEFAULT_WEIGHTS, top=20)) == _top(
            reference.rank(query, register, top=20)
        )
