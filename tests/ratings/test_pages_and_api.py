import re

import pytest
from django.urls import reverse

from ratings import services
from ratings.models import Rating, SafeguardingConcern
from tests.factories import make_profile

from .conftest import GOOD, LOW, engage

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind_rating(seeker, engagement):
    return services.rating_create(actor=seeker, engagement=engagement, data=GOOD)


@pytest.fixture
def revealed_rating(blind_rating, supporter, engagement):
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    blind_rating.refresh_from_db()
    return blind_rating


def test_the_rating_page_is_for_the_two_people_only(client, seeker, supporter, stranger, engagement):
    url = reverse("ratings:rate", args=[engagement.pk])
    for person, expected in [(seeker, 200), (supporter, 200), (stranger, 404)]:
        client.force_login(person)
        assert client.get(url).status_code == expected


def test_the_form_offers_the_safeguarding_route(client, seeker, engagement):
    client.force_login(seeker)
    page = client.get(reverse("ratings:rate", args=[engagement.pk])).content.decode()
    assert "Is someone at risk of harm?" in page
    assert "Report a safeguarding concern instead" in page
    assert reverse("ratings:safeguarding") in page


def test_ticking_safeguarding_saves_no_rating_and_leads_to_the_report(client, seeker, engagement):
    client.force_login(seeker)
    post = {**GOOD, "attribution": "first_name", "about_safeguarding": "on"}
    response = client.post(reverse("ratings:rate", args=[engagement.pk]), post)
    assert response.status_code == 302 and response.url.startswith(reverse("ratings:safeguarding"))
    assert not Rating.objects.exists()
    response = client.post(response.url, {"about": "My neighbour's PA takes her bank card."})
    concern = SafeguardingConcern.objects.get()
    assert concern.engagement == engagement
    assert concern.reference in client.get(response.url).content.decode()


def test_a_rating_posted_through_the_page_is_saved(client, seeker, engagement):
    client.force_login(seeker)
    response = client.post(reverse("ratings:rate", args=[engagement.pk]), {**GOOD, "attribution": "anonymous"})
    rating = Rating.objects.get()
    assert response.url == reverse("ratings:detail", args=[rating.pk])
    assert rating.attribution == "anonymous"


def test_a_blind_rating_is_seen_by_its_author_only(client, seeker, supporter, stranger, blind_rating):
    url = reverse("ratings:detail", args=[blind_rating.pk])
    for person, expected in [(seeker, 200), (supporter, 404), (stranger, 404)]:
        client.force_login(person)
        assert client.get(url).status_code == expected


def test_a_revealed_rating_shows_the_reply_beside_it(client, seeker, supporter, stranger, revealed_rating):
    client.force_login(supporter)
    client.post(reverse("ratings:reply", args=[revealed_rating.pk]), {"body": "Thank you, Amira."})
    client.force_login(stranger)
    page = client.get(reverse("ratings:detail", args=[revealed_rating.pk])).content.decode()
    assert "Reply from the person rated" in page and "Thank you, Amira." in page
    assert "Kind and on time." in page


def test_only_the_rated_person_gets_a_reply_form(client, seeker, supporter, revealed_rating):
    url = reverse("ratings:detail", args=[revealed_rating.pk])
    client.force_login(supporter)
    assert "Post my reply" in client.get(url).content.decode()
    client.force_login(seeker)
    assert "Post my reply" not in client.get(url).content.decode()


def test_the_moderation_queue_is_for_moderators(client, seeker, supporter, stranger, moderator, engagement):
    services.rating_create(actor=seeker, engagement=engagement, data=LOW)
    url = reverse("ratings:queue")
    for person in (seeker, stranger):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(moderator)
    assert "Review " in client.get(url).content.decode()


def test_a_moderator_publishes_with_a_note(client, seeker, moderator, engagement):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=LOW)
    client.force_login(moderator)
    client.post(reverse("ratings:moderate", args=[rating.pk]), {"decision": "publish", "note": "Fair."})
    rating.refresh_from_db()
    assert rating.status == "published" and rating.decisions.get().moderator == moderator


def test_the_api_rejects_a_rating_without_an_engagement_with_a_404(client, stranger, engagement):
    client.force_login(stranger)
    response = client.post("/api/v1/ratings/", {**GOOD, "engagement": engagement.pk}, content_type="application/json")
    assert response.status_code == 404


def test_the_api_explains_a_second_rating(client, seeker, engagement):
    client.force_login(seeker)
    body = {**GOOD, "engagement": engagement.pk}
    assert client.post("/api/v1/ratings/", body, content_type="application/json").status_code == 201
    response = client.post("/api/v1/ratings/", body, content_type="application/json")
    assert response.status_code == 400
    assert "already rated" in response.json()["non_field_errors"][0]


