"""API rate limits (issue 8 item 9), named in settings.REST_FRAMEWORK.

Signed-in callers are counted in the shared "default" cache (the database, or Redis with
REDIS_URL): one API_RATE for the whole installation, however many gunicorn workers and
machines answer. Anonymous callers reach only the OpenAPI schema and the docs page (every
other endpoint answers 401 before throttling); they are counted per process in the "local"
cache, so serving the schema needs no database (tests/api loads it at collection time).
"""

from typing import Any

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class SharedUserRateThrottle(UserRateThrottle):
    """API_RATE per signed-in user, counted in the shared cache."""

    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # anonymous: LocalAnonRateThrottle's
        return super().get_cache_key(request, view)


class LocalAnonRateThrottle(AnonRateThrottle):
    """API_ANON_RATE per client address and process, for the schema and docs only."""

    scope = "anon"
    cache = ConnectionProxy(caches, "local")
