"""Deadlines as rows of a worklist or of the person page (the row type is
deadlines.selectors.DeadlineRow). One place for the start pages and the person page (moved
out of web, issue 9 item 6, so that people's pages need not import web).
"""

import datetime

from django.db.models import F

from jobbtorg.accounts.models import User
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.selectors import DeadlineRow
from jobbtorg.participations.models import Participation

# How many deadline rows the coach's "today" list shows; the rest are counted.
DEADLINE_ROWS = 50


def deadline_rows(
    user: User, today: datetime.date, kind: str = "", limit: int = DEADLINE_ROWS
) -> tuple[list[DeadlineRow], int]:
    """The user's deadline worklist (overdue first, then by due date), at most `limit` rows, and
    how many there are in all. Two queries whatever the length."""
    qs = deadline_selectors.worklist(user, today)
    if kind:
        qs = qs.filter(kind=kind)
    rows = deadline_selectors.rows(list(qs[:limit]), today)
    total = qs.count()  # always counted: the page costs the same with 3 rows as with 300
    return rows, total


def next_deadline(participation: Participation | None, today: datetime.date) -> DeadlineRow | None:
    """The earliest open deadline of a participation (running ones before paused ones)."""
    if participation is None or not participation.is_open:
        return None
    deadline = (
        Deadline.objects.filter(participation=participation, status=Deadline.Status.OPEN)
        .order_by(F("paused_on").asc(nulls_first=True), "due_date", "id")
        .first()
    )
    if deadline is None:
        return None
    deadline.participation = participation
    return DeadlineRow.of(deadline, today)
