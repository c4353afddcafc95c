"""Read-only queries behind the start pages and the person search.

Every list of persons here is narrowed from `access.policy.visible_persons`;
nothing in this module decides who may see whom. Each function returns a
queryset with the joins its template needs (select_related), so a page of
25 rows costs the same number of queries as a page of 3.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import User
from jobbtorg.activities.models import Activity
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.deadlines.rules import RULES, Kind
from jobbtorg.organisation.models import District, JobbtorgUnit
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status

# Statistics cells below this are not shown (disclosure control for key figures).
SUPPRESSION_THRESHOLD = 5


# --- Lists of participations (one row = one participation and its person) -------------------


def participations_of_visible(user: User, today: datetime.date | None = None) -> QuerySet[Participation]:
    """Participations of the persons `user` may see, with what a list row shows."""
    return Participation.objects.filter(person__in=visible_persons(user, today)).select_related(
        "person", "person__home_district", "unit", "coach"
    )


def with_status(qs: QuerySet[Participation], status: str | None, allowed: tuple[str, ...]) -> QuerySet[Participation]:
    """Narrow to one status when it is one of `allowed`, else to all open ones."""
    if status and status in allowed:
        return qs.filter(status=status)
    return qs.filter(status__in=OPEN_STATUSES)


def coach_caseload(user: User) -> QuerySet[Participation]:
    """The coach's own caseload: participations where they are the coach."""
    return participations_of_visible(user).filter(coach=user)


def district_residents(user: User) -> QuerySet[Participation]:
    """The district's participations at the Jobbtorg (social worker, OSA officer).

    Filtered on the participation's home district (the district that referred it and approves
    its plans, fixed at referral; index part_district_open_idx), so the list reads the
    district's own rows in sort order instead of joining the city's persons. The access policy
    still decides which of them the user may see (a protected identity only when named)."""
    return participations_of_visible(user).filter(home_district_id=user.district_id)


def unit_participants(user: User) -> QuerySet[Participation]:
    """Participations at the user's Jobbtorg unit (unit manager)."""
    return participations_of_visible(user).filter(unit_id=user.jobbtorg_unit_id)


def matching_pool(user: User) -> QuerySet[Participation]:
    """Participants the matcher may work with, across all units."""
    return participations_of_visible(user)


def provider_activities_today(user: User, today: datetime.date | None = None) -> QuerySet[Activity]:
    """Activities at the user's provider running today, for persons they may see."""
    today = today or timezone.localdate()
    if user.provider_id is None:
        return Activity.objects.none()
    return Activity.objects.filter(
        provider_id=user.provider_id,
        start_date__lte=today,
        end_date__gte=today,
        participation__status__in=OPEN_STATUSES,
        participation__person__in=visible_persons(user, today),
    ).select_related(
        "catalogue_item",
        "participation",
        "participation__person",
        "participation__person__home_district",
        "participation__coach",
        "participation__unit",
    )


def activities_ending_soon(user: User, days: int = 7, today: datetime.date | None = None) -> QuerySet[Activity]:
    """Activities in the coach's open caseload that end within `days` (a follow-up is due)."""
    today = today or timezone.localdate()
    return (
        Activity.objects.filter(
            participation__coach=user,
            participation__status__in=OPEN_STATUSES,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=days),
            participation__person__in=visible_persons(user, today),
        )
        .select_related("catalogue_item", "provider", "participation__person")
        .order_by("end_date", "participation__person__last_name", "pk")
    )


# --- Aggregates (no identities) --------------------------------------------------------------


