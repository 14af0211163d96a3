"""Privacy surprises (issue 13 item 7): the "See it as others do" preview, blocks hiding shared contact
details, seekers kept off open pages and the open export, and the separate choice to export lived experience."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from messaging import selectors as messaging_selectors
from messaging import services as messaging_services
from messaging.models import Membership
from profiles import services
from profiles.models import Visibility
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db

LABEL = "Visually impaired"  # the label of visual_impairment on the page


def _peer_with_lived_experience(visibility: str = Visibility.CONNECTIONS):
    owner = UserFactory(preferred_name="Jo Peer")
    profile = make_profile(owner, role="peer_advisor", lived_experience=["visual_impairment"], display_name="Jo P.")
    services.sensitive_update(profile=profile, actor=owner, health_details="Uses a guide dog")
    services.profile_update(
        profile=profile,
        actor=owner,
        data={"lived_experience_visibility": visibility, "health_details_visibility": Visibility.PRIVATE},
    )
    return owner, profile


def _preview(client, owner, profile, audience=None) -> str:
    client.force_login(owner)
    query = {"audience": audience} if audience else {}
    response = client.get(f"/me/profiles/{profile.pk}/preview/", query)
    assert response.status_code == 200
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


# ---------------------------------------------------------------- "See it as others do"


def test_the_owner_sees_everything_on_their_own_page_but_the_preview_shows_what_others_see(client):
    owner, profile = _peer_with_lived_experience(Visibility.CONNECTIONS)
    client.force_login(owner)
    own_page = client.get(profile.get_absolute_url()).content.decode()
    assert LABEL in own_page and "Uses a guide dog" in own_page  # the owner's view, as before

    default = _main(_preview(client, owner, profile))
    assert "Showing what a signed-in member you are not connected with sees" in default
    assert LABEL not in default and "Uses a guide dog" not in default

    assert LABEL not in _main(_preview(client, owner, profile, "anyone"))
    connected = _main(_preview(client, owner, profile, "connection"))
    assert LABEL in connected and "Uses a guide dog" not in connected  # health details: only me and my coordinator


def test_the_preview_matches_what_real_viewers_of_each_kind_see(client):
    from django.test import Client

    checked = set()
    for visibility in (Visibility.SIGNED_IN, Visibility.CONNECTIONS, Visibility.PRIVATE):
        owner, profile = _peer_with_lived_experience(visibility)
        member, friend = UserFactory(), UserFactory()
        services.connection_create(a=owner, b=friend)
        real = {"anyone": Client(), "member": Client(), "connection": Client()}
        real["member"].force_login(member)
        real["connection"].force_login(friend)
        for audience, viewer in real.items():
            seen = LABEL in _main(viewer.get(profile.get_absolute_url()).content.decode())
            previewed = LABEL in _main(_preview(client, owner, profile, audience))
            assert previewed == seen, (visibility, audience)
            checked.add((audience, seen))
    # Every kind of viewer both saw and did not see it under some choice: the comparison is not vacuous.
    assert checked == {(a, s) for a in ("member", "connection") for s in (True, False)} | {("anyone", False)}


def test_a_seekers_preview_for_visitors_says_they_cannot_see_the_page(client):
    seeker = UserFactory()
    profile = make_profile(seeker, role="seeker", display_name="Ann C.")
    page = _main(_preview(client, seeker, profile, "anyone"))
    assert "They cannot see your page at all" in page and '<h2 id="profile-name">' not in page
    assert "They cannot see your page at all" not in _main(_preview(client, seeker, profile, "member"))


def test_the_preview_of_someone_elses_profile_is_404_and_a_bad_choice_falls_back(client):
    owner, profile = _peer_with_lived_experience()
    client.force_login(UserFactory())
    assert client.get(f"/me/profiles/{profile.pk}/preview/").status_code == 404
    page = _preview(client, owner, profile, "everyone-and-their-dog")
    assert "Choose one of the kinds of viewer listed." in page and LABEL not in _main(page)


def test_the_account_page_links_every_profile_to_its_preview(client):
    owner, profile = _peer_with_lived_experience()
    draft = make_profile(owner, role="pa", listed=False)
    client.force_login(owner)
    page = client.get("/me/").content.decode()
    assert f"/me/profiles/{profile.pk}/preview/" in page and f"/me/profiles/{draft.pk}/preview/" in page


# ---------------------------------------------------------------- blocks hide shared contact details


def test_blocking_hides_contact_details_already_shared_both_ways(client):
    seeker, supporter = UserFactory(preferred_name="Sara Seeker"), UserFactory(preferred_name="Sam Supporter")
    listing = make_profile(supporter, role="pa")
    request = messaging_services.contact_request_create(sender=seeker, profile=listing, message="Hello there, Sam.")
    conversation = messaging_services.contact_request_accept(contact_request=request, actor=supporter)
    messaging_services.contact_share(conversation=conversation, user=seeker, details="07700 900111")
    messaging_services.contact_share(conversation=conversation, user=supporter, details="07700 900222")

    def details_seen_by(user) -> list[str]:
        membership = Membership.objects.get(conversation=conversation, user=user)
        return [c.details for c in messaging_selectors.shared_contacts(membership=membership)]

    assert details_seen_by(seeker) == ["07700 900222"] and details_seen_by(supporter) == ["07700 900111"]
    client.force_login(seeker)
    assert "07700 900222" in client.get(f"/messages/{conversation.pk}/").content.decode()

    services.block_create(blocker=seeker, blocked=supporter)
    assert details_seen_by(seeker) == [] and details_seen_by(supporter) == []
    for user, theirs in ((seeker, "07700 900222"), (supporter, "07700 900111")):
        client.force_login(user)
        response = client.get(f"/messages/{conversation.pk}/")
        assert theirs not in response.content.decode()

    services.block_remove(blocker=seeker, blocked=supporter)
    assert details_seen_by(seeker) == ["07700 900222"]  # the same rule: unblocking shows them again


# ---------------------------------------------------------------- seekers are private


def test_a_seekers_page_is_never_open_to_anonymous_visitors(client):
    seeker = UserFactory()
    profile = make_profile(seeker, role="seeker", display_name="Ann C.")
    assert client.get(profile.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/register/{profile.ref}/").status_code == 404
    assert client.get(f"/register/{profile.ref}/reviews/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(profile.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/register/{profile.ref}/").status_code == 200


def test_a_supporters_page_stays_open_to_anonymous_visitors(client):
    profile = make_profile(role="pa")
    assert client.get(profile.get_absolute_url()).status_code == 200


def _export() -> dict[str, dict]:
    out = StringIO()
    call_command("export_register", stdout=out)
    return {record["ref"]: record for record in map(json.loads, out.getvalue().splitlines())}


def test_the_open_export_never_carries_seekers():
    seeker = make_profile(role="seeker", display_name="Ann C.")
    pa = make_profile(role="pa")
    exported = _export()
    assert seeker.ref not in exported and pa.ref in exported
    assert all(record["role"] != "seeker" for record in exported.values())


def test_lived_experience_is_exported_only_after_the_separate_choice():
    owner, profile = _peer_with_lived_experience(Visibility.SIGNED_IN)
    assert profile.shares_lived_experience_with_registers is False  # off by default
    assert "lived_experience" not in _export()[profile.ref]  # visible to every member here is not enough

    services.register_sharing_set(profile=profile, actor=owner, share=True)
    profile.refresh_from_db()
    assert profile.register_sharing_version == services.REGISTER_SHARING_VERSION
    assert _export()[profile.ref]["lived_experience"] == ["visual_impairment"]
    assert "Uses a guide dog" not in json.dumps(_export())

    services.register_sharing_set(profile=profile, actor=owner, share=False)
    assert "lived_experience" not in _export()[profile.ref]


def test_a_sharing_choice_does_not_survive_withdrawn_consent():
    owner, profile = _peer_with_lived_experience(Visibility.SIGNED_IN)
    services.register_sharing_set(profile=profile, actor=owner, share=True)
    services.consent_withdraw(profile=profile, actor=owner)
    services.consent_give(profile=profile, actor=owner)
    services.sensitive_update(profile=profile, actor=owner, lived_experience=["deaf"])
    assert "lived_experience" not in _export()[profile.ref]


def test_seekers_and_people_without_consent_cannot_choose_to_share():
    seeker = UserFactory()
    seeker_profile = make_profile(seeker, role="seeker", lived_experience=["deaf"])
    with pytest.raises(ValidationError):
        services.register_sharing_set(profile=seeker_profile, actor=seeker, share=True)
    pa = make_profile(role="pa")
    with pytest.raises(ValidationError):
        services.register_sharing_set(profile=pa, actor=pa.user, share=True)


def test_the_sharing_choice_on_the_page_has_its_own_consent_wording(client):
    owner, profile = _peer_with_lived_experience(Visibility.SIGNED_IN)
    client.force_login(owner)
    page = client.get(f"/me/profiles/{profile.pk}/lived-experience/").content.decode()
    assert services.REGISTER_SHARING_WORDING in page
    assert "not included in the open register export" in page
    response = client.post(f"/me/profiles/{profile.pk}/lived-experience/share/", {"share": "on"}, follow=True)
    assert "will be in the open register export from the next one" in response.content.decode()
    profile.refresh_from_db()
    assert profile.shares_lived_experience_with_registers
    client.post(f"/me/profiles/{profile.pk}/lived-experience/share/", {})
    profile.refresh_from_db()
    assert not profile.shares_lived_experience_with_registers
    client.force_login(UserFactory())
    assert client.post(f"/me/profiles/{profile.pk}/lived-experience/share/", {"share": "on"}).status_code == 404
