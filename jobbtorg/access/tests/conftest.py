"""Fixtures for the access tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Factories set a password on every user; the production hasher would make
    # the access matrix (hundreds of users) take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
