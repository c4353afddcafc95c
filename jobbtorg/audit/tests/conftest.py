"""Fixtures for the audit log and log review tests."""

import pytest

from jobbtorg.testing import factories as f


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # Pages render {% static %}; the manifest storage would need collectstatic first.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def sysadmin():
    return f.UserFactory(sysadmin=True, username="admin1")


@pytest.fixture
def manager():
    """Unit manager at Jobbtorg Järva."""
    return f.UserFactory(unit_manager=True, username="chef1")


@pytest.fixture
def coach():
    """A coach at Jobbtorg Järva, the manager's unit."""
    return f.UserFactory(coach=True, username="coach1")


@pytest.fixture
def outside_coach():
    """A coach at Jobbtorg Västerort, not the manager's unit."""
    return f.UserFactory(coach=True, username="coach9", jobbtorg_unit=f.unit("vasterort"))


@pytest.fixture
def unit_person():
    """Person 42, a participant at Jobbtorg Järva (the manager's unit), whose log the unit manager
    may review; the tests' entries name person 42."""
    person = f.PersonFactory(pk=42)
    f.ParticipationFactory(person=person, unit=f.unit("jarva"))
    return person
