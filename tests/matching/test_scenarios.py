"""Stories from the good-practice paper: the supporter a good coordinator would pick comes first."""

from decimal import Decimal

from matching import services
from tests.factories import make_profile


def _rank(seeker, **kwargs):
    return services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, **kwargs)


def test_a_visually_impaired_seeker_is_matched_with_a_visually_impaired_peer_advisor_who_managed_a_direct_payment(
    busy_register, seeker_user
):
    advisor = make_profile(
        role="peer_advisor",
        postcode="BB4",
        travel_km=30,
        skills=["admin_and_paperwork"],
        brokerage_functions=["information_advice", "support_planning"],
        languages=["en"],
        lived_experience=["visual_impairment", "direct_payments"],
        lived_experience_visibility="signed_in",
        display_name="Mrs Chadwick",
    )
    make_profile(
        role="peer_advisor",
        postcode="BB1",
        travel_km=30,
        lived_experience=["direct_payments"],
        lived_experience_visibility="signed_in",
    )
    seeker = make_profile(
        seeker_user,
        role="seeker",
        postcode="BB1",
        lived_experience=["visual_impairment"],
        seeking={"roles": ["peer_advisor"], "lived_experience": ["direct_payments"], "max_km": 30},
    )
    results = _rank(seeker)
    assert results[0].ref == advisor.ref
    assert "both visually impaired" in results[0].reasons[0]
    assert results[0].factors["lived_experience"] == max(r.factors["lived_experience"] for r in results)


def test_the_man_who_wanted_to_go_walking_gets_the_local_rambler_round_the_corner(busy_register, seeker_user):
    rambler = make_profile(
        role="peer_advisor",
        postcode="BB2",
        travel_km=5,
        interests=["rambling", "walking"],
        about="I organise the local Ramblers walks in the countryside every week.",
    )
    make_profile(
        role="peer_advisor", postcode="PR1", travel_km=40, interests=["walking"], about="Walking in the countryside."
    )
    seeker = make_profile(
        seeker_user,
        role="seeker",
        postcode="BB2",
        interests=["walking"],
        about="I really want to go walking in the countryside.",
        seeking={"interests": ["walking", "rambling"], "max_km": 20},
    )
    results = _rank(seeker)
    assert results[0].ref == rambler.ref
    assert "both enjoy rambling and walking" in results[0].reasons
    assert "less than a mile away" in results[0].reasons


def test_a_polish_speaker_gets_the_polish_speaking_pa(busy_register, seeker_user):
    pa = make_profile(
        role="pa",
        postcode="BB3",
        travel_km=20,
        languages=["en", "pl"],
        skills=["personal_care"],
        hourly_rate=Decimal("14.50"),
    )
    seeker = make_profile(
        seeker_user,
        role="seeker",
        postcode="BB1",
        seeking={"roles": ["pa"], "languages": ["pl"], "skills": ["personal_care"], "max_km": 25, "max_rate_gbp": 16},
    )
    results = _rank(seeker)
    assert results[0].ref == pa.ref
    assert "speaks Polish" in results[0].reasons
    assert "£14.50 an hour, under your £16 limit" in results[0].reasons


def test_a_rare_shared_experience_outweighs_a_common_one(busy_register, seeker_user):
    common = {
        "role": "peer_advisor",
        "postcode": "BB2",
        "travel_km": 30,
        "lived_experience_visibility": "signed_in",
        "languages": ["en"],
    }
    shares_rare = make_profile(lived_experience=["spinal_injury"], **common)
    shares_common = make_profile(lived_experience=["older_person"], **common)
    seeker = make_profile(
        seeker_user,
        role="seeker",
        postcode="BB2",
        lived_experience=["spinal_injury", "older_person"],
        seeking={"max_km": 30},
    )
    order = [r.ref for r in _rank(seeker, top=50)]
    assert order.index(shares_rare.ref) < order.index(shares_common.ref)


def test_saying_what_matters_most_changes_the_order(busy_register, seeker_user):
    near = make_profile(role="pa", postcode="BB1", travel_km=10, skills=["cooking"], hourly_rate=Decimal("15.00"))
    skilled = make_profile(
        role="pa",
        postcode="BB6",
        travel_km=30,
        skills=["moving_and_handling", "medication_support"],
        hourly_rate=Decimal("15.00"),
    )
    seeker = make_profile(
        seeker_user,
        role="seeker",
        postcode="BB1",
        seeking={"roles": ["pa"], "skills": ["moving_and_handling", "medication_support"], "max_km": 30},
    )

    def order(weights):
        refs = [r.ref for r in _rank(seeker, top=50, weights=weights)]
        return refs.index(near.ref) < refs.index(skilled.ref)

    assert order({"locality": 10, "skills": 0}) is True
    assert order({"skills": 10, "locality": 0}) is False
