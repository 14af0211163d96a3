"""Community resources made through the services, as people make them."""

from __future__ import annotations

import itertools

from community import services
from community.services import ResourceInput, ScheduleInput
from profiles.models import Organisation, OrganisationMembership
from tests.factories import UserFactory

_counter = itertools.count(1)


def make_coordinator(**kwargs):
    user = UserFactory(**kwargs)
    organisation = Organisation.objects.create(name=f"Coordinating group {next(_counter)}", outcode="BB1")
    OrganisationMembership.objects.create(
        user=user, organisation=organisation, role=OrganisationMembership.Role.COORDINATOR
    )
    return user


def resource_input(**overrides) -> ResourceInput:
    data = {
        "organisation_name": "Calder Valley Ramblers",
        "name": f"Sunday walk {next(_counter)}",
        "description": "A gentle walk with a cafe stop.",
        "topics": ["walking"],
        "postcode": "HX1",
        "schedules": [ScheduleInput("sun")],
    }
    data.update(overrides)
    return ResourceInput(**data)


def make_resource(*, publish: bool = True, suggester=None, curator=None, **overrides):
    suggester = suggester or UserFactory()
    service = services.resource_suggest(actor=suggester, data=resource_input(**overrides))
    if publish:
        service = services.resource_publish(actor=curator or make_coordinator(), service=service)
    return service
