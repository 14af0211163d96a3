"""Free tags (outside the vocabulary) always count in matching, however many the register holds,
the same way in the index and the reference scorer, and the same in every process."""

import subprocess
import sys

from matching.index import MatchIndex
from matching.scoring.features import DEFAULT_WEIGHTS
from matching.scoring.records import TAG_FIELDS, make_candidate, make_query
from tests.matching import reference

MANY = 200  # far more free skills than one 64-bit word has bits left after the vocabulary


def _supporter(i: int, skill: str):
    return make_candidate(
        profile_id=i + 1,
        ref=f"free-{i:04d}",
        role="pa",
        lat=53.74,
        lon=-2.48,
        travel_km=20,
        rate_pence=1500,
        skills=[skill],
        languages=["en"],
        user_id=i + 1,
        display_name=f"Person {i}",
        outcode="BB1",
    )


def test_every_free_skill_still_finds_the_person_who_offers_it():
    register = [_supporter(i, f"free_skill_number_{i}") for i in range(MANY)]
    index = MatchIndex(register)
    for i in (0, 40, 99, MANY - 1):  # early and late arrivals alike
        query = make_query(lat=53.74, lon=-2.48, skills=[f"free_skill_number_{i}"], must=["skills"], viewer_id=10_000)
        expected = [(r.ref, round(r.score, 9)) for r in reference.rank(query, register, top=MANY)]
        found = [(r.ref, round(r.score, 9)) for r in index.search(query, weights=DEFAULT_WEIGHTS, top=MANY)]
        assert f"free-{i:04d}" in [ref for ref, _ in found]
        assert found == expected
        assert len(found) < MANY // 10  # a must-have free skill is not matched by everyone


def test_a_free_tag_keeps_its_own_words_for_the_explanation():
    candidate = _supporter(1, "british_sign_language_deafblind")
    (tag,) = candidate.skills
    assert str(tag) == "british_sign_language_deafblind"
    assert candidate.masks[1] == TAG_FIELDS["skills"].mask(["british_sign_language_deafblind"]) != 0


def test_a_free_tag_has_the_same_bit_in_every_process():
    here = TAG_FIELDS["skills"].assign("knows_makaton")
    code = "from matching.scoring.records import TAG_FIELDS; print(TAG_FIELDS['skills'].assign('knows_makaton'))"
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        assert int(other.stdout) == here
