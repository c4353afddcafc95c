"""Fixtures for the subsidy tests: a coach and a manager at Jobbtorg Järva, a participant in the
coach's caseload, an employer with a supervisor, and the `act` helper that calls a service as a user."""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.audit.services import Actor
from jobbtorg.testing import factories as f


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_disability_module(monkeypatch):
    """The disability registration is another helper's module; these tests run without it
    (`test_disability_hook_*` plug in a stand-in to prove the integration)."""
    monkeypatch.setattr("jobbtorg.eligibility.services.documentation_hook", lambda: None)


def actor_for(user) -> Actor:
    return Actor(user_id=user.pk, username=user.get_username(), role=user.role, client_address="127.0.0.1")


def login(client, user):
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True, first_name="Carl", last_name="Coach")


@pytest.fixture
def manager(db):
    return f.UserFactory(unit_manager=True, first_name="Karin", last_name="Chef")


@pytest.fixture
def analyst(db):
    return f.UserFactory(analyst=True)


@pytest.fixture
def other_unit_coach(db):
    return f.UserFactory(role="coach", jobbtorg_unit=f.unit("sydost"))


@pytest.fixture
def participation(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach)


@pytest.fixture
def person(participation):
    return participation.person


@pytest.fixture
def employer(db):
    return f.EmployerFactory(name="Kista Bygg AB")


@pytest.fixture
def supervisor(employer):
    return f.EmployerContactFactory(employer=employer, name="Hanna Handledare", phone="08-111 222 33")
