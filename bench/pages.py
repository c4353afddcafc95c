#!/usr/bin/env python
"""Does a page's cost grow with the size of the city? (issue 3, "Tests and measures")

    DATABASE_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/pages.py --sizes 10000 1000000

For each size N this makes (once) a PostgreSQL database `jobbtorg_bench_<N>` next to the
database in DATABASE_URL, migrates it, loads `seed_demo --participants N --seed 1`, adds the
city's everyday work at the same scale (below), gives the demo users worklists through the
domain services, and then measures pages in-process with Django's test Client (real
middleware, sessions, templates and database; the user logged in with force_login):

- the coach's start page "Att göra idag"              /                       as `coach`
- the district's approval queue                       /planer/att-godkanna/   as `socialsekreterare`
- the district's start page (inbox)                   /                       as `socialsekreterare`
- the district's deviation inbox                      /insatser/avvikelser/   as `socialsekreterare`
- the person page of a person in the coach's caseload /personer/<id>/         as `coach` and as the district

Each page: --warmup requests (default 5), then --requests timed ones (default 30); the median
wall time of `client.get` is the server time (no network, no browser); the time spent in SQL
is measured alongside, and one more request counts the queries. Each size lives in its own
process (settings read DATABASE_URL once); both stay up and take turns, --batch requests per
page at a time, so that the load of a shared machine falls on both sizes alike. The table
compares the medians: ratio = largest size / smallest size. Target: ratio <= 1.5 (a page
must not cost more because the city has more participants).

What is loaded, and kept for re-runs (a table `bench_meta` in each database remembers):
1. `seed_demo` (persons, participations with their histories — referrals, deadlines, plans,
   timeline —, activities; the ten demo logins), written with COPY. Skipped when already loaded
   with that size.
2. The city's everyday work, which seed_demo did not make before issue 9 (it now makes all but
   attendance, so only the attendance steps run on a database it seeded), so that the pages' tables are
   city-sized too (SQL INSERT ... SELECT, about 6 min at 1,000,000): open deadlines for every
   open participation and activity, a timeline entry per participation and per activity, an
   approved plan (with a planned activity) for most active participations and a plan waiting
   for approval for 3 %, and for 1 % of the open activities a past session with an unexcused
   absence reported to the home district (a fifth of them not yet acknowledged), and for
   another 1 % a past session with no attendance registered.
3. The demo users' own worklists, through the domain services as the demo users: the coach
   draws up and submits plans for ten of her participants in Rinkeby-Kista, five of which the
   social worker approves (the rest wait in the district's queue), registers two unexcused
   absences (the district's deviation inbox) and has overdue and due deadlines (her "today").
4. VACUUM ANALYZE, as autovacuum would have done in a database that grew to this size.

Nothing is dropped at the end. Clean up with `dropdb jobbtorg_bench_10000` (and _1000000).
Options: --only-prepare, --only-measure, --pages NAME..., --requests, --warmup, --batch, --json FILE.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
SEED = 1
TARGET_RATIO = 1.5


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


# --- the parent: one subprocess per size, then the table ------------------------------------------


def database_url(base: str, size: int) -> str:
    parts = urlsplit(base or DEFAULT_PG)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"bench/pages.py needs PostgreSQL in DATABASE_URL, not {parts.scheme!r}")
    return urlunsplit(parts._replace(path=f"/jobbtorg_bench_{size}"))


def child_env(size: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(os.environ.get("DATABASE_URL", DEFAULT_PG), size),
        DJANGO_SETTINGS_MODULE="jobbtorg.settings",
        DEBUG="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        EMAIL_BACKEND="locmem",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    return env


def prepare(size: int) -> None:
    log(f"size {size:,}: prepare jobbtorg_bench_{size}")
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(size), "--prepare"]
    if subprocess.run(command, cwd=BASE_DIR, env=child_env(size)).returncode != 0:
        raise SystemExit(f"size {size}: preparing the database failed")


class Server:
    """A child process holding one size's database, logged-in clients and warm caches; it runs the
    requests the parent asks for. Both sizes stay up, so their rounds can alternate."""

    def __init__(self, size: int, warmup: int, pages: list[str] | None) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(size), "--serve"]
        command += ["--warmup", str(warmup)] + (["--pages", *pages] if pages else [])
        self.size = size
        self.proc = subprocess.Popen(
            command, cwd=BASE_DIR, env=child_env(size), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.ready = self._read()

    def _read(self) -> dict:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise SystemExit(f"size {self.size}: the measuring process stopped ({self.proc.wait()})")
        return json.loads(line)

    def ask(self, **command: object) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return self._read()

    def close(self) -> None:
        self.ask(quit=True)
        self.proc.wait()


def measure_all(sizes: list[int], args: argparse.Namespace) -> list[dict]:
    """Alternate rounds of `--batch` requests per page between the sizes, so that a change in the
    machine's load (other jobs on a shared box) hits both sizes alike; then take the medians."""
    servers = [Server(size, args.warmup, args.pages) for size in sizes]
    try:
        names = list(servers[0].ready["pages"])
        times: dict[int, dict[str, list[float]]] = {s.size: {n: [] for n in names} for s in servers}
        sql: dict[int, dict[str, list[float]]] = {s.size: {n: [] for n in names} for s in servers}
        done = 0
        round_no = 0
        while done < args.requests:
            batch = min(args.batch, args.requests - done)
            order = servers if round_no % 2 == 0 else list(reversed(servers))
            for name in names:
                for server in order:
                    answer = server.ask(page=name, n=batch)
                    times[server.size][name] += answer["times"]
                    sql[server.size][name] += answer["sql"]
            done += batch
            round_no += 1
            log(f"  {done}/{args.requests} requests per page and size")
        results = []
        for server in servers:
            pages = {}
            for name in names:
                t = times[server.size][name]
                pages[name] = {
                    "url": server.ready["pages"][name],
                    "median_ms": statistics.median(t),
                    "min_ms": min(t),
                    "max_ms": max(t),
                    "sql_median_ms": statistics.median(sql[server.size][name]),
                    "queries": server.ask(queries=name)["queries"],
                }
            results.append(
                {
                    "size": server.size,
                    "today": server.ready["today"],
                    "requests": args.requests,
                    "warmup": args.warmup,
                    "counts": server.ready["counts"],
                    "pages": pages,
                }
            )
        return results
    finally:
        for server in servers:
            server.close()


