"""Saved searches: a person keeps a search of the register or of their matches and hears once when a newly
published listing fits it (through the one engine, in the task worker after the publish commits)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import QueryDict

from matching import saved_searches
from matching.models import SavedSearch, SavedSearchHit
from notifications.models import Notification
from profiles import services as profile_services
from tests.factories import UserFactory, make_profile


@pytest.fixture
def searcher(db):
    return UserFactory(preferred_name="Sue Searcher")


def save(user, page="register", params="role=pa&postcode=BB1&within_km=16", name="PAs near me", email=False):
    return saved_searches.saved_search_create(user=user, page=page, params=QueryDict(params), name=name, email=email)


def publish(capture, **fields):
    """A supporter lists themselves, and every on-commit callback (the task queue, notifications) runs."""
    defaults = {"role": "pa", "postcode": "BB2", "travel_km": 25, "hourly_rate": Decimal("15.00")}
    with capture(execute=True):
        return make_profile(**{**defaults, **fields})


def told(user) -> int:
    return Notification.objects.filter(recipient=user, kind="saved_search").count()


def test_a_fitting_listing_tells_the_searcher_exactly_once(searcher, django_capture_on_commit_callbacks):
    found = save(searcher)
    listing = publish(django_capture_on_commit_callbacks)
    assert told(searcher) == 1
    assert Notification.objects.get(recipient=searcher).link == f"/searches/{found.pk}/"
    assert SavedSearchHit.objects.filter(saved_search=found, profile=listing).count() == 1
    # The task running again (a retry, a second worker) tells nobody twice.
    assert saved_searches.saved_searches_notify(listing.pk) == 0
    # Paused and listed again: still the same listing, already told.
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.profile_pause(profile=listing, actor=listing.user)
        profile_services.profile_publish(profile=listing, actor=listing.user)
    assert told(searcher) == 1


def test_a_listing_that_does_not_fit_tells_nobody(searcher, django_capture_on_commit_callbacks):
    save(searcher, params="role=pa&postcode=BB1&within_km=3")
    publish(django_capture_on_commit_callbacks, role="broker")  # another kind of supporter
    publish(django_capture_on_commit_callbacks, postcode="PR1")  # too far away
    assert told(searcher) == 0
    assert not SavedSearchHit.objects.exists()


def test_filters_count_as_on_the_page(searcher, django_capture_on_commit_callbacks):
    save(searcher, params="role=pa&language=pl&max_rate=14")
    publish(django_capture_on_commit_callbacks, languages=["pl"], hourly_rate=Decimal("20.00"))
    publish(django_capture_on_commit_callbacks, languages=["en"], hourly_rate=Decimal("12.00"))
    assert told(searcher) == 0
    publish(django_capture_on_commit_callbacks, languages=["pl", "en"], hourly_rate=Decimal("13.50"))
    assert told(searcher) == 1


def test_a_block_either_way_tells_nobody(searcher, django_capture_on_commit_callbacks):
    save(searcher)
    supporter = UserFactory()
    profile_services.block_create(blocker=supporter, blocked=searcher)
    publish(django_capture_on_commit_callbacks, user=supporter)
    assert told(searcher) == 0


def test_email_only_when_chosen_and_it_says_nothing_private(searcher, django_capture_on_commit_callbacks):
    save(searcher, name="Secret search name BB1", email=False)
    other = UserFactory()
    save(other, name="Another private name", email=True)
    listing = publish(django_capture_on_commit_callbacks, display_name="Wendy Walker")
    assert told(searcher) == 1 and told(other) == 1
    assert [m.to for m in mail.outbox] == [[other.email]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    for private in ("Another private name", "Wendy Walker", listing.ref, "BB1", "BB2"):
        assert private not in body


def test_matches_searches_fit_through_the_seekers_query(db, django_capture_on_commit_callbacks):
    seeker = make_profile(role="seeker", postcode="BB1", listed=False)
    save(seeker.user, page="matches", params="role=peer_advisor&max_km=10", name="Peer advisors")
    publish(django_capture_on_commit_callbacks, role="pa")
    assert told(seeker.user) == 0
    publish(django_capture_on_commit_callbacks, role="peer_advisor", hourly_rate=None)
    assert told(seeker.user) == 1


def test_a_saved_search_keeps_only_a_district_and_the_pages_own_keys(searcher):
    found = save(searcher, params="postcode=BB1+2AB&role=pa&page=3&evil=1")
    assert QueryDict(found.params).dict() == {"postcode": "BB1", "role": "pa"}
    seeker = make_profile(role="seeker", listed=False)
    mine = save(seeker.user, page="matches", params="matters=nearby&matters=times&role=pa&page=2&x=1")
    assert QueryDict(mine.params).lists() and dict(QueryDict(mine.params).lists()) == {
        "matters": ["nearby", "times"],
        "role": ["pa"],
    }
    assert found.role == "pa"


def test_bad_input_says_what_to_do(searcher):
    with pytest.raises(ValidationError, match="Give the search a name"):
        save(searcher, name="  ")
    with pytest.raises(ValidationError, match="This search has a problem"):
        save(searcher, params="max_rate=-5")
    with pytest.raises(ValidationError, match="needs a profile saying what support"):
        save(searcher, page="matches", params="role=pa")


def test_the_pages_save_list_and_delete(client, searcher):
    client.force_login(searcher)
    response = client.post(
        "/searches/save/", {"page": "register", "params": "role=pa&postcode=BB1", "name": "PAs", "email": "on"}
    )
    assert response.status_code == 302
    found = SavedSearch.objects.get(user=searcher)
    assert found.email is True
    listing = client.get("/searches/").content.decode()
    assert "PAs" in listing and "/register/?postcode=BB1&amp;role=pa" in listing
    client.post(f"/searches/{found.pk}/email/", {})
    found.refresh_from_db()
    assert found.email is False
    missing_name = client.post("/searches/save/", {"page": "register", "params": "role=pa", "name": ""})
    assert missing_name.status_code == 400 and "Give the search a name" in missing_name.content.decode()
    client.post(f"/searches/{found.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_another_persons_saved_search_is_not_found(client, searcher):
    found = save(searcher)
    client.force_login(UserFactory())
    assert client.get(f"/searches/{found.pk}/").status_code == 404
    assert client.post(f"/searches/{found.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=found.pk).exists()


def test_the_new_listings_page_shows_what_it_found(client, searcher, django_capture_on_commit_callbacks):
    found = save(searcher)
    listing = publish(django_capture_on_commit_callbacks, display_name="Newly Listed")
    client.force_login(searcher)
    page = client.get(f"/searches/{found.pk}/").content.decode()
    assert "Newly Listed" in page and listing.get_absolute_url() in page
