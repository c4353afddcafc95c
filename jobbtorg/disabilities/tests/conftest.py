"""Fixtures: a person from Rinkeby-Kista enrolled at Jobbtorg Järva with a coach; the district's OSA
officer; the others who can reach the person but must not see health data."""

import pytest

from jobbtorg.testing import factories as f


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True)


@pytest.fixture
def participation(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach)


@pytest.fixture
def person(participation):
    return participation.person


@pytest.fixture
def osa_officer(db):
    return f.UserFactory(osa_officer=True)  # Rinkeby-Kista, the person's home district