def print_table(results: list[dict]) -> None:
    small, large = results[0], results[-1]
    names = list(small["pages"])
    width = max(len(n) for n in names) + 2
    head_small = f"{small['size']:,}".replace(",", " ")
    head_large = f"{large['size']:,}".replace(",", " ")
    print()
    print(
        f"Median server time in ms ({small['requests']} requests after {small['warmup']} warm-ups), "
        f"PostgreSQL, {small.get('today', '')}"
    )
    print(
        f"{'page':<{width}} {head_small + ' ms':>12} {head_large + ' ms':>14} {'ratio':>7}  {'queries':>9}"
        f"  {'SQL ms small/large':>18}  verdict"
    )
    for name in names:
        a, b = small["pages"][name], large["pages"].get(name)
        if b is None:
            continue
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("nan")
        queries = f"{a['queries']}/{b['queries']}" if a["queries"] != b["queries"] else str(a["queries"])
        verdict = "ok" if ratio <= TARGET_RATIO else f"> {TARGET_RATIO}"
        sql_ms = f"{a['sql_median_ms']:.1f}/{b['sql_median_ms']:.1f}"
        print(
            f"{name:<{width}} {a['median_ms']:>12.1f} {b['median_ms']:>14.1f} {ratio:>7.2f}  {queries:>9}"
            f"  {sql_ms:>18}  {verdict}"
        )
    print()
    for r in results:
        counts = ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in r["counts"].items())
        print(f"{r['size']:,}".replace(",", " ") + f": {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page and size (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--batch", type=int, default=5, help="requests per turn when alternating sizes (default 5)")
    parser.add_argument("--pages", nargs="*", help="only these pages (names as in the table)")
    parser.add_argument("--only-prepare", action="store_true", help="load the databases, measure nothing")
    parser.add_argument("--only-measure", action="store_true", help="measure; fail if a database is not loaded")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args)
        return
    sizes = sorted(args.sizes)
    if not args.only_measure:
        for size in sizes:
            prepare(size)
    if args.only_prepare:
        return
    results = measure_all(sizes, args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print_table(results)


# --- the child: prepare one database and measure it -----------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            log(f"create database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def meta_get(key: str) -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def meta_set(key: str, value: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [key, value],
        )


