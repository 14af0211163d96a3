from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles.models import ProxyLink
from ratings import selectors, services
from ratings.models import Rating
from tests.factories import UserFactory, make_profile

from .conftest import GOOD, LOW, engage

pytestmark = pytest.mark.django_db


def test_it_rejects_a_rating_without_an_engagement(seeker, supporter_profile, stranger, engagement):
    with pytest.raises(PermissionDenied):
        services.rating_create(actor=stranger, engagement=engagement, data=GOOD)
    assert not Rating.objects.exists()


def test_it_rejects_a_second_rating_of_the_same_engagement(seeker, engagement):
    services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    with pytest.raises(ValidationError, match="already rated"):
        services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    assert Rating.objects.filter(rater=seeker).count() == 1


def test_the_database_refuses_a_second_rating_too(seeker, engagement):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    copy = Rating(**{f.attname: getattr(rating, f.attname) for f in Rating._meta.concrete_fields if f.name != "id"})
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_it_rejects_scores_outside_one_to_five(seeker, engagement):
    with pytest.raises(ValidationError) as error:
        services.rating_create(actor=seeker, engagement=engagement, data={**GOOD, "overall": 6})
    assert "overall" in error.value.message_dict


def test_nobody_can_rate_a_seeker_they_act_for_as_a_proxy(seeker, supporter, engagement):
    ProxyLink.objects.create(seeker=seeker, proxy=supporter)
    with pytest.raises(ValidationError, match="act for"):
        services.rating_create(actor=supporter, engagement=engagement, data=GOOD)


def test_a_proxy_cannot_rate_the_supporter_as_if_they_were_the_seeker(seeker, supporter, engagement):
    proxy = UserFactory()
    ProxyLink.objects.create(seeker=seeker, proxy=proxy)
    with pytest.raises(PermissionDenied):
        services.rating_create(actor=proxy, engagement=engagement, data=GOOD)


def test_a_revoked_proxy_link_no_longer_stops_a_rating(seeker, supporter, engagement):
    ProxyLink.objects.create(seeker=seeker, proxy=supporter, revoked_at=timezone.now())
    assert services.rating_create(actor=supporter, engagement=engagement, data=GOOD).pk


def test_the_database_refuses_a_rating_of_yourself(seeker, engagement):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(rated=seeker)


def test_a_rating_stays_blind_until_both_have_rated(seeker, supporter, engagement):
    mine = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    assert not selectors.ratings_received(supporter).exists()
    theirs = services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    assert list(selectors.ratings_received(supporter)) == [mine]
    assert list(selectors.ratings_received(seeker)) == [theirs]


def test_a_rating_is_revealed_fourteen_days_after_the_first_rating(seeker, supporter, engagement):
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        mine = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    with time_machine.travel("2026-03-15 09:59Z", tick=False):
        assert not selectors.ratings_received(supporter).exists()
    with time_machine.travel("2026-03-15 10:00Z", tick=False):
        assert list(selectors.ratings_received(supporter)) == [mine]


def test_a_rating_can_be_changed_while_blind_but_not_after_it_is_shown(seeker, supporter, engagement):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    services.rating_update(actor=seeker, rating=rating, data={**GOOD, "overall": 4})
    assert Rating.objects.get(pk=rating.pk).overall == 4
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    rating.refresh_from_db()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.rating_update(actor=seeker, rating=rating, data=GOOD)


def test_a_low_rating_waits_for_a_moderator(seeker, supporter, engagement, moderator):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=LOW)
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    assert rating.status == Rating.Status.PENDING_REVIEW
    assert not selectors.ratings_received(supporter).exists()
    assert rating in selectors.review_queue(moderator)
    decision = services.rating_moderate(actor=moderator, rating=rating, decision="publish", note="Fair and factual.")
    assert (decision.moderator, decision.note) == (moderator, "Fair and factual.")
    assert list(selectors.ratings_received(supporter)) == [rating]


def test_only_moderators_decide(seeker, engagement, supporter):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=LOW)
    with pytest.raises(PermissionDenied):
        services.rating_moderate(actor=supporter, rating=rating, decision="publish", note="Looks fine to me.")


def test_a_flagged_comment_is_held_until_a_moderator_reads_it(seeker, supporter, engagement, stranger, moderator):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    services.rating_create(actor=supporter, engagement=engagement, data=GOOD)
    services.rating_flag(actor=stranger, rating=rating, reason="personal", detail="Names a hospital.")
    rating.refresh_from_db()
    assert rating.shown_comment == "" and rating in selectors.review_queue(moderator)
    services.rating_moderate(actor=moderator, rating=rating, decision="hide", note="Shares health details.")
    rating.refresh_from_db()
    assert rating.status == Rating.Status.HIDDEN
    assert not selectors.ratings_received(supporter).exists()


def test_the_rated_person_can_reply_and_nobody_else(seeker, supporter, engagement, stranger):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    with pytest.raises(PermissionDenied):
        services.rating_reply(actor=stranger, rating=rating, body="Not mine to answer.")
    services.rating_reply(actor=supporter, rating=rating, body="Thank you, it was a pleasure.")
    assert rating.reply.body == "Thank you, it was a pleasure."


def test_a_safeguarding_concern_is_never_saved_as_a_rating(seeker, engagement):
    with pytest.raises(services.SafeguardingRoute):
        services.rating_create(actor=seeker, engagement=engagement, data=GOOD, about_safeguarding=True)
    assert not Rating.objects.exists()


def test_a_likely_second_account_is_held_for_review(db):
    org_domain = "smallcharity.org.uk"
    seeker = UserFactory(email=f"a@{org_domain}")
    make_profile(seeker, role="seeker", postcode="BB2")
    supporter_profile = make_profile(UserFactory(email=f"b@{org_domain}"), role="pa", postcode="BB2")
    rating = services.rating_create(actor=seeker, engagement=engage(seeker, supporter_profile), data=GOOD)
    assert rating.status == Rating.Status.PENDING_REVIEW
    assert "email domain" in rating.review_reason


def test_anonymous_comments_name_nobody_and_named_ones_use_the_first_word(seeker, engagement, supporter):
    named = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    anonymous = services.rating_create(
        actor=supporter, engagement=engagement, data={**GOOD, "attribution": "anonymous"}
    )
    assert named.attributed_to == "Amira"
    assert anonymous.attributed_to == "A member"


def test_the_edit_window_closes_after_fourteen_days(seeker, engagement):
    rating = services.rating_create(actor=seeker, engagement=engagement, data=GOOD)
    assert rating.is_editable(rating.created_at + timedelta(days=13))
    assert not rating.is_editable(rating.created_at + timedelta(days=14))
