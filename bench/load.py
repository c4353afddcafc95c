#!/usr/bin/env python
"""Load, not only single requests (issue 9 item 9): Locust against the real gunicorn on the 1,000,000 database.

    make load
    # or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobbtorg_bench_1000000 .venv/bin/python bench/load.py

Needs the database bench/pages.py builds (`bench/pages.py --sizes 1000000 --only-prepare`,
≈ 20 minutes once). Then:

1. reads the targets from it: the demo coach's caseload and open activities, Rinkeby-Kista's
   residents and the plans in its approval queue, the demo provider's open activities, search terms;
2. starts gunicorn (gunicorn.conf.py, `--workers`, default 3) on 127.0.0.1 only, DEBUG off;
3. runs Locust headless (bench/locustfile.py): `--users` (50) simulated staff, coach : district :
   provider = 5 : 3 : 2, each with a session of its own (made directly, as a login makes it: mid-day
   staff are logged in; `--login-form` logs each in through the form instead) — start page,
   search, person page, register attendance, approve a plan — with `--wait` seconds (1-3) between
   steps, for `--time` (2m), ramping up at `--spawn-rate` (5/s); the statistics start after the ramp;
4. samples, once a second, the CPU of gunicorn, PostgreSQL and Locust and what the database's
   sessions wait on (pg_stat_activity), to tell what limits the throughput;
5. prints requests/s, p50/p95/p99 and errors (in total and per page) and the verdict against the
   target: >= 20 requests/s with p95 <= 500 ms and 0 errors. Exit status 1 if it is missed.

Traffic goes to 127.0.0.1 only, bounded by --time; every process started here is stopped at the end.
Writes (attendance, approvals) change the bench database as a day's work would; re-runs approve
the next plans in the queue.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jobbtorg_bench_1000000"
TARGET_RPS, TARGET_P95_MS = 20.0, 500.0
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="jobbtorg.settings",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_BACKEND="locmem",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    return env


def targets(today_override: str | None = None) -> dict[str, object]:
    """What the simulated users work on, read once from the bench database."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from jobbtorg.accounts.models import User
    from jobbtorg.activities.selectors import visible_activities
    from jobbtorg.demo.users import DEMO_PASSWORD
    from jobbtorg.participations.models import OPEN_STATUSES, Participation
    from jobbtorg.people.models import Person
    from jobbtorg.plans.models import ActivityPlan

    today = datetime.date.fromisoformat(today_override) if today_override else timezone.localdate()
    coach = User.objects.get(username="coach")
    district = User.objects.get(username="socialsekreterare")
    provider = User.objects.get(username="anordnare")
    running = {"status": "open", "start_date__lt": today - datetime.timedelta(days=7), "end_date__gte": today}

    def activities(qs: object) -> list[dict[str, object]]:
        return [{"id": pk, "start": start.isoformat()} for pk, start in qs.values_list("pk", "start_date")[:500]]  # type: ignore[attr-defined]

    coach_persons = list(Participation.objects.filter(coach=coach, status__in=OPEN_STATUSES).values_list("person_id", flat=True))
    district_persons = list(
        Participation.objects.filter(home_district_id=district.district_id, status__in=OPEN_STATUSES)
        .order_by("-referred_on", "id")
        .values_list("person_id", flat=True)[:300]
    )
    surnames = sorted(set(Person.objects.filter(pk__in=coach_persons).values_list("last_name", flat=True)))
    out = {
        "today": today.isoformat(),
        "password": DEMO_PASSWORD,
        "coach_persons": coach_persons,
        "district_persons": district_persons,
        "search_terms": surnames or ["Andersson"],
        # Through the access policy: only activities the user may open and register.
        "coach_activities": activities(
            visible_activities(coach, today).filter(participation__coach=coach, **running).order_by("pk")
        ),
        "provider_activities": activities(
            visible_activities(provider, today).filter(provider_id=provider.provider_id, **running).order_by("-pk")
        ),
        "plans": list(
            ActivityPlan.objects.filter(status="submitted", district_id=district.district_id)
            .order_by("submitted_at", "id")
            .values_list("pk", flat=True)
        ),
    }
    connection.close()
    return out


