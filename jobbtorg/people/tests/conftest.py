"""Fixtures for the people tests."""

import pytest

from jobbtorg.audit.services import Actor


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Factories and seed_demo set passwords; the production hasher costs ~0.5 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def actor_of():
    """Build the audit Actor for a user, as a view would from its request."""

    def build(user) -> Actor:
        return Actor(user_id=user.pk, username=user.username, role=user.role, client_address="10.0.0.7")

    return build
