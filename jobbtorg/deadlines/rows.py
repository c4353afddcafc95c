"""A deadline as a row of a worklist or of the person page: the deadline, its person and its
state as a word. One type for the start pages and the person page (moved out of web, issue 9
item 6, so that people's pages need not import web).
"""

import datetime
from dataclasses import dataclass

from django.db.models import F

from jobbtorg.accounts.models import User
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.deadlines import services as deadline_services
from jobbtorg.deadlines.models import Deadline
from jobbtorg.participations.models import Participation
from jobbtorg.people.models import Person

# How many deadline rows the coach's "today" list shows; the rest are counted.
DEADLINE_ROWS = 50


@dataclass(frozen=True)
class DeadlineRow:
    """One row of a worklist: the deadline, its person, and its state as a word (overdue/due/upcoming)."""

    deadline: Deadline
    state: str

    @property
    def person(self) -> Person:
        return self.deadline.participation.person


def deadline_rows(
    user: User, today: datetime.date, kind: str = "", limit: int = DEADLINE_ROWS
) -> tuple[list[DeadlineRow], int]:
    """The user's deadline worklist (overdue first, then by due date), at most `limit` rows, and
    how many there are in all. Two queries whatever the length."""
    qs = deadline_selectors.worklist(user, today)
    if kind:
        qs = qs.filter(kind=kind)
    rows = [DeadlineRow(d, deadline_services.state(d, today)) for d in qs[:limit]]
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
    return DeadlineRow(deadline, deadline_services.state(deadline, today))