def sessions(users: int) -> dict[str, list[str]]:
    """One session per simulated user, made as a login makes it: the staff logged in this morning.

    Logging 50 users in through the form at once would measure PBKDF2 (the password hash is meant to
    cost about a second of CPU), not the pages; `--login-form` does that instead."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from jobbtorg.accounts.models import User

    out: dict[str, list[str]] = {}
    for username in ("coach", "socialsekreterare", "anordnare"):
        user = User.objects.get(username=username)
        out[username] = []
        for _ in range(users):
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            out[username].append(store.session_key or "")
    connection.close()
    return out


class Sampler(threading.Thread):
    """Once a second: CPU of gunicorn, PostgreSQL and Locust (psutil), and the database's waits."""

    def __init__(self, gunicorn_pid: int, database_url: str) -> None:
        super().__init__(daemon=True)
        self.gunicorn_pid = gunicorn_pid
        self.database_url = database_url
        self.stop = threading.Event()
        self.cpu: dict[str, list[float]] = {"gunicorn": [], "postgres": [], "locust": [], "other": [], "machine": []}
        self.waits: Counter[str] = Counter()
        self.active: list[int] = []

    def run(self) -> None:
        import psutil
        import psycopg

        conn = psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1), autocommit=True)
        procs: dict[int, psutil.Process] = {}
        psutil.cpu_percent(None)
        while not self.stop.wait(1.0):
            seen: dict[str, float] = Counter()
            for proc in psutil.process_iter(["pid", "name", "cmdline", "ppid"]):
                try:
                    known = procs.setdefault(proc.pid, proc)
                    share = known.cpu_percent(None)
                    cmd = " ".join(proc.info["cmdline"] or [])
                    if proc.pid == self.gunicorn_pid or proc.info["ppid"] == self.gunicorn_pid:
                        seen["gunicorn"] += share
                    elif proc.info["name"] in {"postgres", "postmaster"}:
                        seen["postgres"] += share
                    elif "locust" in cmd:
                        seen["locust"] += share
                    else:
                        seen["other"] += share
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            for name in ("gunicorn", "postgres", "locust", "other"):
                self.cpu[name].append(seen[name])
            self.cpu["machine"].append(psutil.cpu_percent(None) * psutil.cpu_count())
            rows = conn.execute(
                "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity "
                "WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()"
            ).fetchall()
            self.active.append(len(rows))
            self.waits.update(r[0] for r in rows)
        conn.close()

    def server_ms_per_request(self, skip: int, requests: int) -> float:
        """CPU milliseconds of gunicorn and PostgreSQL per request over the measured window."""
        spent = sum(self.cpu["gunicorn"][skip:]) + sum(self.cpu["postgres"][skip:])  # percent × 1 s samples
        return spent * 10 / requests if requests else 0.0

    def summary(self, skip: int) -> str:
        def mean(values: list[float]) -> float:
            values = values[skip:] or values
            return sum(values) / len(values) if values else 0.0

        cores = os.cpu_count() or 1
        cpu = ", ".join(f"{name} {mean(values):.0f} %" for name, values in self.cpu.items())
        waits = ", ".join(f"{name} {count}" for name, count in self.waits.most_common(6)) or "none"
        return (
            f"CPU (100 % = one core, {cores} cores): {cpu}\n"
            f"database sessions active per second: {mean([float(a) for a in self.active]):.1f}; "
            f"what they were doing (samples): {waits}"
        )


