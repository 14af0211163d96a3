"""A moderator reaches every queue from the navigation ("More" menu) without typing an address: the one
moderation queue, message reports, reviews to check and listing claims. Nobody else is shown them, and
the navigation keeps at most five top items (the phone limit)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test.html import Element, parse_html
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODERATOR_LINKS = {
    "All moderation cases": reverse("moderation-all"),
    "Reports": reverse("messaging:moderation-queue"),
    "Reviews to check": reverse("ratings:queue"),
    "Listing claims": reverse("listing_claims:queue"),
}


def _elements(node, name: str):
    if isinstance(node, Element):
        if node.name == name:
            yield node
        for child in node.children:
            yield from _elements(child, name)


def _text(node) -> str:
    return node if isinstance(node, str) else " ".join(_text(child) for child in node.children)


def _main_navigation(client) -> Element:
    page = parse_html(client.get(reverse("profiles:dashboard")).content.decode())
    return next(nav for nav in _elements(page, "nav") if dict(nav.attributes).get("aria-label") == "Main")


def _links(nav: Element) -> dict[str, str]:
    return {_text(a).strip(): dict(a.attributes)["href"] for a in _elements(nav, "a")}


def _top_items(nav: Element) -> int:
    top_list = next(_elements(nav, "ul"))
    return sum(1 for child in top_list.children if isinstance(child, Element) and child.name == "li")


@pytest.fixture
def moderator():
    user = UserFactory(preferred_name="Mo Moderator", is_moderator=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def test_a_moderator_reaches_every_moderation_queue_from_the_navigation(client, moderator):
    client.force_login(moderator)
    nav = _main_navigation(client)
    links = _links(nav)
    for name, url in MODERATOR_LINKS.items():
        assert links.get(name) == url, f"no “{name}” link to {url} in the navigation: {links}"
        assert client.get(url).status_code == 200, url
    assert _top_items(nav) <= 5


def test_the_page_a_moderator_is_on_is_marked_in_the_navigation(client, moderator):
    client.force_login(moderator)
    page = parse_html(client.get(reverse("listing_claims:queue")).content.decode())
    current = [_text(a).strip() for a in _elements(page, "a") if dict(a.attributes).get("aria-current") == "page"]
    assert current == ["Listing claims"]


def test_people_who_are_not_moderators_are_not_shown_the_queues(client):
    client.force_login(UserFactory())
    nav = _main_navigation(client)
    links = _links(nav)
    assert not set(MODERATOR_LINKS) & set(links), links
    assert not set(MODERATOR_LINKS.values()) & set(links.values()), links
    assert _top_items(nav) <= 5
