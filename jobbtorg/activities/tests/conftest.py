"""Fixtures for the activities tests: a coach at Jobbtorg Järva with one enrolled participant
from Rinkeby-Kista, that district's social worker, and a provider with its staff."""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.activities.models import CatalogueItem
from jobbtorg.testing import factories as f


@pytest.fixture(autouse=True)
def fast_hasher_and_plain_static(settings):
    """A fast password hasher, and plain static storage: pages render {% static %} and a fresh
    checkout has no collectstatic manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True)


@pytest.fixture
def participation(coach):
    """Referred two months ago: the tests' activities start up to 30 days back, within the
    participation (issue 8 item 11)."""
    today = timezone.localdate()
    return f.ParticipationFactory(
        enrolled=True, coach=coach, referred_on=today - datetime.timedelta(days=60), arrived_on=today - datetime.timedelta(days=55)
    )


@pytest.fixture
def social_worker(db):
    return f.UserFactory(social_worker=True)  # Rinkeby-Kista, the participant's home district


@pytest.fixture
def provider(db):
    return f.ProviderFactory()


@pytest.fixture
def provider_staff(provider):
    return f.UserFactory(provider_staff=True, provider=provider)


@pytest.fixture
def item(db):
    """A seeded catalogue item without capacity or linked providers."""
    return CatalogueItem.objects.get(name="Arbetsträning")