def ensure_seed(size: int) -> None:
    from django.core.management import call_command

    from jobbtorg.people.models import Person

    if meta_get("seed") == f"{size}/{SEED}":
        log(f"seed_demo {size:,} already loaded")
        return
    persons = Person.objects.count()
    if persons == size:  # loaded by hand (e.g. nohup manage.py seed_demo) before this script ran
        log(f"{persons:,} persons found; taking them as seed_demo --participants {size} --seed {SEED}")
    elif persons:
        raise SystemExit(f"{persons:,} persons in the database, expected 0 or {size:,}: dropdb it and run again")
    else:
        log(f"seed_demo --participants {size} --seed {SEED} (1,000,000 takes about 11 minutes)")
        started = time.monotonic()
        call_command("seed_demo", participants=size, seed=SEED, no_progress=True, verbosity=1)
        log(f"seed_demo done in {time.monotonic() - started:.0f} s")
    meta_set("seed", f"{size}/{SEED}")


BACKGROUND_SQL = [
    # Open deadlines of every open participation, as the services would have opened them.
    (
        "deadlines: first appointment (referred)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, created_at)
           SELECT id, 'first_appointment', NULL, referred_on + 7, 'open', 'coach', now()
           FROM participations_participation WHERE status = 'referred'""",
    ),
    (
        "deadlines: 18-month limit and its warning (active)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, created_at)
           SELECT p.id, k.kind, NULL, p.arrived_on + k.months, 'open', 'coach', now()
           FROM participations_participation p
           CROSS JOIN (VALUES ('participation_limit', interval '18 months'),
                              ('participation_limit_warning', interval '17 months')) AS k(kind, months)
           WHERE p.status = 'active' AND p.arrived_on IS NOT NULL""",
    ),
    (
        "deadlines: first appointment done (history)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, done_on, created_at)
           SELECT id, 'first_appointment', NULL, referred_on + 7, 'done', 'coach', arrived_on, now()
           FROM participations_participation WHERE arrived_on IS NOT NULL""",
    ),
    (
        "deadlines: activity follow-up at the end date (open activities)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, created_at)
           SELECT participation_id, 'activity_followup', id, end_date, 'open', 'coach', now()
           FROM activities_activity WHERE status = 'open'""",
    ),
    # Plans: 85 % of active participations approved, 3 % waiting for the district, 12 % none yet.
    (
        "plans: approved",
        """INSERT INTO plans_activityplan (created_at, updated_at, version, number, status, goal, start_date, review_date,
               long_plan_reason, submitted_on, submitted_at, decided_on, decision_comment, created_by_id, decided_by_id,
               participation_id, district_id)
           SELECT now(), now(), 1, 1, 'approved', 'Arbete eller studier (demodata).', p.arrived_on,
               p.arrived_on + 180, '', p.arrived_on + 3, (p.arrived_on + 3)::timestamp AT TIME ZONE 'Europe/Stockholm',
               p.arrived_on + 5, '', p.coach_id, NULL, p.id, p.home_district_id
           FROM participations_participation p
           WHERE p.status = 'active' AND p.arrived_on IS NOT NULL AND mod(p.id, 100) < 85
             AND p.coach_id IS DISTINCT FROM (SELECT id FROM accounts_user WHERE username = 'coach')""",
    ),
    (
        "plans: waiting for approval",
        """INSERT INTO plans_activityplan (created_at, updated_at, version, number, status, goal, start_date, review_date,
               long_plan_reason, submitted_on, submitted_at, decided_on, decision_comment, created_by_id, decided_by_id,
               participation_id, district_id)
           SELECT now(), now(), 1, 1, 'submitted', 'Arbete eller studier (demodata).', %(today)s::date,
               %(today)s::date + 180, '', %(today)s::date - (mod(p.id, 10))::int,
               (%(today)s::date - (mod(p.id, 10))::int)::timestamp AT TIME ZONE 'Europe/Stockholm',
               NULL, '', p.coach_id, NULL, p.id, p.home_district_id
           FROM participations_participation p
           WHERE p.status = 'active' AND p.arrived_on IS NOT NULL AND mod(p.id, 100) BETWEEN 85 AND 87
             AND p.coach_id IS DISTINCT FROM (SELECT id FROM accounts_user WHERE username = 'coach')""",
    ),
    (
        "plans: one planned activity each",
        """INSERT INTO plans_plannedactivity (plan_id, description, catalogue_item_id, start_date, end_date)
           SELECT pl.id, 'Arbetsträning (demodata)', NULL, pl.start_date, pl.start_date + 90
           FROM plans_activityplan pl WHERE pl.goal = 'Arbete eller studier (demodata).'""",
    ),
    (
        "deadlines: plan review (approved) and approval (waiting, the district's)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, district_id,
               created_at)
           SELECT participation_id, CASE status WHEN 'approved' THEN 'plan_review' ELSE 'plan_approval' END, id,
               CASE status WHEN 'approved' THEN review_date ELSE submitted_on + 7 END,
               'open', CASE status WHEN 'approved' THEN 'coach' ELSE 'district' END,
               CASE status WHEN 'approved' THEN NULL ELSE district_id END, now()
           FROM plans_activityplan WHERE goal = 'Arbete eller studier (demodata).'""",
    ),
    (
        "deadlines: plan to draw up (active, no plan)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, created_at)
           SELECT p.id, 'plan_drawn_up', NULL, p.arrived_on + 7, 'open', 'coach', now()
           FROM participations_participation p
           WHERE p.status = 'active' AND p.arrived_on IS NOT NULL AND mod(p.id, 100) >= 88
             AND p.coach_id IS DISTINCT FROM (SELECT id FROM accounts_user WHERE username = 'coach')""",
    ),
    # The timeline: the referral of every participation and the start of every activity.
    (
        "timeline: referrals",
        """INSERT INTO timeline_timelineentry (kind, occurred_on, recorded_at, author_name, author_role, text, data,
               author_id, corrects_id, participation_id, person_id)
           SELECT 'participation_referred', referred_on, now(), 'Demodata', 'social_worker',
               'Anvisad till jobbtorget (demodata).', '{}'::jsonb, NULL, NULL, id, person_id
           FROM participations_participation""",
    ),
    (
        "timeline: activities",
        """INSERT INTO timeline_timelineentry (kind, occurred_on, recorded_at, author_name, author_role, text, data,
               author_id, corrects_id, participation_id, person_id)
           SELECT 'activity_created', a.start_date, now(), 'Demodata', 'coach', 'Insats påbörjad (demodata).',
               jsonb_build_object('activity_id', a.id), NULL, NULL, a.participation_id, p.person_id
           FROM activities_activity a JOIN participations_participation p ON p.id = a.participation_id""",
    ),
    # Attendance: 1 % of open activities have an unexcused absence reported to the home district
    # (4 in 5 acknowledged), another 1 % a past session nobody registered.
    (
        "attendance: sessions with an unexcused absence or nothing registered",
        """CREATE TEMP TABLE bench_att AS
           SELECT a.id AS activity_id, a.participation_id, a.catalogue_item_id, a.provider_id, p.home_district_id,
               (mod(a.id, 200) < 2) AS absent, mod(a.id, 5) = 0 AS waiting,
               GREATEST(a.start_date, %(today)s::date - 3 - (mod(a.id, 7))::int) AS day,
               nextval(pg_get_serial_sequence('activities_activitysession', 'id')) AS session_id,
               nextval(pg_get_serial_sequence('activities_attendance', 'id')) AS attendance_id
           FROM activities_activity a JOIN participations_participation p ON p.id = a.participation_id
           WHERE a.status = 'open' AND mod(a.id, 200) < 4 AND a.start_date <= %(today)s::date - 1""",
    ),
    (
        "attendance: sessions",
        """INSERT INTO activities_activitysession (id, created_at, updated_at, date, start_time, end_time, is_group,
               catalogue_item_id, created_by_id, host_id, provider_id)
           SELECT session_id, now(), now(), day, NULL, NULL, false, catalogue_item_id, NULL, NULL, provider_id FROM bench_att""",
    ),
    (
        "attendance: rows",
        """INSERT INTO activities_attendance (id, created_at, updated_at, version, date, status, absence_reason, note,
               registered_at, activity_id, registered_by_id, session_id)
           SELECT attendance_id, now(), now(), 1, day, CASE WHEN absent THEN 'absent' END,
               CASE WHEN absent THEN 'unexcused' ELSE '' END, '', CASE WHEN absent THEN now() END,
               activity_id, NULL, session_id
           FROM bench_att""",
    ),
    (
        "attendance: deviations",
        """INSERT INTO activities_deviation (created_at, updated_at, version, kind, occurred_on, reported_on,
               acknowledged_on, district_note, withdrawn_on, acknowledged_by_id, attendance_id, district_id,
               participation_id, reported_by_id)
           SELECT now(), now(), 1, 'unexcused_absence', day, day,
               CASE WHEN waiting THEN NULL ELSE day + 1 END, '', NULL, NULL, attendance_id, home_district_id,
               participation_id, NULL
           FROM bench_att WHERE absent""",
    ),
    (
        "deadlines: deviations to acknowledge (the district's)",
        """INSERT INTO deadlines_deadline (participation_id, kind, subject_id, due_date, status, responsible, district_id,
               created_at)
           SELECT d.participation_id, 'deviation_acknowledgement', d.id, d.reported_on + 7, 'open', 'district',
               d.district_id, now()
           FROM activities_deviation d WHERE d.acknowledged_on IS NULL AND d.reported_by_id IS NULL""",
    ),
]


