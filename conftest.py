"""Project-wide pytest settings: the test clock, fast hashing and plain static files in unit tests.

The test clock (issue 8 item 1): the test session starts at one fixed instant, TEST_CLOCK, and
the clock runs on from there (time-machine, tick=True). `make test` therefore gives the same
answer on any day of the year. Factories date their rows relative to that "today"; a test that needs a
particular day travels there itself (`jobbtorg.testing.clock.on(day)`, a time-machine travel
that nests inside this one).

`JOBBTORG_TEST_CLOCK=2028-06-15T10:00` (Stockholm time unless an offset is given) moves the
instant; CI runs the suite again at a date 1.5 years ahead and on a 29 February (`make
test-clock`, .ci/run), so a test that only passes near the default date fails there.

The browser tests (tests/e2e, marked `browser`) run the real server in a subprocess that this
process's clock cannot reach, so they stay on the real clock and date their input from it.
"""

import datetime
import os
import zoneinfo

import pytest
import time_machine

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# A Wednesday in an ordinary week (no holiday within two weeks either side), 10:00 in Stockholm.
DEFAULT_TEST_CLOCK = "2026-11-25T10:00"


def clock_from_environment() -> datetime.datetime:
    """The instant the test session starts at: JOBBTORG_TEST_CLOCK or the default."""
    value = os.environ.get("JOBBTORG_TEST_CLOCK", "").strip() or DEFAULT_TEST_CLOCK
    try:
        instant = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"JOBBTORG_TEST_CLOCK={value!r} is not an ISO date or date-time ({error})") from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=STOCKHOLM)
    return instant


TEST_CLOCK = clock_from_environment()


def pytest_report_header(config):
    return f"test clock: the session starts at {TEST_CLOCK.isoformat()} (JOBBTORG_TEST_CLOCK); browser tests: the real clock"


@pytest.fixture(scope="session", autouse=True)
def _test_clock():
    """The whole session runs on the test clock: from TEST_CLOCK on, ticking (time-machine).

    Session-wide, so module- and session-scoped fixtures (the seeded demo population, the
    test database's seed rows) are dated by the same clock as the tests that read them.
    """
    with time_machine.travel(TEST_CLOCK, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _real_clock_for_browser_tests(request):
    """A browser test drives a server in another process, on the real clock: so does the test."""
    if not request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(time_machine.escape_hatch.datetime.datetime.now(datetime.UTC), tick=True) as traveller:
        yield traveller


@pytest.fixture
def database_clock(db):
    """On PostgreSQL an audit entry's time is the database's own (issue 8 item 5: a trigger sets
    it, the client cannot), and the database runs on the real clock, not the test clock. A test
    that reads the log review by period therefore runs on the database's clock there; on SQLite
    the application's clock stamps the entries and the test clock stays."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        now = cursor.fetchone()[0]
    with time_machine.travel(now, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request):
    """Each pytest-xdist worker gets its own test database (docs/adr/0018): PostgreSQL's gets the
    worker's suffix (test_jobbtorg_gw0, ...). pytest-django does this itself but tells SQLite by
    Django's own ENGINE path; ours is the audit backend (jobbtorg.audit.backends.sqlite3), so it
    would suffix the file path. SQLite's test database is in memory, one per process already."""
    from django.conf import settings

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if not worker:
        return
    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith("sqlite3"):
            continue
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{worker}"


@pytest.fixture(autouse=True)
def _demo_flag_cached_as_no_demo():
    """Every test starts with this process's cached demo flag set to "not a demo" (what the test
    database holds), so the first page a process renders costs the same queries as every later
    one and a query count does not depend on which test ran before it (xdist, random order).
    Tests of the flag itself call `forget_demo_flag()` first (web/tests/conftest.py)."""
    from django.core.cache import caches

    from jobbtorg.web.context_processors import DEMO_CACHE_ALIAS, DEMO_CACHE_KEY

    caches[DEMO_CACHE_ALIAS].set(DEMO_CACHE_KEY, False, None)
