"""Background tasks of the referrals app (django.tasks, run by `manage.py db_worker`)."""

from django.tasks import task

from jobbtorg.referrals import csv_import


@task()
def run_referral_import(job_id: int) -> str:
    """A queued CSV import (csv_import.start_job queues it; the job page shows its progress)."""
    return csv_import.run_job(job_id)
