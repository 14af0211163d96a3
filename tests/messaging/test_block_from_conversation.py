import pytest
from django.urls import reverse

from messaging import services
from profiles.models import Block
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db


def _conversation():
    seeker, pa = UserFactory(), UserFactory()
    profile = make_profile(pa, role="pa")
    request = services.contact_request_create(sender=seeker, profile=profile, message="Hello, can you help on Mondays?")
    return seeker, pa, services.contact_request_accept(contact_request=request, actor=pa)


def test_a_person_can_block_the_other_from_the_conversation_page(client):
    seeker, pa, conversation = _conversation()
    client.force_login(pa)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert f"Block {seeker}" in page
    response = client.post(reverse("messaging:block", args=[conversation.pk, seeker.pk]))
    assert response.status_code == 302
    assert Block.objects.filter(blocker=pa, blocked=seeker).exists()


def test_blocking_someone_who_is_not_in_the_conversation_answers_404(client):
    seeker, pa, conversation = _conversation()
    stranger = UserFactory()
    client.force_login(pa)
    assert client.post(reverse("messaging:block", args=[conversation.pk, stranger.pk])).status_code == 404
    client.force_login(stranger)
    assert client.post(reverse("messaging:block", args=[conversation.pk, seeker.pk])).status_code == 404
    assert not Block.objects.exists()