def wait_for(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped ({proc.returncode})")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/login/", timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:  # noqa: PTH123
        return list(csv.DictReader(handle))


def report(rows: list[dict[str, str]], failures: Path) -> tuple[float, float, int]:
    def ms(row: dict[str, str], key: str) -> str:
        value = row.get(key, "")
        return value if value in ("", "N/A") else f"{float(value):.0f}"

    print(f"\n{'page':42} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    total = rows[-1]
    for row in rows:
        if row is total:
            print("-" * 92)
        print(f"{row['Name'][:42]:42} {row['Request Count']:>9} {row['Failure Count']:>7} "
              f"{float(row['Requests/s']):>7.1f} {ms(row, '50%'):>7} {ms(row, '95%'):>7} {ms(row, '99%'):>7}")  # fmt: skip
    if failures.exists() and failures.stat().st_size:
        print("\nerrors:")
        with open(failures, newline="") as handle:  # noqa: PTH123
            for row in csv.DictReader(handle):
                print(f"  {row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error'][:120]}")
    return float(total["Requests/s"]), float(total["95%"]), int(total["Failure Count"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument("--time", default="2m", help="how long after the ramp (Locust's --run-time: 2m, 90s)")
    parser.add_argument("--wait", default="1-3", help="seconds between a user's steps, a range (default 1-3)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "3")), help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--login-form", action="store_true", help="log each user in through the login form (PBKDF2)")
    parser.add_argument("--csv", type=Path, help="keep Locust's CSV files under this prefix")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if urlsplit(database_url).scheme not in {"postgres", "postgresql"}:
        raise SystemExit("bench/load.py needs the PostgreSQL bench database in DATABASE_URL")
    env = server_env(database_url)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG")})

    log("reading the targets from the database")
    found = targets()
    if not args.login_form:
        found["sessions"] = sessions(args.users)
    if len(found["plans"]) < 100:  # type: ignore[arg-type]
        log(f"only {len(found['plans'])} plans left in the queue: the approvals stop when they run out")  # type: ignore[arg-type]
    workdir = Path(tempfile.mkdtemp(prefix="jobbtorg-load-"))
    (workdir / "targets.json").write_text(json.dumps(found))
    if not (BASE_DIR / "staticfiles" / "staticfiles.json").exists():  # pages need the manifest (DEBUG off)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True)

    port = free_port()
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "jobbtorg.wsgi",
               "--bind", f"{HOST}:{port}", "--workers", str(args.workers), "--no-control-socket",
               "--access-logfile", str(workdir / "access.log"), "--error-logfile", str(workdir / "gunicorn.log")]  # fmt: skip
    if args.threads > 1:
        command += ["--threads", str(args.threads)]
    log(f"gunicorn: {args.workers} workers × {args.threads} threads on {HOST}:{port}")
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    sampler: Sampler | None = None
    try:
        wait_for(port, server)
        prefix = args.csv or workdir / "locust"
        ramp = args.users / args.spawn_rate
        locust = [str(Path(sys.executable).with_name("locust")), "-f", str(BASE_DIR / "bench" / "locustfile.py"),
                  "--headless", "--host", f"http://{HOST}:{port}", "--users", str(args.users),
                  "--spawn-rate", str(args.spawn_rate), "--run-time", _plus(args.time, ramp), "--reset-stats",
                  "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]  # fmt: skip
        log(f"locust: {args.users} users, ramp {ramp:.0f} s, then {args.time}; waits {args.wait} s")
        sampler = Sampler(server.pid, database_url)
        sampler.start()
        started = time.monotonic()
        result = subprocess.run(
            locust, cwd=BASE_DIR, env={**os.environ, "LOAD_TARGETS": str(workdir / "targets.json"), "LOAD_WAIT": args.wait},
            stdout=subprocess.DEVNULL, timeout=_seconds(args.time) + ramp + 120,
        )  # fmt: skip
        log(f"locust finished in {time.monotonic() - started:.0f} s (exit {result.returncode})")
    finally:
        if sampler is not None:
            sampler.stop.set()
            sampler.join(5)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)

    rows = read_stats(prefix)
    rps, p95, errors = report(rows, Path(f"{prefix}_failures.csv"))
    print()
    if sampler is not None:
        print(sampler.summary(skip=int(ramp)))
        per_request = sampler.server_ms_per_request(int(ramp), int(rows[-1]["Request Count"]))
        cores = os.cpu_count() or 1
        if per_request:
            print(f"server CPU per request (gunicorn + PostgreSQL): {per_request:.0f} ms, so {cores} idle cores "
                  f"serve at most ≈ {cores * 1000 / per_request:.0f} requests/s")  # fmt: skip
    print(f"load average at the end (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    ok = rps >= TARGET_RPS and p95 <= TARGET_P95_MS and errors == 0
    print(f"\n{rps:.1f} requests/s, p95 {p95:.0f} ms, {errors} errors — target >= {TARGET_RPS:.0f} requests/s, "
          f"p95 <= {TARGET_P95_MS:.0f} ms, 0 errors: {'met' if ok else 'MISSED'}")  # fmt: skip
    print(f"(files: {workdir})")
    sys.exit(0 if ok else 1)


def _seconds(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


def _plus(text: str, seconds: float) -> str:
    return f"{int(_seconds(text) + seconds)}s"


if __name__ == "__main__":
    main()
