"""Fixtures for the API tests: token clients per role and people with a known relation."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from jobbtorg.accounts.models import User
from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.testing import factories as f


def pytest_collection_modifyitems(config, items):
    """The schema fuzz tests run in one process (`serial`, docs/adr/0018): schemathesis gives every
    operation's test the same node id, and pytest-xdist, which tells tests apart by node id,
    then ran 2 of the 114."""
    for item in items:
        if item.path.name == "test_schema_fuzz.py":
            item.add_marker(pytest.mark.serial)


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    return token_client


@pytest.fixture
def coach() -> User:
    return f.UserFactory(coach=True)


@pytest.fixture
def coach_client(coach) -> APIClient:
    return token_client(coach)