def ensure_background(today: datetime.date) -> None:
    from django.db import connection, transaction

    if meta_get("background") == "1":
        log("city-wide deadlines, plans, timeline and attendance already loaded")
        return
    log("loading the city's everyday work (deadlines, plans, timeline, attendance) with SQL")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        # seed_demo now writes each participation's history (referral, deadlines, plans, timeline:
        # jobbtorg.demo.history); those steps here would only duplicate it. Attendance is still made here.
        cursor.execute("SELECT EXISTS (SELECT 1 FROM referrals_referral)")
        seeded_history = cursor.fetchone()[0]
        for what, statement in BACKGROUND_SQL:
            if seeded_history and _made_by_seed(what):
                log(f"  {what}: made by seed_demo")
                continue
            step = time.monotonic()
            cursor.execute(statement, {"today": today})
            log(f"  {what}: {max(cursor.rowcount, 0):,} rows in {time.monotonic() - step:.1f} s")
        meta_set("background", "1")
    log(f"done in {time.monotonic() - started:.0f} s")


def _made_by_seed(what: str) -> bool:
    """The background steps that seed_demo's histories already cover (all but attendance and deviations)."""
    return what.startswith(("plans:", "timeline:")) or (what.startswith("deadlines:") and "deviation" not in what)


def ensure_vacuumed() -> None:
    """VACUUM ANALYZE once after loading, as autovacuum would have done by the time a real city's
    database is this size: planner statistics, and visibility maps for index-only scans."""
    from django.db import connection

    if meta_get("vacuum") == "1":
        return
    log("VACUUM ANALYZE")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    meta_set("vacuum", "1")
    log(f"VACUUM ANALYZE done in {time.monotonic() - started:.0f} s")


