"""Test helpers for the access relations (used by tests of other apps too)."""

import datetime

from django.utils import timezone

from jobbtorg.access.models import Substitution
from jobbtorg.accounts.models import User


def stand_in(substitute: User, absent_coach: User, days: int = 365) -> Substitution:
    """Make `substitute` the named substitute of `absent_coach` from `days` ago to `days` ahead, so a
    unit colleague reaches the coach's caseload (issue 8 item 6) whatever the test does to the clock."""
    today = timezone.localdate()
    assert absent_coach.jobbtorg_unit is not None, "a coach without a unit has no substitute"
    return Substitution.objects.create(
        absent_coach=absent_coach,
        substitute=substitute,
        unit=absent_coach.jobbtorg_unit,
        valid_from=today - datetime.timedelta(days=days),
        valid_to=today + datetime.timedelta(days=days),
        created_by=absent_coach,
    )
