"""Reads of OSA cases, already scoped by the OSA relation (osa.access), and the annual-places figures.

Lists keep a constant number of queries whatever their length (tests pin it): the next
follow-up, overdue flag, cumulative months and current end date are aggregated in SQL.
The lead includes `osa/_officer_start.html` with `officer_start(user)` and
`osa/_person_section.html` with `person_section(user, person)`.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Exists, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobbtorg.accounts.models import User
from jobbtorg.core.capabilities import holds
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import OSA_KINDS
from jobbtorg.disabilities import selectors as disability_selectors
from jobbtorg.disabilities.access import health_relation
from jobbtorg.organisation.models import District
from jobbtorg.osa import rules
from jobbtorg.osa.access import officer_scope
from jobbtorg.osa.models import AnnualPlaces, OsaCase, OsaPeriod, ReviewOutcome, Transfer
from jobbtorg.people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CaseFigures(TypedDict):
    """What `officer_cases` annotates on each case."""

    next_due: datetime.date | None
    next_kind: str | None
    overdue: bool
    total_months: int
    ends_on: datetime.date | None
    starts_on: datetime.date | None


def officer_cases(user: User, today: datetime.date | None = None) -> "QuerySet[WithAnnotations[OsaCase, CaseFigures]]":
    """The officer's own cases (responsible district today), overdue first, then by next follow-up."""
    today = today or timezone.localdate()
    scope = officer_scope(user, today)
    if scope is None:
        return cast("QuerySet[WithAnnotations[OsaCase, CaseFigures]]", OsaCase.objects.none())  # no rows to annotate
    # An ended employment has no follow-up left to do (ADR 0014): end_case cancels its open ones.
    open_deadlines = Deadline.objects.filter(
        kind__in=OSA_KINDS, subject_id=OuterRef("pk"), status=Deadline.Status.OPEN
    )
    months = OsaPeriod.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(s=Sum("months")).values("s")
    # One query: the aggregates are subqueries on indexed (subject_id, kind, status, due_date) and (case, number).
    return (
        OsaCase.objects.filter(pk__in=OsaCase.objects.filter(scope).values("pk"))
        .select_related("person", "employer", "district", "next_district")
        .annotate(
            next_due=Subquery(open_deadlines.order_by("due_date").values("due_date")[:1]),
            next_kind=Subquery(open_deadlines.order_by("due_date").values("kind")[:1]),
            overdue=Exists(open_deadlines.filter(deadline_selectors.overdue_q(today))),
            total_months=Coalesce(Subquery(months, output_field=IntegerField()), 0),
            ends_on=Max("periods__end_date"),
            starts_on=Min("periods__start_date"),
        )
        .order_by("-overdue", "next_due", "pk")
    )


def officer_start(user: User, today: datetime.date | None = None, limit: int = 20) -> dict[str, Any] | None:
    """Context for `osa/_officer_start.html`; None for other roles. The caller logs the listed persons."""
    if not holds(user, "osa.read"):
        return None
    today = today or timezone.localdate()
    cases = list(officer_cases(user, today)[:limit])
    return {"osa_cases": cases, "osa_today": today, "osa_overdue": sum(1 for c in cases if c.overdue)}


def person_section(user: User, person: Person, today: datetime.date | None = None) -> dict[str, Any] | None:
    """Context for `osa/_person_section.html`: the person's OSA cases this user reaches; None when none."""
    today = today or timezone.localdate()
    scope = officer_scope(user, today)
    if scope is None:
        return None
    cases = list(officer_cases(user, today).filter(person=person))
    running = any(c.is_open and c.ends_on and c.ends_on >= today for c in cases)
    can_create = user.district_id == person.home_district_id and not running
    return {"osa_cases": cases, "osa_person": person, "osa_can_create": can_create}


@dataclass
class PeriodRow:
    period: OsaPeriod
    cumulative: int


