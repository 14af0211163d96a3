"""The seeker's own languages count in the score (not only as a filter), and a factor that carries
no weight is shown as "not counted", never as "no match"."""

import re

import pytest

from matching import services
from tests.factories import make_profile


def _supporter(display_name, languages):
    return make_profile(
        role="peer_advisor",
        postcode="BB2",
        display_name=display_name,
        travel_km=25,
        skills=["support_planning"],
        languages=languages,
    )


@pytest.fixture
def polish_seeker(seeker_user):
    # Languages on the profile only: no language asked for in "seeking", no language filter.
    return make_profile(
        seeker_user, role="seeker", postcode="BB1", listed=False, languages=["pl"], seeking={"max_km": 25}
    )


def test_a_polish_speaking_seeker_ranks_a_polish_speaking_supporter_above_an_english_only_one(polish_seeker):
    english = _supporter("Emma English", ["en"])
    polish = _supporter("Piotr Polish", ["pl"])
    results = services.match_rank(seeker_profile_or_query=polish_seeker, viewer=polish_seeker.user)
    refs = [r.ref for r in results]
    # Both are shown (the language is not a filter), the Polish speaker first.
    assert refs.index(polish.ref) < refs.index(english.ref)
    first = results[refs.index(polish.ref)]
    assert first.factors["languages"] > 0
    assert results[refs.index(english.ref)].factors["languages"] == 0
    assert any("Polish" in reason for reason in first.reasons), first.reasons


def test_the_matches_page_names_the_shared_language(client, polish_seeker):
    _supporter("Emma English", ["en"])
    _supporter("Piotr Polish", ["pl"])
    client.force_login(polish_seeker.user)
    page = client.get("/matches/").content.decode()
    assert page.index("Piotr Polish") < page.index("Emma English")
    assert "Speaks Polish" in page


def _languages_row(page: str, name: str) -> str:
    card = page[page.index(f"Why this match: {name}") :]
    return re.search(r"<strong>Languages:</strong>([^<]*)", card).group(1)


def test_a_factor_the_seeker_set_to_does_not_matter_is_not_counted_rather_than_no_match(client, polish_seeker):
    _supporter("Emma English", ["en"])
    client.force_login(polish_seeker.user)
    page = client.get("/matches/", {"weight_languages": "0"}).content.decode()
    row = _languages_row(page, "Emma English")
    assert "Not counted" in row and "No match" not in row
    # With the usual weight, an English-only supporter really does not match a Polish speaker.
    page = client.get("/matches/").content.decode()
    assert "No match" in _languages_row(page, "Emma English")


def test_a_factor_the_live_weights_leave_out_is_not_counted_rather_than_no_match(client, polish_seeker):
    from matching.models import ModelVersion
    from matching.scoring.features import DEFAULT_WEIGHTS
    from tests.factories import UserFactory

    _supporter("Emma English", ["en"])
    # Weights as training might record them, with no weight on languages: below the floor, so a member
    # of staff has to approve them before they serve.
    ModelVersion.objects.create(version=1, weights={**DEFAULT_WEIGHTS, "languages": 0.0}, below_floor=["languages"])
    staff = UserFactory(is_staff=True)
    services.model_restore(version=1, actor=staff, approve=True, note="Testing the wording.")
    client.force_login(polish_seeker.user)
    row = _languages_row(client.get("/matches/").content.decode(), "Emma English")
    assert "Not counted" in row and "No match" not in row


def test_english_alone_counts_but_is_not_named_as_a_reason(seeker_user):
    seeker = make_profile(
        seeker_user, role="seeker", postcode="BB1", listed=False, languages=["en"], seeking={"max_km": 25}
    )
    english = _supporter("Emma English", ["en"])
    both = _supporter("Bea Both", ["en", "cy"])
    results = {r.ref: r for r in services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user)}
    assert results[english.ref].factors["languages"] > 0
    assert not any("English" in reason for reason in results[english.ref].reasons)
    # A shared language besides English is news, so it is named (with English).
    seeker.languages = ["en", "cy"]
    seeker.save(update_fields=["languages"])
    results = {r.ref: r for r in services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user)}
    assert any("Welsh" in reason and "English" in reason for reason in results[both.ref].reasons)
