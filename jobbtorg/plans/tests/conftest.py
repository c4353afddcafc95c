"""Fixtures for the plan tests: a coach with a participant in Rinkeby-Kista (served by Jobbtorg
Järva), that district's social worker, and a social worker of another district."""

import datetime as dt

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
def colleague(coach):
    """Another coach at the same Jobbtorg unit, named substitute for `coach`: since issue 8 item 6
    that is how a colleague reaches the coach's caseload."""
    from jobbtorg.access.testing import stand_in

    colleague = f.UserFactory(coach=True)
    stand_in(colleague, coach)
    return colleague


# Referred and arrived before every fixed date the plan tests use (2026-01-15 onwards): a plan
# starts on or after the referral (issue 8 item 11).
REFERRED_ON = dt.date(2026, 1, 5)
ARRIVED_ON = dt.date(2026, 1, 7)


@pytest.fixture
def participation(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach, referred_on=REFERRED_ON, arrived_on=ARRIVED_ON)


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


@pytest.fixture
def make_client():
    from django.test import Client

    return Client
