"""Background tasks of the OSA app (django.tasks), enqueued daily by notifications.scheduler."""

from django.tasks import task
from django.utils import timezone

from jobbtorg.osa.services import apply_due_handovers


@task()
def apply_handovers() -> int:
    """Apply the handovers whose day has come (seed 000: the old district decided the day)."""
    return apply_due_handovers(timezone.localdate())