def case_detail(user: User, case: OsaCase, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the case page shows (the case was opened through osa.services.open_case)."""
    today = today or timezone.localdate()
    periods = list(case.periods.select_related("review__decided_by").order_by("number"))
    rows, running = [], 0
    for p in periods:
        running += p.months
        rows.append(PeriodRow(p, running))
    plan = getattr(case, "plan", None)
    versions = list(plan.versions.select_related("saved_by").prefetch_related("items").order_by("-number")) if plan else []
    documentation = None
    if health_relation(user, case.person, today) is not None:
        documentation = disability_selectors.documentation_status(case.person, today)
    return {
        "periods": rows,
        "total_months": running,
        "ends_on": periods[-1].end_date if periods else None,
        "over_limit": running > rules.MAX_TOTAL_MONTHS,
        "reviews": list(case.reviews.select_related("period", "decided_by").order_by("reviewed_on", "id")),
        "unused_review": case.reviews.filter(period__isnull=True, outcome=ReviewOutcome.APPROVED).exists(),
        "plan": plan,
        "plan_versions": versions,
        "current_plan": versions[0] if versions else None,
        "meetings": list(case.meetings.order_by("-held_on", "-id")),
        "deadlines": deadline_selectors.rows(list(case_deadlines(case)), today),
        "transfers": list(case.transfers.select_related("from_district", "to_district", "decided_by")),
        "responsible_district_id": case.responsible_district_id(today),
        "documentation": documentation,
        "documentation_expired": any(d.expired for d in documentation or []),
    }


def case_deadlines(case: OsaCase) -> QuerySet[Deadline]:
    """The case's follow-ups, done and open, from the one deadline store."""
    return Deadline.objects.filter(kind__in=OSA_KINDS, subject_id=case.pk).order_by("due_date", "id")


# --- annual places --------------------------------------------------------------------------------

@dataclass
class PlacesRow:
    district: District
    planned: int
    used_place_years: float
    persons: int
    utilisation: float | None
    places: AnnualPlaces | None


def annual_places(year: int) -> list[PlacesRow]:
    """Per district: planned places, used place-years and persons, utilisation %. Three queries.

    "Used" is counted in place-years (årsplatser): each OSA day in the year is 1/365 (1/366)
    of a place, attributed to the district responsible on that day (the handover date
    splits a period). Persons with any OSA day in the year are counted too.
    """
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    districts = list(District.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first), valid_from__lte=last))
    planned = {p.district_id: p for p in AnnualPlaces.objects.filter(year=year)}
    days: dict[int, int] = {}
    persons: dict[int, set[int]] = {}
    # Two queries: every period overlapping the year, and the transfers of those cases, to split
    # a period at each handover date.
    periods = list(
        OsaPeriod.objects.filter(start_date__lte=last, end_date__gte=first).values_list(
            "start_date", "end_date", "case_id", "case__person_id", "case__district_id", "case__ended_on"
        )
    )
    transfers: dict[int, list[tuple[datetime.date, int, int]]] = {}
    for case_id, handover_on, from_id, to_id in Transfer.objects.filter(
        case_id__in={p[2] for p in periods}
    ).values_list("case_id", "handover_on", "from_district_id", "to_district_id"):
        transfers.setdefault(case_id, []).append((handover_on, from_id, to_id))
    for start, end, case_id, person_id, district_id, ended_on in periods:
        end = min(end, ended_on) if ended_on else end  # an employment ended early uses no place after its end
        if end < start:
            continue
        moves = sorted(transfers.get(case_id, []))
        initial = moves[0][1] if moves else district_id
        for seg_start, seg_end, owner in rules.responsibility_segments(start, end, initial, moves):
            n = rules.overlap_days(seg_start, seg_end, year)
            if n:
                days[owner] = days.get(owner, 0) + n
                persons.setdefault(owner, set()).add(person_id)
    year_days = rules.days_in_year(year)
    rows = []
    for d in districts:
        used = days.get(d.pk, 0) / year_days
        row_planned = planned[d.pk].planned if d.pk in planned else 0
        rows.append(PlacesRow(d, row_planned, round(used, 2), len(persons.get(d.pk, ())),
                              rules.utilisation(row_planned, used), planned.get(d.pk)))  # fmt: skip
    return rows
