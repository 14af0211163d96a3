"""Schemathesis over the published OpenAPI schema (/api/schema/): every operation, with generated
input, as an anonymous caller and as a signed-in person of each role.

Checked for every response: no server error, the body matches the schema, and the status code is
one the schema documents. The example budget is fixed and the generation derandomised, so a run is
short and repeatable (no shrinking: the first failing example of an operation is reported as found).
The schema is loaded with schemathesis's module-level WSGI loader (its pytest fixture loader does not
work under pytest 9). One test per kind of caller runs every operation and reports every operation
that failed, not only the first. Marker: ``schemathesis`` (`pytest -m schemathesis`); it prints its
figures (operations, cases, server errors, failed checks, status codes).
"""

from collections import Counter
from decimal import Decimal

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from profiles.services import connection_create, organisation_add_coordinator
from profiles.tokens import api_token_create
from tests.factories import OrganisationFactory, UserFactory, make_profile

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

EXAMPLES_PER_OPERATION = 3  # 57 operations x 6 callers x 3: about 1,000 requests
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
ROLES = ("anonymous", "seeker", "pa", "peer_advisor", "broker", "coordinator")

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
FIGURES: Counter = Counter()  # cases, server errors, failed operations
STATUSES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _print_figures(request):
    yield
    if not FIGURES["cases"]:
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # printed even when pytest captures output
        print(
            f"\nschemathesis: {len(OPERATIONS)} operations x {FIGURES['callers']} callers, {FIGURES['cases']} cases, "
            f"{FIGURES['server_errors']} server errors, {FIGURES['failed']} failing operation-caller pairs; "
            f"status codes {dict(sorted(STATUSES.items()))}"
        )


@pytest.fixture(autouse=True)
def _connections_stay_open():
    """The schema's WSGI application sends request_finished, which closes the database connection (with
    PostgreSQL's pool it is handed back) in the middle of the test's transaction. Django's test client
    disconnects the same handler for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(db, settings):
    """An Authorization header for each kind of caller, with a small world around them."""
    # Request limits have tests of their own (tests/marketplace/test_throttling.py); at their real rates they
    # would answer most of these requests with 429 before any view ran.
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "anon": "100000/min",
        "user": "100000/min",
        "write": "100000/min",
    }
    seeker = UserFactory(preferred_name="Sara Seeker")
    make_profile(seeker, role="seeker", postcode="BB1", listed=False, seeking={"max_km": 20})
    people = {"seeker": seeker}
    for role in ("pa", "peer_advisor", "broker"):
        person = UserFactory(preferred_name=f"Fuzz {role}")
        extra = {"hourly_rate": Decimal("15.00")} if role != "peer_advisor" else {}
        make_profile(person, role=role, postcode="BB1", travel_km=20, **extra)
        connection_create(a=seeker, b=person)
        people[role] = person
    coordinator = UserFactory(preferred_name="Cora Coordinator")
    organisation_add_coordinator(organisation=OrganisationFactory(), user=coordinator)
    people["coordinator"] = coordinator
    headers = {"anonymous": {}}
    for role, person in people.items():
        headers[role] = {"Authorization": f"Token {api_token_create(user=person, name='schema fuzz').raw}"}
    return headers


def _summary(error: BaseException) -> str:
    """The failure in a few lines: its code and title, and what was received or violated."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    keep = [line for line in lines if not line.startswith(("Reproduce", "curl ", "Schemathesis found"))]
    return " / ".join(keep[:8])[:600]


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_within_its_schema(role, callers):
    failures = []
    FIGURES["callers"] += 1
    for operation in OPERATIONS:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # The in-process WSGI client asks for gzip like a browser but does not decompress (the site
            # compresses answers since GZipMiddleware; tests/marketplace/test_compression.py covers that).
            response = case.call(headers={**callers[role], "Accept-Encoding": "identity"})
            FIGURES["cases"] += 1
            STATUSES[response.status_code] += 1
            FIGURES["server_errors"] += response.status_code >= 500
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every failing operation is listed, then the test fails
            FIGURES["failed"] += 1
            failures.append(f"{operation.label}: {_summary(error)}")
    assert not failures, f"{len(failures)} of {len(OPERATIONS)} operations failed as {role}:\n" + "\n".join(failures)
