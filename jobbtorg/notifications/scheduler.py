"""Daily jobs: each is enqueued once per day, whichever machine's scheduler gets there first.

django.tasks has no cron; this small loop (manage.py run_scheduler) enqueues
tasks, and the db_worker processes run them. The unique DailyRun row is the lock.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from jobbtorg.core.transactions import after_commit
from jobbtorg.notifications.models import DailyRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    hour: int  # local hour from which the job may run
    enqueue: Callable[[], object]


def _digest() -> object:
    from jobbtorg.notifications.tasks import send_daily_digests

    return send_daily_digests.enqueue()


def _osa_handovers() -> object:
    from jobbtorg.osa.tasks import apply_handovers

    return apply_handovers.enqueue()


JOBS = [DailyJob("daily_digest", 6, _digest), DailyJob("osa_handovers", 0, _osa_handovers)]


def register_job(job: DailyJob) -> None:
    """Apps above notifications add their nightly jobs here from AppConfig.ready (followup's facts)."""
    if all(j.name != job.name for j in JOBS):
        JOBS.append(job)


def run_due_jobs(now: datetime.datetime, jobs: list[DailyJob] | None = None) -> list[str]:
    """Enqueue every job whose hour has come and that has not run today. Returns the names."""
    started = []
    for job in jobs or JOBS:
        if now.hour < job.hour:
            continue
        try:
            with transaction.atomic():
                DailyRun.objects.create(name=job.name, day=now.date())
        except IntegrityError:
            continue
        after_commit(job.enqueue)  # queued once the day's lock row is committed
        started.append(job.name)
    return started
