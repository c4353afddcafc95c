"""Fixtures shared by the referral and participation tests: the cast at Järva / Rinkeby-Kista."""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.audit.services import Actor
from jobbtorg.testing import factories as f


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """A fast hasher, and plain static storage (no collectstatic manifest in tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def login(client, user):
    """Log `user` in. The factories set the password after saving; save it so the session hash matches."""
    user.save()
    client.force_login(user)
    return client


def actor_for(user) -> Actor:
    return Actor(user_id=user.pk, username=user.get_username(), role=user.role, client_address="127.0.0.1")


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def social_worker(db):
    return f.UserFactory(social_worker=True, first_name="Sara", last_name="Socialsekreterare")


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True, first_name="Carl", last_name="Coach")


@pytest.fixture
def other_coach(db):
    return f.UserFactory(coach=True, first_name="Cecilia", last_name="Coach")


@pytest.fixture
def manager(db):
    return f.UserFactory(unit_manager=True, first_name="Maria", last_name="Chef")
