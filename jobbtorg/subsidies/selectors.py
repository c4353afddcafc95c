"""Reads of subsidy cases and steps, scoped by access (ARCHITECTURE: selectors).

Lists of persons are narrowed by `access.policy.visible_persons`, and cases by the role's
section of the person file (`access.sections.subsidy_case_q`, issue 8 item 7); the city-wide
lönebidrag board and the reports are aggregates counted in the database and
never carry a name. Lists keep a constant number of queries (tests pin it).

For the lead to integrate:
- `cases_for_person(person)` → `subsidies/_person_section.html` (context: `person`,
  `subsidy_cases`, `can_add_subsidy`), on the person page after access is checked.
- `coach_steps(user, today)` / `overdue_steps_for_coach(user, today)` →
  `subsidies/_coach_overdue.html` (context: `subsidy_steps`, `today`), on the coach's start page.
"""

import datetime
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import ExtractMonth, RowNumber
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.access.sections import subsidy_case_q
from jobbtorg.accounts.models import User
from jobbtorg.core.capabilities import holds
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.osa.models import CaseStatus as OsaStatus
from jobbtorg.osa.models import OsaCase
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus, StepStatus, SubsidyCase, SubsidyStep, SubsidyType

SUPPRESSION_THRESHOLD = 5  # counts below this are withheld in reports that may leave the unit


def _step_related(qs: QuerySet[SubsidyStep]) -> QuerySet[SubsidyStep]:
    return qs.select_related("case__participation__person", "case__participation__unit", "case__employer")


def visible_cases(user: User, today: datetime.date | None = None) -> QuerySet[SubsidyCase]:
    """Cases of persons the user may see, of the kinds the user's role may see, newest first."""
    today = today or timezone.localdate()
    kinds = subsidy_case_q(user)
    if kinds is None:
        return SubsidyCase.objects.none()
    return (
        SubsidyCase.objects.filter(kinds, participation__person__in=visible_persons(user, today))
        .select_related("participation__person", "participation__unit", "employer")
        .order_by("-notified_on", "-id")
    )


def cases_for_person(person: Person, user: User | None = None) -> list[SubsidyCase]:
    """The person page's section (the caller has opened the person through access); with
    `user`, only the kinds of case the user's role may see (access.sections)."""
    kinds = subsidy_case_q(user) if user is not None else Q()
    if kinds is None:
        return []
    open_steps = SubsidyStep.objects.filter(status=StepStatus.OPEN).order_by("due_on", "seq")
    return list(
        SubsidyCase.objects.filter(kinds, participation__person=person)
        .select_related("employer", "participation__unit")
        .prefetch_related(Prefetch("steps", queryset=open_steps, to_attr="open_steps"))
        .order_by("-notified_on", "-id")
    )


def case_ids_for_person(person: Person, user: User) -> list[int]:
    """Ids of the person's cases of the kinds `user`'s role may see (one query; for the timeline)."""
    kinds = subsidy_case_q(user)
    if kinds is None:
        return []
    return list(SubsidyCase.objects.filter(kinds, participation__person=person).values_list("pk", flat=True))


def overdue_step_ids(today: datetime.date) -> "QuerySet[Deadline, Any]":
    """Ids of overdue steps, as a subquery over the one deadline store (deadlines.selectors.overdue_q)."""
    return Deadline.objects.filter(deadline_selectors.overdue_q(today), kind=Kind.SUBSIDY_STEP).values("subject_id")


def coach_steps(user: User, today: datetime.date | None = None) -> QuerySet[SubsidyStep]:
    """Open steps of the coach's own cases due today or earlier (overdue first): the coach's list,
    including the task to report an early termination to Arbetsförmedlingen. Read from the
    deadline store, like the coach's badge and digest."""
    today = today or timezone.localdate()
    due = Deadline.objects.filter(
        kind=Kind.SUBSIDY_STEP, status=Deadline.Status.OPEN, paused_on__isnull=True, due_date__lte=today,
        participation__coach=user,
    ).values("subject_id")  # fmt: skip
    return _step_related(
        SubsidyStep.objects.filter(pk__in=due)
        .filter(case__participation__person__in=visible_persons(user, today))
        .order_by("due_on", "id")
    )


