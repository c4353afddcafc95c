"""Project-wide pytest settings: fast hashing and plain static files in unit tests.

The browser tests (tests/e2e) run the real server with production-like settings
in a subprocess, so these overrides do not reach them.
"""

import pytest


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
