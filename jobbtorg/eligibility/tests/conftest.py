"""Fixtures for the eligibility tests: a coach at Jobbtorg Järva, a participant in the coach's
caseload, and a coach at another unit (no relation to that participant)."""

import pytest

from jobbtorg.audit.services import Actor
from jobbtorg.testing import factories as f


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_disability_module(monkeypatch):
    """The disability registration is plugged in through a hook; these tests run without it."""
    monkeypatch.setattr("jobbtorg.eligibility.services.documentation_hook", lambda: None)


def actor_for(user) -> Actor:
    return Actor(user_id=user.pk, username=user.get_username(), role=user.role, client_address="127.0.0.1")


def login(client, user):
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(db):
    return f.UserFactory(analyst=True)


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True, first_name="Carl", last_name="Coach")


@pytest.fixture
def other_unit_coach(db):
    return f.UserFactory(role="coach", jobbtorg_unit=f.unit("sydost"))


@pytest.fixture
def person(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach).person