def overdue_steps_for_coach(user: User, today: datetime.date | None = None) -> QuerySet[SubsidyStep]:
    """Steps of the coach's own cases whose due date has passed."""
    today = today or timezone.localdate()
    return coach_steps(user, today).filter(pk__in=overdue_step_ids(today))


def may_see_board(user: User) -> bool:
    return holds(user, "subsidies.board")


def in_osa(person_id: int) -> bool:
    """Does the person have an ongoing OSA employment (sheltered public employment, DOMAIN §10)? Only the fact:
    no ground, employer or officer is read."""
    return OsaCase.objects.filter(person_id=person_id, status=OsaStatus.ACTIVE).exists()


def may_list_from_board(user: User) -> bool:
    return holds(user, "subsidies.board_list")


@dataclass
class BoardRow:
    unit_id: int | None
    unit_name: str
    kind: str
    number: str  # the step's unique code (steps.StepRule.code): "2b"
    label: str
    open: int
    overdue: int
    median_days_late: float | None
    max_days_late: int | None


def board(today: datetime.date | None = None) -> list[BoardRow]:
    """The city-wide lönebidrag board: per Jobbtorg unit × step, open and overdue steps and how late.

    Three queries whatever the number of cases: counts per group (GROUP BY), the middle
    one or two overdue rows per group for the median (window functions, at most two rows
    a group), and the unit names. No person is read.
    """
    today = today or timezone.localdate()
    overdue_q = Q(pk__in=overdue_step_ids(today))  # overdue as the deadline store says it
    base = SubsidyStep.objects.filter(kind__in=[k.value for k in step_rules.LONEBIDRAG_STEPS], status=StepStatus.OPEN)
    unit_key = "case__participation__unit_id"
    groups = list(
        base.values(unit_key, "kind")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q), earliest=Min("due_on", filter=overdue_q))
        .order_by()
    )
    medians = _median_due(base.filter(overdue_q), unit_key)
    names = dict(JobbtorgUnit.objects.values_list("id", "name"))
    rows = []
    for g in groups:
        key = (g[unit_key], g["kind"])
        rule = step_rules.STEP_RULES[step_rules.StepKind(g["kind"])]
        middle = medians.get(key)
        rows.append(
            BoardRow(
                unit_id=g[unit_key],
                unit_name=names.get(g[unit_key], ""),
                kind=g["kind"],
                number=rule.code,
                label=str(rule.label),
                open=g["open"],
                overdue=g["overdue"],
                median_days_late=statistics.mean((today - d).days for d in middle) if middle else None,
                max_days_late=(today - g["earliest"]).days if g["earliest"] else None,
            )
        )
    rows.sort(key=lambda r: (r.unit_name, step_rules.STEP_RULES[step_rules.StepKind(r.kind)].seq))
    return rows


def _median_due(qs: QuerySet[SubsidyStep], unit_key: str) -> dict[tuple[int, str], list[datetime.date]]:
    """The due dates of the middle one (odd count) or two (even count) overdue steps of each group."""
    partition = [F(unit_key), F("kind")]
    ranked = (
        qs.annotate(
            rn=Window(RowNumber(), partition_by=partition, order_by=[F("due_on").asc(), F("id").asc()]),
            n=Window(Count("id"), partition_by=partition),
        )
        # Middle rows: rn between (n+1)/2 and (n+2)/2 in integer division.
        .filter(rn__gte=(F("n") + 1) / 2, rn__lte=(F("n") + 2) / 2)
        .values_list(unit_key, "kind", "due_on")
    )
    middle: dict[tuple[int, str], list[datetime.date]] = {}
    for unit_id, kind, due in ranked:
        middle.setdefault((unit_id, kind), []).append(due)
    return middle


