"""Helpers shared by the UI tests: web/tests/conftest.py and people/tests/test_views*.py use them."""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from jobbtorg.testing.factories import ParticipationFactory
from jobbtorg.web.context_processors import forget_demo_flag


def apply_ui_settings(settings: Any) -> None:
    """Plain static storage (no collectstatic manifest in tests), a fast password hasher,
    and no cached demo flag from an earlier test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    forget_demo_flag()


def make_login(client: Any) -> Callable[[Any], Any]:
    """A function that logs `user` in on the test client and returns the client."""

    def do(user: Any) -> Any:
        # The factories set the password after saving (skip_postgeneration_save); save it so
        # the session's password hash matches the row the request loads.
        user.save()
        client.force_login(user)
        return client

    return do


def closed_participation(**kwargs: Any) -> Any:
    """A participation closed five days ago, with a closure reason and consistent dates."""
    today = timezone.localdate()
    kwargs.setdefault("closure_reason", "moved")
    kwargs.setdefault("referred_on", today - datetime.timedelta(days=120))
    return ParticipationFactory(closed=True, **kwargs)
