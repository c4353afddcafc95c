"""Fixtures for the web UI tests."""

import pytest
from django.core.cache import cache

from jobbtorg.web.context_processors import DEMO_CACHE_KEY
from jobbtorg.web.tests.fixtures import apply_ui_settings, make_login


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)
    yield
    cache.delete(DEMO_CACHE_KEY)


@pytest.fixture
def login(client):
    return make_login(client)
