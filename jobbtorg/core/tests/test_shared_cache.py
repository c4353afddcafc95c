"""Issue 8 item 9: one rate limit for all processes, not one per gunicorn worker.

The API throttle counts in the shared cache (the database cache, or Redis with REDIS_URL);
the login throttle counts in the database (docs/adr/0011). The multi-process test runs three
separate Python processes against one SQLite file, as three gunicorn workers would, and counts
how many requests get through in total.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from rest_framework.settings import api_settings

from jobbtorg.core.throttles import LocalAnonRateThrottle, SharedUserRateThrottle

BASE_DIR = Path(settings.BASE_DIR)
PROBE = "jobbtorg.core.tests.shared_limit_probe"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "jobbtorg.settings", "JOBBTORG_ENV": "embedded", "DEBUG": "0"}, **extra)
    return env


def test_default_cache_is_the_shared_database_cache():
    """issue 8 item 9: without REDIS_URL the throttles count in the database cache, not per process."""
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] == "jobbtorg_cache"
    assert api_settings.DEFAULT_THROTTLE_CLASSES == [SharedUserRateThrottle, LocalAnonRateThrottle]
    assert SharedUserRateThrottle.cache._alias == "default"
    assert LocalAnonRateThrottle.cache._alias == "local"  # anonymous: the schema and docs only
    assert "django.core.cache.backends.locmem" not in settings.CACHES["default"]["BACKEND"]


def test_the_schema_is_served_without_a_database(client):
    """Anonymous callers (schema, docs) are counted per process: loading /api/v1/schema/ needs no
    database (no django_db mark here: any query would raise; tests/api/test_schema_fuzz.py loads
    the schema at collection time)."""
    assert client.get("/api/v1/schema/?format=json").status_code == 200


@pytest.mark.django_db
def test_anonymous_requests_to_data_endpoints_write_no_counter(client):
    """A signed-in-only endpoint answers 401 before any throttle: nothing is written to the shared cache."""
    assert client.get("/api/v1/persons/").status_code in (401, 403)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM jobbtorg_cache")
        assert cursor.fetchone()[0] == 0


def test_redis_url_selects_redis():
    """issue 8 item 9: REDIS_URL switches the shared cache to Redis (settings read in a fresh interpreter)."""
    code = "import jobbtorg.settings as s; print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=_env(REDIS_URL="redis://cache.example:6379/1"),
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == ["django.core.cache.backends.redis.RedisCache", "redis://cache.example:6379/1"]


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    """issue 8 item 9: `migrate` alone creates the cache table (no createcachetable step)."""
    assert "jobbtorg_cache" in connection.introspection.table_names()
    cache = caches["default"]
    cache.set("issue8:item9", 41)
    assert cache.incr("issue8:item9") == 42


def _run(args: list[str], env: dict[str, str]) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-m", PROBE, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [int(code) for code in result.stdout.split()]


def test_three_processes_share_one_api_limit_and_one_login_limit(tmp_path):
    """issue 8 item 9: with API_RATE=5/min, three processes together let 5 API calls through, not 15;
    and the fifth failed login for one username, counted over the three processes, locks it."""
    env = _env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        API_RATE="5/min",
        LOGIN_FAILURE_LIMIT="5",
        LOGIN_ADDRESS_FAILURE_LIMIT="0",
        LOGIN_FAILURE_WINDOW_MINUTES="15",
        LOGIN_LOCKOUT_MINUTES="15",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True, timeout=300
    )

    api_codes = [_run(["api", "probe", "4"], env) for _ in range(3)]  # three processes, one after the other
    flat = [code for codes in api_codes for code in codes]
    assert flat.count(200) == 5, api_codes
    assert flat.count(429) == 7, api_codes
    assert api_codes[2] == [429, 429, 429, 429]  # the third process starts with the limit already used

    login_codes = [_run(["login", "kalle", "2"], env) for _ in range(3)]
    flat = [code for codes in login_codes for code in codes]
    # The fifth failure starts the lockout (429), wherever it is counted; the sixth is refused unchecked.
    assert flat == [200, 200, 200, 200, 429, 429], login_codes
