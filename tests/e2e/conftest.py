"""Browser tests against the real server (issue 2, part 9).

Why not pytest-django's `live_server`: it runs Django's development server in a
thread and flushes the database between tests, and on PostgreSQL the audit table
refuses DELETE by trigger (docs/adr/0005). Instead, once per test session:

1. a fresh database is made for the run: an SQLite file in a temporary directory,
   or, when DATABASE_URL names PostgreSQL, a separate database `<name>_e2e`
   (dropped and created again through psycopg);
2. `compilemessages`, `migrate`, `seed_demo --participants 300 --seed 7` and
   `collectstatic` run against it in subprocesses, as `make run` does;
3. gunicorn serves `jobbtorg.wsgi` on a free 127.0.0.1 port with DEBUG off and
   whitenoise serving the static files, as in production;
4. the tests drive Debian's Chromium through Playwright's sync API.

The tests use no pytest-django database fixture: they see the application only
through HTTP, as a person would. Every test here is marked `browser`, so
`pytest -m "not browser"` leaves them out.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "jobbtorg-demo"
E2E_PARTICIPANTS = 300
E2E_SEED = 7
SERVER_START_TIMEOUT = 60  # seconds until /login/ must answer

# Variables from the developer's or CI's environment that must not leak into the server.
_SCRUBBED = {"DEBUG", "JOBBTORG_ENV", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "BEHIND_PROXY"}


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, marked or not."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


_SERVERS: list["E2EServer"] = []


def pytest_terminal_summary(terminalreporter):
    """Say how long setting up the browser-test server took, and where its log is."""
    for server in _SERVERS:
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in server.timings.items())
        terminalreporter.write_line(f"e2e server {server.url} ({server.database}): {timings}; log in {server.log_dir}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def _recreate_postgres_database(url: str) -> str:
    """Drop and create `<name>_e2e` next to the database in `url`; return its URL."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    e2e_name = f"{parts.path.lstrip('/') or 'jobbtorg'}_e2e"
    # Under pytest-xdist each worker that runs browser tests starts its own server on its own
    # database (`make test` runs them in one process: docs/adr/0018).
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        e2e_name = f"{e2e_name}_{worker}"
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(e2e_name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(e2e_name)))
    return urlunsplit(parts._replace(path=f"/{e2e_name}"))


def _drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(parts.path.lstrip("/"))))


@dataclass
class E2EServer:
    """The running server and the environment it was started with."""

    url: str
    database: str
    env: dict[str, str]
    log_dir: Path
    timings: dict[str, float] = field(default_factory=dict)

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Run a management command against the e2e database; return its stdout."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def query(self, code: str) -> str:
        """Run Python in `manage.py shell` against the e2e database; return what it prints, stripped."""
        return self.manage("shell", "--no-imports", "-c", code).strip()


def _wait_until_serving(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url}/login/ in {SERVER_START_TIMEOUT} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    """A fresh, seeded database and gunicorn serving it; yields an E2EServer."""
    tmp = tmp_path_factory.mktemp("e2e")
    source_url = os.environ.get("DATABASE_URL", "")
    database_url = _recreate_postgres_database(source_url) if _is_postgres(source_url) else f"sqlite:///{tmp / 'e2e.sqlite3'}"
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED}
    env.update(
        DJANGO_SETTINGS_MODULE="jobbtorg.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Read by settings when it supports it; otherwise collectstatic fills ./staticfiles.
        STATIC_ROOT=str(tmp / "static"),
        EMAIL_BACKEND="locmem",
        PYTHONUNBUFFERED="1",
    )
    server = E2EServer(url=f"http://127.0.0.1:{port}", database=database_url, env=env, log_dir=tmp)
    _SERVERS.append(server)

    started = time.monotonic()
    server.manage("compilemessages", "--ignore=.venv", "-v", "0")  # as `make test` does; needs msgfmt
    server.manage("migrate", "--no-input", "-v", "0")
    server.timings["migrate"] = time.monotonic() - started
    started = time.monotonic()
    server.manage("seed_demo", "--participants", str(E2E_PARTICIPANTS), "--seed", str(E2E_SEED), "-v", "0")
    server.timings["seed_demo"] = time.monotonic() - started
    started = time.monotonic()
    server.manage("collectstatic", "--no-input", "-v", "0")
    server.timings["collectstatic"] = time.monotonic() - started

    log = tmp / "gunicorn.log"
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "jobbtorg.wsgi",
                "--bind", f"127.0.0.1:{port}",
                "--workers", "2",
                "--timeout", "60",
                "--graceful-timeout", "5",
                "--no-control-socket",
                "--access-logfile", "-",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        started = time.monotonic()
        _wait_until_serving(proc, server.url, log)
        server.timings["gunicorn start"] = time.monotonic() - started
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if _is_postgres(database_url):
            _drop_postgres_database(database_url)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright's sync API."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(e2e_server, browser, request):
    """A new page in a fresh browser context (no cookies), based at the server's URL.

    On failure a screenshot is saved next to the server log, and its path printed.
    """
    context = browser.new_context(base_url=e2e_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        shot = e2e_server.log_dir / f"{request.node.name}.png".replace("/", "_")
        try:
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the test failure
            print(f"screenshot failed: {exc}")
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form as a person would: by the fields' labels."""
    page.goto("/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state()


@pytest.fixture
def login():
    """`login(page, "coach")`: log in through the form with the demo password."""
    return log_in


# Session cookies per demo user, so that tests which are not about logging in skip the
# form (each login costs a deliberately slow password hash on the server).
_SESSIONS: dict[str, list] = {}


@pytest.fixture
def as_user(page):
    """`as_user("coach")`: the page, logged in as that demo user and on the start page."""

    def _as_user(username: str):
        if username in _SESSIONS:
            page.context.add_cookies(_SESSIONS[username])
            page.goto("/")
        else:
            log_in(page, username)
            _SESSIONS[username] = page.context.cookies()
        assert "/login/" not in page.url, f"{username} is not logged in: {page.url}"
        return page

    return _as_user
