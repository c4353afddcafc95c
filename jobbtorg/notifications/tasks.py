"""Background tasks (django.tasks): run by `manage.py db_worker` on any number of machines."""

from django.tasks import task
from django.utils import timezone

from jobbtorg.notifications.services import send_all_digests


@task()
def send_daily_digests() -> int:
    return send_all_digests(timezone.localdate())
