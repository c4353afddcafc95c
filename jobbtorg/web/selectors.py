"""Read-only queries behind the start pages and the person search.

Every list of persons here is narrowed from `access.policy.visible_persons`;
nothing in this module decides who may see whom. Each function returns a
queryset with the joins its template needs (select_related), so a page of
25 rows costs the same number of queries as a page of 3.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity
from jobbtorg.core import personnummer
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.deadlines import services as deadline_services
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import RULES, Kind
from jobbtorg.organisation.models import District, JobbtorgUnit
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status
from jobbtorg.people.models import Person

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


def coach_caseloads(unit_id: int | None) -> QuerySet[User]:
    """Each active coach of the unit with their open caseload at the unit, per status."""
    at_unit = Q(caseload__unit_id=unit_id)
    return (
        User.objects.filter(role=Role.COACH, jobbtorg_unit_id=unit_id, is_active=True)
        .annotate(
            referred=Count("caseload", filter=at_unit & Q(caseload__status=Status.REFERRED)),
            active=Count("caseload", filter=at_unit & Q(caseload__status=Status.ACTIVE)),
            interrupted=Count("caseload", filter=at_unit & Q(caseload__status=Status.INTERRUPTED)),
            total=Count("caseload", filter=at_unit & Q(caseload__status__in=OPEN_STATUSES)),
        )
        .order_by("last_name", "first_name", "pk")
    )


def unit_figures(unit_id: int | None, today: datetime.date | None = None) -> dict[str, int]:
    """Open participations at the unit by status, without a coach, and this month's flows."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    return Participation.objects.filter(unit_id=unit_id).aggregate(
        referred=Count("pk", filter=Q(status=Status.REFERRED)),
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        interrupted=Count("pk", filter=Q(status=Status.INTERRUPTED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        without_coach=Count("pk", filter=Q(status__in=OPEN_STATUSES, coach__isnull=True)),
        referred_this_month=Count("pk", filter=Q(referred_on__gte=month_start, referred_on__lte=today)),
        closed_this_month=Count("pk", filter=Q(status=Status.CLOSED, closed_on__gte=month_start, closed_on__lte=today)),
    )


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


# --- Person search ----------------------------------------------------------------------------

_NUMBER_LIKE = re.compile(r"^[\d\s+-]+$")


@dataclass(frozen=True)
class SearchQuery:
    """What the search box was understood as; `error` is a Swedish message for the user."""

    text: str
    kind: str  # "empty" | "too_short" | "personnummer" | "birth_date" | "name" | "invalid"
    value: str = ""
    error: str = ""


MIN_NAME_LENGTH = 2


def parse_search(text: str) -> SearchQuery:
    """Personnummer in any common form (10/12 digits, with or without -/+), a birth date
    ÅÅÅÅMMDD, or the beginning of names ("ami hass", "Hassan, Amina")."""
    text = (text or "").strip()[:100]
    if not text:
        return SearchQuery(text, "empty")
    if _NUMBER_LIKE.match(text):
        digits = re.sub(r"\D", "", text)
        try:
            return SearchQuery(text, "personnummer", personnummer.normalise(text))
        except ValidationError as error:
            if len(digits) == 8:
                return SearchQuery(text, "birth_date", digits)
            return SearchQuery(text, "invalid", error=" ".join(error.messages))
    name = " ".join(re.split(r"[\s,]+", text)).strip()
    if len(name) < MIN_NAME_LENGTH:
        return SearchQuery(text, "too_short")
    return SearchQuery(text, "name", name)


def search_persons(user: User, query: SearchQuery) -> QuerySet[Person]:
    """Persons matching the query among those `user` may see, sorted by name."""
    qs = visible_persons(user)
    if query.kind == "personnummer":
        qs = qs.filter(personnummer=query.value)
    elif query.kind == "birth_date":
        qs = qs.filter(personnummer__startswith=query.value)
    elif query.kind == "name":
        for token in query.value.split():
            qs = qs.filter(Q(first_name__istartswith=token) | Q(last_name__istartswith=token))
    else:
        return Person.objects.none()
    # By UPPER(name): no index gives that order, so PostgreSQL finds the matches first (the prefix
    # indexes of people/0002) instead of walking every person in name order (bench/load.py, 1,000,000).
    return qs.select_related("home_district").order_by(Upper("last_name"), Upper("first_name"), "pk")


# --- Deadlines on the start pages (issue 3 part 9) ---------------------------------------------

# How many deadline rows the coach's "today" list shows; the rest are counted.
DEADLINE_ROWS = 50

STATE_ORDER = {"overdue": 0, "due": 1, "upcoming": 2, "paused": 3, "done": 4}


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


def deadline_kind_choices(user: User, today: datetime.date) -> list[tuple[str, str, int, int]]:
    """(kind, label, overdue, due) for the kinds in the user's worklist, in the digest's order."""
    counts = deadline_selectors.counts_by_kind(user, today)
    return [
        (kind, RULES[Kind(kind)].label, c["overdue"], c["due"])
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