def board_totals(rows: list[BoardRow]) -> list[BoardRow]:
    """City-wide totals per step (counts only; median and max over all units need the rows)."""
    totals: dict[str, BoardRow] = {}
    for r in rows:
        t = totals.setdefault(r.kind, BoardRow(None, "", r.kind, r.number, r.label, 0, 0, None, None))
        t.open += r.open
        t.overdue += r.overdue
        if r.max_days_late is not None:
            t.max_days_late = max(t.max_days_late or 0, r.max_days_late)
    return sorted(totals.values(), key=lambda r: step_rules.STEP_RULES[step_rules.StepKind(r.kind)].seq)


def board_list(
    user: User, today: datetime.date | None = None, *, unit_id: int | None = None, kind: str = "", overdue_only: bool = True
) -> QuerySet[SubsidyStep]:
    """The steps behind a board cell, with names — only of persons in the user's visible_persons, and
    never of a protected identity (a shared list, LEGAL.md)."""
    today = today or timezone.localdate()
    if not may_list_from_board(user):
        return SubsidyStep.objects.none()
    qs = SubsidyStep.objects.filter(kind__in=[k.value for k in step_rules.LONEBIDRAG_STEPS], status=StepStatus.OPEN)
    if unit_id:
        qs = qs.filter(case__participation__unit_id=unit_id)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue_only:
        qs = qs.filter(pk__in=overdue_step_ids(today))
    kinds = subsidy_case_q(user, prefix="case__")
    if kinds is None:
        return SubsidyStep.objects.none()
    qs = qs.filter(
        kinds,
        case__participation__person__in=visible_persons(user, today),
        case__participation__person__protection_level=ProtectionLevel.NONE,
    )
    return _step_related(qs).order_by("due_on", "id")


def visible_lonebidrag_steps(user: User, today: datetime.date | None = None) -> QuerySet[SubsidyStep]:
    """Open lönebidrag steps of persons the user may see, when the user's role sees the subsidy
    section (the API's step list; access.sections)."""
    today = today or timezone.localdate()
    kinds = subsidy_case_q(user, prefix="case__")
    if kinds is None:
        return SubsidyStep.objects.none()
    return SubsidyStep.objects.filter(
        kinds,
        kind__in=[k.value for k in step_rules.LONEBIDRAG_STEPS],
        status=StepStatus.OPEN,
        case__participation__person__in=visible_persons(user, today),
    )


# --- reports -------------------------------------------------------------------------------------------


@dataclass
class CaseReportRow:
    month: int
    unit_id: int
    unit_name: str
    subsidy_type: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def type_label(self) -> str:
        return str(SubsidyType(self.subsidy_type).label)

    @property
    def status_counts(self) -> list[int]:
        return [self.counts.get(s, 0) for s in CaseStatus]


def cases_by_month(year: int) -> list[CaseReportRow]:
    """Subsidy cases by month of the interest notification, unit, type and current status: one GROUP BY."""
    grouped = (
        SubsidyCase.objects.filter(notified_on__year=year)
        .annotate(month=ExtractMonth("notified_on"))
        .values("month", "participation__unit_id", "subsidy_type", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = dict(JobbtorgUnit.objects.values_list("id", "name"))
    rows: dict[tuple[int, int, str], CaseReportRow] = {}
    for g in grouped:
        key = (g["month"], g["participation__unit_id"], g["subsidy_type"])
        row = rows.setdefault(
            key,
            CaseReportRow(
                g["month"], g["participation__unit_id"], names.get(g["participation__unit_id"], ""), g["subsidy_type"], {}
            ),
        )
        row.counts[g["status"]] = row.counts.get(g["status"], 0) + g["n"]
    return sorted(rows.values(), key=lambda r: (r.month, r.unit_name, r.subsidy_type))


def report_years(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    first = SubsidyCase.objects.aggregate(first=Min("notified_on"))["first"]
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))


def suppress(value: int | None) -> int | None:
    """Small counts could identify people: below the threshold the value is withheld (None)."""
    if value is None:
        return None
    return value if value >= SUPPRESSION_THRESHOLD else None


STATUS_COLUMNS = [s for s in CaseStatus]
