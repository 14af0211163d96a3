"""Factories for tests. Profiles are made through the services, as people make them."""

from __future__ import annotations

import itertools

import factory
from allauth.account.models import EmailAddress

from profiles import services
from profiles.models import Organisation, Profile, User

_counter = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    preferred_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"User-led organisation {n}")
    outcode = "BB1"

    @factory.post_generation
    def approved(obj, create, extracted, **kwargs):
        """Approved by the operator (peer_support), unless made with approved=False."""
        if create and extracted is not False:
            from peer_support.models import OrganisationApproval

            OrganisationApproval.objects.get_or_create(organisation=obj, defaults={"status": "approved"})


def make_profile(
    user: User | None = None,
    *,
    role: str = "pa",
    postcode: str = "BB1",
    display_name: str | None = None,
    listed: bool = True,
    lived_experience: list[str] | None = None,
    **data,
) -> Profile:
    user = user or UserFactory()
    profile = services.profile_create(
        actor=user, role=role, display_name=display_name or f"Member {next(_counter)}", postcode=postcode, **data
    )
    if lived_experience is not None:
        services.consent_give(profile=profile, actor=user)
        services.sensitive_update(profile=profile, actor=user, lived_experience=lived_experience)
    if listed:
        services.profile_publish(profile=profile, actor=user)
    profile.refresh_from_db()
    return profile
