"""Fixtures for the web UI tests."""

import pytest

from jobbtorg.web.context_processors import forget_demo_flag
from jobbtorg.web.tests.fixtures import apply_ui_settings, make_login


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)
    yield
    forget_demo_flag()


@pytest.fixture
def login(client):
    return make_login(client)
