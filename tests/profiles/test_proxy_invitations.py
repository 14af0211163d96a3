"""Naming someone to act for you answers the same whether or not they have an account (issue 12, item 9)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from profiles.models import ProxyLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(client, email):
    return client.post(
        reverse("profiles:proxy-add"), {"proxy_email": email, "relationship": "my daughter"}, follow=True
    )


def _page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_answer_is_the_same_for_an_account_and_for_no_account(client):
    seeker, existing = UserFactory(), UserFactory(email="daughter@example.org")
    client.force_login(seeker)
    with_account = _add(client, "daughter@example.org")
    without_account = _add(client, "nobody-here@example.org")
    assert with_account.status_code == without_account.status_code == 200
    for response in (with_account, without_account):
        assert "We have sent an invitation to that address" in _page_text(response)
        assert "Nobody has an account" not in _page_text(response)
    assert [m.to for m in mail.outbox] == [["daughter@example.org"], ["nobody-here@example.org"]]
    assert not ProxyLink.objects.filter(seeker=seeker).exists()  # nothing visible changes until they accept
    assert existing


def test_the_invited_person_accepts_with_the_invited_email(client):
    seeker, daughter, stranger = UserFactory(), UserFactory(email="daughter@example.org"), UserFactory()
    client.force_login(seeker)
    _add(client, "Daughter@Example.org")
    link = re.search(r"http\S+/me/proxies/accept/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]
    client.force_login(stranger)
    client.post(path)
    assert not ProxyLink.objects.exists()
    client.force_login(daughter)
    assert client.get(path).status_code == 200
    assert not ProxyLink.objects.exists()  # opening the link (or a mail preview) does not accept
    client.post(path)
    proxy_link = ProxyLink.objects.get()
    assert (proxy_link.seeker, proxy_link.proxy, proxy_link.relationship) == (seeker, daughter, "my daughter")


def test_a_tampered_invitation_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    response = client.post(reverse("profiles:proxy-accept", args=["not-a-real-token"]), follow=True)
    assert "This invitation link is not valid" in _page_text(response)
