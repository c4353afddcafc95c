#!/usr/bin/env python
"""How fast is the referral CSV import next to PostgreSQL's own COPY? (issue 8 item 8)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobbtorg_bench_import .venv/bin/python bench/import.py

Makes (drops and re-creates) the PostgreSQL database named in DATABASE_URL, migrates it, adds
a social worker of Rinkeby-Kista, and writes a CSV file of --rows referrals (default 100,000)
in the import format. Then it times

1. the import as the background task runs it (`csv_import.run_job` on an ImportJob holding
   the file: every row checked by the referral rules, then persons, participations,
   referrals, target groups, timeline entries, deadlines and audit entries saved in one
   transaction), and
2. `COPY bench_copy FROM STDIN (FORMAT csv, DELIMITER ';', HEADER)` of the same file into a
   plain table of nine text columns (best of --copies runs),

and prints both in rows per second and the ratio import ÷ COPY (target ≥ 0.3).

The upload's row limit (csv_import.MAX_ROWS) is for files from the web page; the bench makes
the job itself so it can time a larger file. Personnummer: Skatteverket's test numbers
(jobbtorg.testing.factories.TEST_NUMBERS_FILE, about 27,000), then synthetic ones with a
correct check digit in a clearly fictitious range: samordningsnummer (day + 60) with the
birth numbers 980–999, born 1950–1999, never in the test-number list.
Options: --rows N, --copies K, --keep (reuse the migrated database; it must be empty of
referrals), --profile FILE (cProfile of the import).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobbtorg_bench_import (PostgreSQL).")
    return url


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def numbers(count: int) -> tuple[list[str], int]:
    """Skatteverket's test numbers first, then synthetic samordningsnummer; (numbers, synthetic count)."""
    from jobbtorg.core import personnummer
    from jobbtorg.testing.factories import TEST_NUMBERS_FILE

    official = TEST_NUMBERS_FILE.read_text().split()
    taken = set(official)
    out = official[:count]
    day = datetime.date(1950, 1, 1)
    while len(out) < count:
        for serial in range(980, 1000):
            number = personnummer.build(day, serial, coordination=True)
            if number not in taken:
                out.append(number)
                if len(out) == count:
                    break
        day += datetime.timedelta(days=1)
        if day.year == 2000:
            raise SystemExit("not enough synthetic numbers")
    return out, max(0, count - len(official))


def csv_content(rows: int, today: datetime.date) -> tuple[bytes, int]:
    from jobbtorg.referrals.csv_import import COLUMNS

    nums, synthetic = numbers(rows)
    groups = ["fs-arbetsloshet", "sfi", "sfi,fs-arbetsloshet", "unga"]
    names = [("Amina", "Hassan"), ("Erik", "Nilsson"), ("Fatima", "Yilmaz"), ("Johan", "Karlsson")]
    day = today.isoformat()
    lines = [";".join(COLUMNS)]
    for i, number in enumerate(nums):
        first, last = names[i % 4]
        consent = i % 5 != 0  # every fifth row: the legal ground instead of consent
        lines.append(
            ";".join(
                [number, first, last, groups[i % 4], "Försörjningsstöd sedan tre månader på grund av arbetslöshet",
                 day if consent else "", "Planering, närvaro och resultat" if consent else "",
                 "" if consent else "SoL 4 kap. 4 §", day]
            )
        )  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode(), synthetic


def time_copy(content: bytes, copies: int) -> float:
    from django.db import connection

    best = float("inf")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TABLE bench_copy (" + ", ".join(f"c{i} text" for i in range(9)) + ")")
        for _ in range(copies):
            cursor.execute("TRUNCATE bench_copy")
            start = time.perf_counter()
            with cursor.cursor.copy("COPY bench_copy FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
                copy.write(content)
            best = min(best, time.perf_counter() - start)
        cursor.execute("DROP TABLE bench_copy")
    return best


def time_phases() -> dict[str, float]:
    """Wrap the import's phases to add up their wall time (for the breakdown line)."""
    from jobbtorg.referrals import services

    spent: dict[str, float] = {}

    def timed(name: str, func):  # noqa: ANN001, ANN202
        spent[name] = 0.0

        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    for name in ("check_referrals_batch", "save_referrals_batch", "record_many"):
        setattr(services, name, timed(name, getattr(services, name)))
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the migrated database")
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args()
    url = database_url()
    if not args.keep:
        print(f"re-creating {urlsplit(url).path.lstrip('/')} …", flush=True)
        recreate_database(url)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.0f} s", flush=True)

    from jobbtorg.accounts.models import Role, User
    from jobbtorg.organisation.models import District
    from jobbtorg.referrals import csv_import
    from jobbtorg.referrals.models import ImportJob, Referral

    if Referral.objects.exists():
        sys.exit("The database already holds referrals: run without --keep.")
    user, _created = User.objects.get_or_create(
        username="bench-import",
        defaults={"role": Role.SOCIAL_WORKER, "district": District.objects.get(code="rinkeby-kista"),
                  "first_name": "Bench", "last_name": "Import"},
    )  # fmt: skip
    today = timezone.localdate()
    content, synthetic = csv_content(args.rows, today)
    print(f"file: {args.rows} rows, {len(content) / 1e6:.1f} MB; {args.rows - synthetic} Skatteverket test numbers, "
          f"{synthetic} synthetic samordningsnummer (birth numbers 980–999)", flush=True)  # fmt: skip

    copy_seconds = time_copy(content, args.copies)

    job = ImportJob.objects.create(
        uploaded_by=user, district_id=user.district_id, filename="bench.csv",
        content=content.decode(), rows_total=args.rows,
    )  # fmt: skip
    phases = time_phases()
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    csv_import.run_job(job.pk, max_rows=args.rows)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    import_seconds = time.perf_counter() - start
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE or job.rows_saved != args.rows:
        sys.exit(f"import failed: {job.status}, {job.rows_saved} saved; first errors: {job.errors[:5]}")

    import_rate = args.rows / import_seconds
    copy_rate = args.rows / copy_seconds
    print(f"import: {args.rows} rows in {import_seconds:.2f} s = {import_rate:,.0f} rows/s")
    print(f"COPY:   {args.rows} rows in {copy_seconds:.3f} s = {copy_rate:,.0f} rows/s (best of {args.copies})")
    saving = phases["save_referrals_batch"] - phases["record_many"]
    rest = import_seconds - phases["check_referrals_batch"] - phases["save_referrals_batch"]
    print(f"  of which: checking the rows {phases['check_referrals_batch']:.2f} s, saving {saving:.2f} s, "
          f"audit entries (audit.services.record_many) {phases['record_many']:.2f} s, "
          f"reading the file and the rest {rest:.2f} s")
    print(f"ratio import/COPY: {import_rate / copy_rate:.3f} (target >= 0.3)")


if __name__ == "__main__":
    main()
