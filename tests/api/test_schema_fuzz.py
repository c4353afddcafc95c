"""Property-based fuzzing of the whole API from its own OpenAPI schema (issue 2: "random valid
and invalid requests against it produce no 5xx").

Schemathesis loads /api/v1/schema/ from the WSGI application in-process (no network, no
server; loading also validates it as OpenAPI 3) and, for every operation, sends a bounded,
deterministic set of generated requests, valid ones and ones that break the schema, as a
signed-in coach with some people in the caseload. The only check: no answer is a 5xx.

Persons, organisation and /me get EXAMPLES examples per operation; every other operation
in the API gets OTHER_EXAMPLES, so the run stays short while the API grows. Both can be
raised for a deeper run: API_FUZZ_EXAMPLES=200 API_FUZZ_OTHER_EXAMPLES=100 pytest tests/api.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from jobbtorg.testing import factories as f
from jobbtorg.wsgi import application

from .conftest import token_client

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
OTHER_EXAMPLES = int(os.environ.get("API_FUZZ_OTHER_EXAMPLES", "5"))
CORE_PATHS = r"^/api/v1/(persons|districts|units|service-areas|af-units|providers|employers|me)/"

pytestmark = pytest.mark.django_db

# Loaded at collection, through the real /api/v1/schema/ view (which needs no database).
# (schemathesis.pytest.from_fixture would defer this, but does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], deterministic=True)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The WSGI handler closes "old" connections after each request, which on PostgreSQL closes
    the test's transaction; Django's own test client unhooks this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def coach_headers(coach):
    # People in the coach's caseload, so small ids often hit a real, visible person.
    for _ in range(3):
        f.ParticipationFactory(person=f.PersonFactory(), coach=coach, enrolled=True)
    f.PersonFactory(protected=True)
    client = token_client(coach)
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@schema.include(path_regex=CORE_PATHS).parametrize()
@_settings(EXAMPLES)
def test_persons_and_organisation_give_no_server_errors(case, coach_headers):
    case.call_and_validate(headers=coach_headers, checks=[not_a_server_error])


@schema.exclude(path_regex=CORE_PATHS).parametrize()
@_settings(OTHER_EXAMPLES)
def test_the_rest_of_the_api_gives_no_server_errors(case, coach_headers):
    case.call_and_validate(headers=coach_headers, checks=[not_a_server_error])
