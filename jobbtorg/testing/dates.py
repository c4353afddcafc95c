"""Dates and times for tests that satisfy the domain's bounds (core.date_bounds) on any day."""

import datetime

from django.utils import timezone

from jobbtorg.core.workdays import add_working_days


def visit_slot(working_days: int = 1, hour: int = 10, today: datetime.date | None = None) -> datetime.datetime:
    """An aware Stockholm time `working_days` working days after today at `hour`: a bookable visit."""
    day = add_working_days(today or timezone.localdate(), working_days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
