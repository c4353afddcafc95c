"""Fixtures: the OSA officer of Rinkeby-Kista, a resident person, and a city administration."""

import pytest

from jobbtorg.audit.services import Actor
from jobbtorg.testing import factories as f


@pytest.fixture
def officer(db):
    return f.UserFactory(osa_officer=True)  # Rinkeby-Kista


@pytest.fixture
def person(db):
    return f.PersonFactory()  # home district Rinkeby-Kista


@pytest.fixture
def city_employer(db):
    return f.EmployerFactory(kind="city_administration", name="Stockholms stad – Trafikkontoret")


def actor_of(user):
    return Actor(user.pk, user.username, user.role)