def test_the_api_refuses_bad_scores_with_field_errors(client, seeker, engagement):
    client.force_login(seeker)
    response = client.post(
        "/api/v1/ratings/", {**GOOD, "overall": 9, "engagement": engagement.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "overall" in response.json()


def test_the_api_hides_a_blind_rating_from_the_counterpart_and_strangers(
    client, seeker, supporter, stranger, blind_rating
):
    url = f"/api/v1/ratings/{blind_rating.pk}/"
    for person, expected in [(seeker, 200), (supporter, 404), (stranger, 404)]:
        client.force_login(person)
        assert client.get(url).status_code == expected


def test_only_the_author_changes_a_rating_through_the_api(client, seeker, supporter, blind_rating):
    url = f"/api/v1/ratings/{blind_rating.pk}/"
    client.force_login(supporter)
    assert client.patch(url, {"overall": 1}, content_type="application/json").status_code == 404
    client.force_login(seeker)
    response = client.patch(url, {"overall": 4}, content_type="application/json")
    assert response.status_code == 200 and response.json()["scores"]["overall"] == 4


def test_the_api_sends_safeguarding_concerns_to_the_report(client, seeker, engagement):
    client.force_login(seeker)
    response = client.post(
        "/api/v1/ratings/",
        {**GOOD, "engagement": engagement.pk, "about_safeguarding": True},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["report_url"] == "/api/v1/safeguarding-concerns/"
    assert not Rating.objects.exists()


def test_the_quality_page_charts_have_text_alternatives(client, db, settings):
    settings.PUBLISH_MIN_COUNT = 2  # two reviews are enough to chart here (the default, 10, withholds them)
    profile = make_profile(role="pa", postcode="BB1")
    for overall in (5, 4):
        seeker = make_profile(role="seeker").user
        engagement = engage(seeker, profile)
        services.rating_create(actor=seeker, engagement=engagement, data={**GOOD, "overall": overall})
        services.rating_create(actor=profile.user, engagement=engagement, data=GOOD)
    page = client.get(reverse("ratings:quality", args=["BB", "pa"])).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "5 out of 5: 1 rating." in page
    assert page.count("<table") == 2 and '<th scope="col">Number of ratings</th>' in page
    assert "Not enough answers yet" in page
    assert 'style="' not in page and "<script>" not in page


def test_the_quality_csv_downloads(client, db):
    response = client.get(reverse("ratings:quality_csv", args=["BB", "pa"]))
    assert response["Content-Type"] == "text/csv"
    assert b"overall_rating_distribution,5,0" in response.content


def test_a_quality_page_for_a_made_up_area_is_not_found(client, db):
    assert client.get(reverse("ratings:quality", args=["B1!", "pa"])).status_code == 404
    assert client.get(reverse("ratings:quality", args=["BB", "wizard"])).status_code == 404


def test_mutual_confirmation_records_an_engagement_both_can_rate(client, seeker, supporter_profile):
    client.force_login(seeker)
    client.post(reverse("ratings:confirm_request", args=[supporter_profile.ref]))
    client.force_login(supporter_profile.user)
    page = client.get(reverse("ratings:mine")).content.decode()
    assert "says you worked together" in page
    pk = re.search(r"worked-together/answer/(\d+)/", page).group(1)
    client.post(reverse("ratings:confirm_respond", args=[pk]), {"answer": "yes"})
    client.force_login(seeker)
    assert "Rate " in client.get(reverse("ratings:mine")).content.decode()
    assert seeker.engagements_as_seeker.get().source == "mutual_confirmation"


def test_anonymous_scores_are_never_shown_beside_a_name(client, seeker, supporter, stranger, engagement):
    named = services.rating_create(actor=seeker, engagement=engagement, data={**GOOD, "overall": 3})
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    client.force_login(stranger)
    page = client.get(reverse("ratings:profile_reviews", args=[engagement.supporter_profile.ref])).content.decode()
    assert "Amira" in page and "Overall 3 out of 5" not in page
    assert client.get(f"/api/v1/ratings/{named.pk}/").json()["scores"] is None
    Rating.objects.filter(pk=named.pk).update(attribution="anonymous")
    page = client.get(reverse("ratings:profile_reviews", args=[engagement.supporter_profile.ref])).content.decode()
    assert "Amira" not in page and "Overall 3 out of 5" in page


def test_the_author_can_open_the_change_page_while_the_rating_is_blind(client, seeker, blind_rating):
    client.force_login(seeker)
    page = client.get(reverse("ratings:edit", args=[blind_rating.pk])).content.decode()
    assert "Change your rating" in page and "Report a safeguarding concern instead" in page
