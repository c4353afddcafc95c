"""Fixtures for the assessment tests: a coach with a participant in Rinkeby-Kista, a colleague
at the same unit, and social workers of the home district and of another district."""

import pytest

from jobbtorg.audit.services import Actor
from jobbtorg.testing import factories as f


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def actor_for(user):
    return Actor(user_id=user.pk, username=user.username, role=user.role, client_address="127.0.0.1")


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True)


@pytest.fixture
def colleague(db):
    """Another coach at the same Jobbtorg unit."""
    return f.UserFactory(coach=True)


@pytest.fixture
def participation(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach)


@pytest.fixture
def social_worker(db):
    return f.UserFactory(social_worker=True)  # Rinkeby-Kista, the participant's home district


@pytest.fixture
def other_social_worker(db):
    return f.UserFactory(social_worker=True, district=f.district("bromma"))


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Pages are rendered without a collectstatic manifest in tests.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
