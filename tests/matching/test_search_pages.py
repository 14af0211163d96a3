"""The "Your matches" page: cards ranked by match_rank, reasons, filters, weights, why-not and privacy."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import services
from profiles import services as profile_services
from profiles import vocabulary as vocab
from profiles.models import TrustClaim
from tests.factories import UserFactory, make_profile

URL_ATTRIBUTE = re.compile(r'(?:href|action|src)="([^"]*)"|name="next" value="([^"]*)"')


def card_refs(response) -> list[str]:
    """The listings' refs in the order their cards appear."""
    return re.findall(r'<article class="card match-card" aria-labelledby="match-([^"]+)"', response.content.decode())


@pytest.fixture
def seeker(seeker_user):
    return make_profile(
        seeker_user,
        role="seeker",
        postcode="BB1",
        listed=False,
        seeking={"interests": ["walking"], "skills": ["personal_care"], "max_km": 25},
    )


@pytest.fixture
def walker(db):
    return make_profile(
        role="pa",
        postcode="BB2",
        display_name="Wendy Walker",
        travel_km=25,
        skills=["personal_care"],
        interests=["walking"],
        hourly_rate=Decimal("16.00"),
        dbs_level="enhanced",
    )


@pytest.fixture
def neighbour(db):
    return make_profile(
        role="pa",
        postcode="BB1",
        display_name="Ned Nearby",
        travel_km=25,
        skills=["shopping"],
        interests=["gaming"],
        hourly_rate=Decimal("12.00"),
    )


def test_a_signed_in_person_without_a_seeker_profile_is_told_how_to_make_one(client, user):
    client.force_login(user)
    response = client.get("/matches/")
    assert response.status_code == 200
    assert b"/onboarding/" in response.content
    assert "what support you are looking for" in response.content.decode()