def unit_open_counts(user: User) -> dict[int | None, dict[str, int]]:
    """Open participations in the manager's list (unit_participants) per coach id and status, in one
    query. The figures on the manager's start page are sums of these, so each figure is the number
    of rows the list it links to shows (issue 10 item 2). None: no coach."""
    rows = (
        unit_participants(user)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("coach_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int | None, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["coach_id"], {})[row["status"]] = row["n"]
    return counts


def status_totals(counts: dict[int | None, dict[str, int]]) -> dict[str, int]:
    """Per status and in all ("open") over some of unit_open_counts' rows."""
    totals = {s.value: 0 for s in Status if s in OPEN_STATUSES}
    for by_status in counts.values():
        for status, n in by_status.items():
            totals[status] += n
    return {**totals, "open": sum(totals.values())}


@dataclass(frozen=True)
class FigureRow:
    """One row of key figures; a count is None when it is suppressed (fewer than the threshold)."""

    name: str
    referred: int | None
    active: int | None
    interrupted: int | None
    closed_this_year: int | None

    @property
    def counts(self) -> tuple[int | None, ...]:
        return (self.referred, self.active, self.interrupted, self.closed_this_year)


def suppress(count: int) -> int | None:
    """Small counts could identify people: anything under the threshold is withheld."""
    return count if count >= SUPPRESSION_THRESHOLD else None


def _figure_rows(qs: QuerySet, today: datetime.date) -> list[FigureRow]:
    year_start = today.replace(month=1, day=1)
    rows = qs.annotate(
        n_referred=Count("participations", filter=Q(participations__status=Status.REFERRED)),
        n_active=Count("participations", filter=Q(participations__status=Status.ACTIVE)),
        n_interrupted=Count("participations", filter=Q(participations__status=Status.INTERRUPTED)),
        n_closed=Count(
            "participations",
            filter=Q(participations__status=Status.CLOSED, participations__closed_on__gte=year_start),
        ),
    ).order_by("name")
    return [
        FigureRow(
            name=row.name,
            referred=suppress(row.n_referred),
            active=suppress(row.n_active),
            interrupted=suppress(row.n_interrupted),
            closed_this_year=suppress(row.n_closed),
        )
        for row in rows
    ]


def key_figures_by_unit(today: datetime.date | None = None) -> list[FigureRow]:
    return _figure_rows(JobbtorgUnit.objects.all(), today or timezone.localdate())


def key_figures_by_district(today: datetime.date | None = None) -> list[FigureRow]:
    return _figure_rows(District.objects.all(), today or timezone.localdate())


# --- Deadlines on the start pages (issue 3 part 9) ---------------------------------------------

# The worklist's rows are deadlines.rows (DeadlineRow, deadline_rows).


def deadline_kind_choices(user: User, today: datetime.date) -> list[tuple[str, str, int, int]]:
    """(kind, label, overdue, due) for the kinds in the user's worklist, in the digest's order."""
    counts = deadline_selectors.counts_by_kind(user, today)
    return [
        (kind, gettext(RULES[Kind(kind)].label), c["overdue"], c["due"])
        for kind, c in sorted(counts.items(), key=lambda item: RULES[Kind(item[0])].label)
    ]


def overdue_by_coach(unit_id: int | None, today: datetime.date) -> dict[int | None, dict[str, int]]:
    """Overdue and due-within-a-week deadlines per coach id at the unit (None: no coach yet)."""
    if unit_id is None:
        return {}
    return {
        row["participation__coach_id"]: {"overdue": row["overdue"], "due_soon": row["due_soon"]}
        for row in deadline_selectors.overdue_per_coach(unit_id, today)
    }


def unit_flows(unit_id: int | None, today: datetime.date | None = None) -> dict[str, int]:
    """This month's flows at the unit, counted in the database: referred, enrolled (arrived), closed."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    in_month = {"gte": month_start, "lte": today}
    return Participation.objects.filter(unit_id=unit_id).aggregate(
        referred=Count("pk", filter=Q(referred_on__gte=in_month["gte"], referred_on__lte=in_month["lte"])),
        enrolled=Count("pk", filter=Q(arrived_on__gte=in_month["gte"], arrived_on__lte=in_month["lte"])),
        closed=Count(
            "pk", filter=Q(status=Status.CLOSED, closed_on__gte=in_month["gte"], closed_on__lte=in_month["lte"])
        ),
    )
