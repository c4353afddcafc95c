"""Background tasks of the follow-up (django.tasks, run by `manage.py db_worker`)."""

from django.tasks import task

from jobbtorg.followup import facts


@task()
def refresh_facts() -> int:
    """Nightly: rebuild the fact table from the case records (notifications.scheduler enqueues it)."""
    return facts.refresh()