def test_the_matches_page_needs_a_sign_in(client, db):
    response = client.get("/matches/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_cards_are_in_match_rank_order_and_show_reasons_trust_and_distance(client, busy_register, seeker, walker):
    client.force_login(seeker.user)
    response = client.get("/matches/")
    ranked = services.match_rank(seeker_profile_or_query=seeker, viewer=seeker.user, top=20)
    assert card_refs(response) == [r.ref for r in ranked]
    assert card_refs(response)[0] == walker.ref
    page = response.content.decode()
    assert "Both enjoy walking" in page
    assert "DBS (enhanced): self-declared." in page
    assert "vetted" not in page.lower()
    assert ranked[0].distance in page
    assert page.count("<h1") == 1
    assert f'href="/register/{walker.ref}/contact/"' in page


def test_a_card_shows_every_factor_in_words_in_its_why_this_match_panel(client, seeker, walker):
    client.force_login(seeker.user)
    page = client.get("/matches/").content.decode()
    start = page.index('<details class="why-match">')
    panel = page[start : page.index("</details>", start)]
    for name in (
        "Shared lived experience",
        "How close they are",
        "Skills you asked for",
        "Shared interests",
        "Languages",
        "When they are free",
        "Price",
        "Ratings from other people",
    ):
        assert name in panel
    assert "Strong match" in panel and "No match, adds nothing" in panel
    assert "Both enjoy walking" in panel


def test_the_profile_rows_for_the_cards_are_loaded_in_one_query(client, busy_register, seeker):
    client.force_login(seeker.user)
    client.get("/matches/")  # builds the index
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/matches/")
    assert len(card_refs(response)) == 20
    profile_reads = [q["sql"] for q in queries if 'FROM "profiles_profile"' in q["sql"] and "LIMIT 21" not in q["sql"]]
    by_id = [sql for sql in profile_reads if '"profiles_profile"."id" IN' in sql]
    assert len(by_id) == 1
    assert not [sql for sql in profile_reads if '"profiles_profile"."id" = ' in sql]
    assert len(profile_reads) <= 3, profile_reads


def test_what_matters_most_changes_the_order_on_the_page(client, seeker, walker, neighbour):
    client.force_login(seeker.user)
    nearby_first = client.get("/matches/", {"weight_locality": "2", "weight_interests": "0", "weight_skills": "0"})
    assert card_refs(nearby_first)[:2] == [neighbour.ref, walker.ref]
    walker_first = client.get("/matches/", {"weight_locality": "0", "weight_interests": "2"})
    assert card_refs(walker_first)[:2] == [walker.ref, neighbour.ref]
    assert "Matters to you: doesn&#x27;t matter" in walker_first.content.decode()


def test_filters_narrow_the_matches(client, busy_register, seeker, walker, neighbour):
    client.force_login(seeker.user)
    brokers = client.get("/matches/", {"role": "broker"})
    assert card_refs(brokers) and all(ref.startswith("broker-") for ref in card_refs(brokers))
    cheap = client.get("/matches/", {"max_rate": "12.50", "role": "pa"})
    assert neighbour.ref in card_refs(cheap) and walker.ref not in card_refs(cheap)
    walkers_only = client.get("/matches/", {"must": "interests"})
    assert card_refs(walkers_only) == [walker.ref]
    close = client.get("/matches/", {"max_km": "2"})
    assert neighbour.ref in card_refs(close) and walker.ref not in card_refs(close)


def test_a_required_language_leaves_out_people_who_do_not_speak_it(client, seeker, walker):
    polish = make_profile(role="pa", postcode="BB2", travel_km=25, languages=["pl", "en"], hourly_rate=Decimal("14.00"))
    client.force_login(seeker.user)
    assert card_refs(client.get("/matches/", {"language": "pl"})) == [polish.ref]


def test_sorting_by_distance_and_rate_reorders_the_ranked_results(client, seeker, walker, neighbour):
    client.force_login(seeker.user)
    assert card_refs(client.get("/matches/", {"sort": "best"}))[0] == walker.ref
    assert card_refs(client.get("/matches/", {"sort": "distance"}))[0] == neighbour.ref
    assert card_refs(client.get("/matches/", {"sort": "rate"}))[0] == neighbour.ref


def test_bad_filter_values_are_explained_not_a_server_error(client, seeker, walker):
    client.force_login(seeker.user)
    response = client.get("/matches/", {"max_km": "far", "weight_price": "11"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert card_refs(response) == []


def test_why_not_explains_a_listing_that_is_left_out(client, seeker, walker):
    far = make_profile(role="pa", postcode="PR1", display_name="Far Away", travel_km=5, hourly_rate=Decimal("14.00"))
    client.force_login(seeker.user)
    response = client.get("/matches/why-not/", {"name": "far", "person": far.ref})
    page = response.content.decode()
    assert "Far Away is left out because" in page
    assert "They travel up to 5 km" in page
    # Someone in the matches is not offered: the page says they are there already.
    page = client.get("/matches/why-not/", {"name": "Wendy"}).content.decode()
    assert "Already in your matches: Wendy Walker" in page and walker.ref not in page


def test_why_not_does_not_reveal_a_blocked_persons_listing(client, seeker, walker):
    profile_services.block_create(blocker=walker.user, blocked=seeker.user)
    client.force_login(seeker.user)
    page = client.get("/matches/why-not/", {"name": "Wendy", "person": walker.ref}).content.decode()
    assert "Choose one of the people listed" in page
    assert "Wendy Walker" not in page


def test_blocked_people_are_not_among_the_cards(client, seeker, walker, neighbour):
    profile_services.block_create(blocker=seeker.user, blocked=walker.user)
    client.force_login(seeker.user)
    assert card_refs(client.get("/matches/")) == [neighbour.ref]


def test_a_proxy_sees_matches_for_the_person_they_act_for(client, seeker, walker):
    helper = UserFactory()
    profile_services.proxy_link_create(seeker=seeker.user, proxy_email=helper.email)
    client.force_login(helper)
    assert card_refs(client.get("/matches/"))[0] == walker.ref


def test_a_claim_on_a_card_says_exactly_how_far_it_was_checked(client, seeker, walker):
    profile_services.claim_add(
        profile=walker, actor=walker.user, kind=TrustClaim.Kind.QUALIFICATION, detail="Level 3 Diploma"
    )
    client.force_login(seeker.user)
    assert (
        "Qualification or training: Self-declared: nobody has checked this." in client.get("/matches/").content.decode()
    )


def test_no_lived_experience_tag_ever_appears_in_a_url_the_pages_make(client, seeker_user):
    """Canary: lived experience is special-category data and must never reach an address."""
    make_profile(
        seeker_user,
        role="seeker",
        postcode="BB1",
        listed=False,
        lived_experience=["visual_impairment", "deaf"],
        seeking={"lived_experience": ["direct_payments"], "interests": ["walking"], "must": ["lived_experience"]},
    )
    peer = make_profile(
        role="peer_advisor",
        postcode="BB1",
        display_name="Pat Peer",
        lived_experience=["visual_impairment", "direct_payments"],
        lived_experience_visibility="signed_in",
        interests=["walking"],
    )
    client.force_login(seeker_user)
    pages = [
        client.get("/matches/"),
        client.get("/matches/", {"must": "lived_experience", "weight_lived_experience": "2", "sort": "distance"}),
        client.get("/matches/why-not/", {"name": "Pat"}),
        client.get(peer.get_absolute_url()),
        client.get("/shortlist/"),
        client.get("/adverts/"),
        client.get("/adverts/new/"),
    ]
    assert "both visually impaired" in pages[0].content.decode().lower()  # the reason is on the page, in words
    client.post(f"/shortlist/add/{peer.ref}/", {"next": "/matches/?must=lived_experience"})
    pages.append(client.get("/shortlist/"))
    forbidden = set(vocab.LIVED_EXPERIENCE) | {label.lower() for label in vocab.LIVED_EXPERIENCE.values()}
    forbidden |= {"visual", "impair", "deaf", "direct_pay"}
    for response in pages:
        assert response.status_code == 200
        assert all(word not in response.url.lower() for word in forbidden) if hasattr(response, "url") else True
        for match in URL_ATTRIBUTE.finditer(response.content.decode()):
            url = (match.group(1) or match.group(2)).lower()
            assert not any(word in url for word in forbidden), url