def ensure_worklists(today: datetime.date) -> None:
    """The demo users' own worklists, made through the domain services as the demo users."""
    from django.db import transaction

    from jobbtorg.accounts.models import User
    from jobbtorg.activities import services as activity_services
    from jobbtorg.activities.models import AbsenceReason, Activity, AttendanceStatus, CatalogueItem
    from jobbtorg.audit.services import Actor
    from jobbtorg.deadlines import services as deadlines
    from jobbtorg.deadlines.rules import Kind
    from jobbtorg.participations.models import Participation, Status
    from jobbtorg.plans import services as plan_services
    from jobbtorg.plans.models import ActivityPlan

    if meta_get("worklists"):
        log(f"demo users' worklists already made ({meta_get('worklists')})")
        return
    coach = User.objects.get(username="coach")
    social_worker = User.objects.get(username="socialsekreterare")
    actor = Actor(coach.pk, coach.username, coach.role)
    mine = Participation.objects.filter(coach=coach, status=Status.ACTIVE).order_by("pk")
    shared = mine.filter(home_district_id=social_worker.district_id)
    item = CatalogueItem.objects.filter(active=True).order_by("pk").first()
    with transaction.atomic():
        # Her participants in Rinkeby-Kista: five plans sent and waiting in the district's queue,
        # five more approved by the district (the person page then has a valid plan).
        submitted = approved = 0
        for p in shared.exclude(pk__in=ActivityPlan.objects.values("participation_id"))[:10]:
            plan = plan_services.create_plan(
                coach,
                actor,
                p.pk,
                {"goal": "Arbete inom lager och logistik."},
                [
                    {
                        "catalogue_item": item,
                        "description": "Arbetsträning",
                        "start_date": today,
                        "end_date": today + datetime.timedelta(days=60),
                    }
                ],
                via="bench",
            )
            plan = plan_services.submit_plan(coach, actor, plan.pk, plan.version, via="bench")
            submitted += 1
            if submitted > 5:
                district_actor = Actor(social_worker.pk, social_worker.username, social_worker.role)
                plan_services.approve_plan(social_worker, district_actor, plan.pk, plan.version, "Godkänd (bench).", via="bench")
                approved += 1
        # Overdue and due deadlines on her "today" list: plans still to draw up.
        due = 0
        for offset, p in enumerate(mine.exclude(pk__in=ActivityPlan.objects.values("participation_id"))[:6]):
            deadlines.open_deadline(p, Kind.PLAN_DRAWN_UP, due=today + datetime.timedelta(days=offset - 3))
            due += 1
        # Unexcused absences yesterday: deviation reports in Rinkeby-Kista's inbox.
        deviations = 0
        for activity in Activity.objects.filter(
            participation__in=shared, status="open", start_date__lt=today, end_date__gte=today
        ).order_by("pk")[:2]:
            activity_services.register_day(
                coach,
                actor,
                activity,
                max(activity.start_date, today - datetime.timedelta(days=1)),
                AttendanceStatus.ABSENT,
                AbsenceReason.UNEXCUSED,
                "Kom inte (bench).",
            )
            deviations += 1
        meta_set(
            "worklists",
            f"{today.isoformat()}: {submitted - approved} plans waiting, {approved} approved, "
            f"{due} deadlines, {deviations} deviations",
        )
    log(f"demo users' worklists: {meta_get('worklists')}")


