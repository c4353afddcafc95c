"""Worklists of deadlines: what must this user do, and what is late.

One query per list: open deadlines joined to the participations the user is
responsible for, narrowed by the access policy so a list can never show a
person the user may not see.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from django.db.models import Count, Q, QuerySet

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.core.workdays import add_working_days
from jobbtorg.deadlines import rules
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.services import state

# The subject ids a user of a role reaches today, as a subquery (None: none). Registered by the
# app that owns the subject (osa.apps), so this module never imports the apps above it.
SubjectScope = Callable[[User, datetime.date], "QuerySet[Any] | None"]
_SUBJECT_SCOPES: dict[str, tuple[str, SubjectScope]] = {}


def register_subject_scope(role: str, responsible: str, scope: SubjectScope) -> None:
    """Let `role` see the open deadlines with `responsible` whose subject is in `scope(user, today)`."""
    _SUBJECT_SCOPES[role] = (responsible, scope)


def overdue_q(today: datetime.date) -> Q:
    """rules.state_of's OVERDUE in SQL: open, running, due before today."""
    return Q(status=Deadline.Status.OPEN, paused_on__isnull=True, due_date__lt=today)


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as every list shows it: the row and its state in the one vocabulary."""

    deadline: Deadline
    state: rules.State
    shown: rules.Shown | None = None  # what the page calls it ("Snart" only inside the warning window)

    @classmethod
    def of(cls, deadline: Deadline, today: datetime.date) -> "DeadlineRow":
        current = state(deadline, today)
        return cls(deadline, current, rules.shown_state(current, deadline.kind, deadline.due_date, today))

    @property
    def person(self) -> Any:
        """The participant (None for a subject outside a participation, such as an OSA case)."""
        participation = self.deadline.participation
        return participation.person if participation is not None else None

    @property
    def done_late(self) -> bool:
        done_on = self.deadline.done_on
        return self.state == rules.State.DONE and done_on is not None and done_on > self.deadline.due_date


def rows(deadlines: list[Deadline], today: datetime.date) -> list[DeadlineRow]:
    return [DeadlineRow.of(d, today) for d in deadlines]


def worklist(user: User, today: datetime.date, horizon_working_days: int = 5) -> QuerySet[Deadline]:
    """Open, running deadlines due within the horizon (overdue first) that are this user's to act on.

    Coach: responsible=coach on their own caseload. Social worker: responsible=district
    for their district. Unit manager: everything of the unit (to see where it is late).
    """
    horizon = add_working_days(today, horizon_working_days)
    qs = Deadline.objects.filter(status=Deadline.Status.OPEN, paused_on__isnull=True, due_date__lte=horizon)
    if user.role == Role.COACH:
        qs = qs.filter(responsible="coach", participation__coach=user)
    elif user.role == Role.SOCIAL_WORKER and user.district_id:
        # deadline_district_open_idx: only this district's open items, whatever the city's size.
        qs = qs.filter(district_id=user.district_id, responsible="district")
    elif user.role == Role.UNIT_MANAGER and user.jobbtorg_unit_id:
        qs = qs.filter(participation__unit_id=user.jobbtorg_unit_id)
    elif user.role in _SUBJECT_SCOPES:
        responsible, scope = _SUBJECT_SCOPES[user.role]
        subjects = scope(user, today)
        if subjects is None:
            return Deadline.objects.none()
        # deadline_subject_idx: the subjects the scope reaches, whatever the city's size.
        return qs.filter(responsible=responsible, subject_id__in=subjects).order_by("due_date", "id")
    else:
        return Deadline.objects.none()
    return (
        qs.filter(participation__person__in=visible_persons(user, today))
        .select_related("participation__person", "participation__coach")
        .order_by("due_date", "id")
    )


class CoachDeadlineCounts(TypedDict):
    """A row of `overdue_per_coach`. The coach fields are None for participations without a coach."""

    participation__coach_id: int | None
    participation__coach__first_name: str | None
    participation__coach__last_name: str | None
    overdue: int
    due_soon: int


def overdue_per_coach(unit_id: int, today: datetime.date) -> list[CoachDeadlineCounts]:
    """Manager's dashboard: overdue and due-this-week deadlines per coach, counted in the database."""
    week_end = add_working_days(today, 5)
    rows = (
        Deadline.objects.filter(
            status=Deadline.Status.OPEN, paused_on__isnull=True, participation__unit_id=unit_id, responsible="coach"
        )
        .values("participation__coach_id", "participation__coach__first_name", "participation__coach__last_name")
        .annotate(
            overdue=Count("id", filter=Q(due_date__lt=today)),
            due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=week_end)),
        )
        .order_by("-overdue", "participation__coach__last_name")
    )
    # The plugin types the coach fields of these rows as never None, but the coach is optional.
    return cast(list[CoachDeadlineCounts], list(rows))


def counts_by_kind(user: User, today: datetime.date) -> dict[str, dict[str, int]]:
    """Per deadline kind: how many overdue and how many due, for the notification digest."""
    rows = (
        worklist(user, today)
        .order_by()
        .values("kind")
        .annotate(overdue=Count("id", filter=Q(due_date__lt=today)), due=Count("id", filter=Q(due_date__gte=today)))
    )
    return {row["kind"]: {"overdue": row["overdue"], "due": row["due"]} for row in rows}