def pages_to_measure() -> dict[str, tuple[str, str]]:
    """Page name → (username, URL)."""
    from jobbtorg.accounts.models import User
    from jobbtorg.participations.models import Participation
    from jobbtorg.plans.models import ActivityPlan

    coach = User.objects.get(username="coach")
    social_worker = User.objects.get(username="socialsekreterare")
    # A person in both users' lists, with a plan, activities and a timeline: the busiest page.
    p = (
        Participation.objects.filter(coach=coach, status="active", home_district_id=social_worker.district_id)
        .filter(pk__in=ActivityPlan.objects.filter(status="approved").values("participation_id"))
        .order_by("pk")
        .first()
    )
    if p is None:
        p = Participation.objects.filter(coach=coach).order_by("pk").first()
    return {
        "coach: start page /": ("coach", "/"),
        "district: queue /planer/att-godkanna/": ("socialsekreterare", "/planer/att-godkanna/"),
        "district: start page /": ("socialsekreterare", "/"),
        "district: deviations /insatser/avvikelser/": ("socialsekreterare", "/insatser/avvikelser/"),
        "coach: person page": ("coach", f"/personer/{p.person_id}/"),
        "district: person page": ("socialsekreterare", f"/personer/{p.person_id}/"),
    }


def serve(size: int, today: datetime.date, warmup: int, only: list[str] | None) -> None:
    """Answer the parent's requests on stdin/stdout (one JSON object a line) until it says quit."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jobbtorg.accounts.models import User

    pages = {name: page for name, page in pages_to_measure().items() if not only or name in only}
    clients: dict[str, Client] = {}
    for username, url in pages.values():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        for _ in range(warmup):
            response = clients[username].get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {username} answered {response.status_code}")
    log(f"size {size:,}: warmed up, measuring")
    spent = [0.0]

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    ready = {"today": today.isoformat(), "counts": counts(), "pages": {n: url for n, (_u, url) in pages.items()}}
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            print(json.dumps({"bye": True}), flush=True)
            return
        if "queries" in command:
            username, url = pages[command["queries"]]
            with CaptureQueriesContext(connection) as queries:
                clients[username].get(url)
            print(json.dumps({"queries": len(queries.captured_queries)}), flush=True)
            continue
        username, url = pages[command["page"]]
        times, sql = [], []
        for _ in range(command["n"]):
            spent[0] = 0.0
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                clients[username].get(url)
                times.append((time.perf_counter() - started) * 1000)
            sql.append(spent[0] * 1000)
        print(json.dumps({"times": times, "sql": sql}), flush=True)


def counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "persons": "people_person",
        "participations": "participations_participation",
        "activities": "activities_activity",
        "deadlines": "deadlines_deadline",
        "plans": "plans_activityplan",
        "timeline": "timeline_timelineentry",
        "deviations": "activities_deviation",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            out[name] = cursor.fetchone()[0]
    return out


def child(size: int, args: argparse.Namespace) -> None:
    sys.path.insert(0, str(BASE_DIR))
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    if args.serve:
        if meta_get("seed") != f"{size}/{SEED}" or not meta_get("worklists") or meta_get("vacuum") != "1":
            raise SystemExit(f"jobbtorg_bench_{size} is not loaded: run without --only-measure first")
    else:
        log("migrate")
        call_command("migrate", interactive=False, verbosity=0)
        ensure_seed(size)
        ensure_background(today)
        ensure_worklists(today)
        ensure_vacuumed()
    if args.serve:
        serve(size, today, args.warmup, args.pages)


if __name__ == "__main__":
    main()
