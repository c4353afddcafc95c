"""Reads of participations, already scoped by access (ARCHITECTURE: selectors).

Lists keep a constant number of queries whatever their length (tests pin it):
counts are aggregated in SQL, related rows come by select_related/prefetch.
The lead includes the partials `participations/_person_section.html` and
`participations/_caseload_balance.html` with what these return.
"""

import datetime
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity, ActivityStatus
from jobbtorg.assessments.models import Assessment
from jobbtorg.core.capabilities import may
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.selectors import DeadlineRow
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.participations import rules
from jobbtorg.participations.models import (
    OPEN_STATUSES,
    Appointment,
    Interruption,
    Participation,
    PostClosureFollowUp,
    Status,
)
from jobbtorg.participations.path import Path, PathFacts, path_of
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.plans.models import ActivityPlan


def caseload_balance(unit: JobbtorgUnit | int | None, today: datetime.date | None = None) -> QuerySet[User]:
    """The unit's coaches with their open caseload by status and overdue deadlines, in one query.

    The one caseload count (the assignment page and the manager's start page): a coach's caseload
    is every open participation they coach, at whichever unit (DOMAIN: "Caseloads", seed 002).
    Aggregates only: no person is named, so the manager's balance view shows no one it should not.
    """
    if unit is None:
        return User.objects.none()
    today = today or timezone.localdate()
    unit_id = unit.pk if isinstance(unit, JobbtorgUnit) else unit
    # Overdue counted in a subquery: joining deadlines into the caseload count would multiply it.
    overdue = (
        Deadline.objects.filter(
            participation__coach=OuterRef("pk"),
            participation__status__in=OPEN_STATUSES,
            status=Deadline.Status.OPEN,
            paused_on__isnull=True,
            responsible="coach",
            due_date__lt=today,
        )
        .order_by()
        .values("participation__coach")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        User.objects.filter(role=Role.COACH, jobbtorg_unit_id=unit_id, is_active=True)
        .annotate(
            open_count=Count("caseload", filter=Q(caseload__status__in=OPEN_STATUSES)),
            referred_count=Count("caseload", filter=Q(caseload__status=Status.REFERRED)),
            active_count=Count("caseload", filter=Q(caseload__status=Status.ACTIVE)),
            interrupted_count=Count("caseload", filter=Q(caseload__status=Status.INTERRUPTED)),
            overdue_count=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        )
        .order_by("open_count", "last_name", "first_name", "id")
    )


# Rows the lists of unassigned participants show; the page says "visar N av M" when there are more.
UNASSIGNED_ROWS = 200


def _without_assigned_coach(user: User, people: Q) -> QuerySet[Participation]:
    """Open participations at the user's unit that no one has been assigned to, oldest referral first."""
    if not user.jobbtorg_unit_id:
        return Participation.objects.none()
    return (
        Participation.objects.filter(
            people, unit_id=user.jobbtorg_unit_id, status__in=OPEN_STATUSES, coach_assigned_on__isnull=True
        )
        .select_related("person", "coach", "home_district")
        .order_by("referred_on", "id")
    )


def unassigned(user: User) -> QuerySet[Participation]:
    """The manager's "Utan tilldelad coach" (Fördelning, and the figure on her start page that links
    there). Only people the manager may see: protected identities never appear in a unit list (LEGAL.md).
    """
    return _without_assigned_coach(user, Q(person__in=visible_persons(user)))


def intake_pool(user: User) -> QuerySet[Participation]:
    """The coach's "Utan coach" list (issue 10 item 2). A coach reaches these people only to take
    one (services.take), so the list shows no more than the name and the referral; protected
    identities are never in it (LEGAL.md) — the unit manager assigns those."""
    return _without_assigned_coach(user, Q(person__protection_level=ProtectionLevel.NONE))


def for_person(person: Person) -> list[Participation]:
    """Every participation of a person, newest first, with what the person page shows of each.

    Call only after access.services.open_person allowed the person.
    """
    open_deadlines = Deadline.objects.filter(status=Deadline.Status.OPEN).order_by("due_date")
    return list(
        Participation.objects.filter(person=person)
        .select_related("unit", "coach", "home_district", "referral", "referral__referred_by")
        .prefetch_related(
            "referral__target_groups",
            Prefetch("deadlines", queryset=open_deadlines, to_attr="open_deadlines"),
            Prefetch("interruptions", queryset=Interruption.objects.order_by("start_date")),
            Prefetch("followups", queryset=PostClosureFollowUp.objects.order_by("due_on")),
            Prefetch("appointments", queryset=Appointment.objects.select_related("coach").order_by("starts_at")),
        )
        .order_by("-referred_on", "-id")
    )


def limit_status(participation: Participation, today: datetime.date | None = None) -> rules.LimitDates | None:
    """Active days used of the 18 months, over all of the person's participations."""
    today = today or timezone.localdate()
    periods = list(
        Participation.objects.filter(person_id=participation.person_id, arrived_on__isnull=False).values_list(
            "arrived_on", "closed_on"
        )
    )
    pauses = list(
        Interruption.objects.filter(participation__person_id=participation.person_id).values_list("start_date", "end_date")
    )
    return rules.participation_limit(periods, pauses, today)


def visible_participations(user: User) -> QuerySet[Participation]:
    """Participations of people the user may see (API list)."""
    return (
        Participation.objects.filter(person__in=visible_persons(user))
        .select_related("person", "unit", "coach", "home_district")
        .order_by("-referred_on", "-id")
    )


def coach_appointments(coach: User, day: datetime.date | None = None) -> QuerySet[Appointment]:
    """The coach's appointments on a day (the "today" list), people hidden unless visible."""
    day = day or timezone.localdate()
    return (
        Appointment.objects.filter(coach=coach, starts_at__date=day, participation__person__in=visible_persons(coach))
        .select_related("participation__person")
        .order_by("starts_at")
    )


def week_visits(coach: User, monday: datetime.date) -> QuerySet[Appointment]:
    """The coach's visits Monday–Friday of one week, cancelled ones too (shown struck): one query,
    people the coach may not see left out."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(monday + datetime.timedelta(days=5), datetime.time.min, tzinfo=tz)
    return (
        Appointment.objects.filter(
            coach=coach, starts_at__gte=start, starts_at__lt=end, participation__person__in=visible_persons(coach)
        )
        .select_related("participation__person")
        .order_by("starts_at", "id")
    )


def visit(appointment_id: int) -> Appointment | None:
    return Appointment.objects.select_related("coach", "participation").filter(pk=appointment_id).first()


def visit_steps(user: User, appointment: Appointment) -> list[str]:
    """The visit's next steps this user may take (rules.VISIT_TRANSITIONS): the page offers exactly these."""
    if not appointment.participation.is_open:
        return []
    facts = rules.facts(appointment.participation)
    steps = rules.allowed_visit_actions(
        appointment.status, lambda capability: may(user, f"participations.{capability}", **facts)
    )
    if appointment.starts_at > timezone.now():  # held or missed only once the visit's time has come
        steps = [step for step in steps if step not in rules.AFTER_START]
    return steps


def capabilities(user: User, participation: Participation) -> dict[str, Any]:
    """Which actions to offer on the participation page (the services check again)."""
    return {
        name: may(user, f"participations.{name}", **rules.facts(participation)) for name in rules.CAPABILITIES
    }


def steps(user: User, participation: Participation) -> dict[str, bool]:
    """The state machine's steps this user may take now (rules.TRANSITIONS): the page offers exactly these."""
    facts = rules.facts(participation)
    actions = rules.allowed_actions(
        participation.status, lambda capability: may(user, f"participations.{capability}", **facts)
    )
    return dict.fromkeys(actions, True)


def _first(qs: QuerySet[Any], field: str) -> Subquery:
    return Subquery(qs.values(field)[:1])


def with_path(qs: QuerySet[Participation]) -> QuerySet[Participation]:
    """The facts of the step bar (participations.path.PathFacts) and the next open deadline, as
    annotations: the same query whatever the number of rows (no query per row)."""
    participation = OuterRef("pk")
    assessment = Assessment.objects.filter(participation=participation).order_by("-number", "-id")
    plan = ActivityPlan.objects.filter(participation=participation).order_by("-number", "-id")
    activities = Activity.objects.filter(participation=participation)
    running = activities.filter(status=ActivityStatus.OPEN).order_by("end_date", "id")
    activity_count = activities.order_by().values("participation").annotate(n=Count("id")).values("n")
    # The deadline that drives the step: running clocks before paused ones, the earliest first
    # (the same order as deadlines.rows.next_deadline).
    deadline = Deadline.objects.filter(participation=participation, status=Deadline.Status.OPEN).order_by(
        F("paused_on").asc(nulls_first=True), "due_date", "id"
    )
    return qs.annotate(
        path_assessment_id=_first(assessment, "id"),
        path_assessment_status=_first(assessment, "status"),
        path_plan_id=_first(plan, "id"),
        path_plan_status=_first(plan, "status"),
        path_activity_count=Coalesce(Subquery(activity_count, output_field=IntegerField()), Value(0)),
        path_running_activity_id=_first(running, "id"),
        path_deadline_kind=_first(deadline, "kind"),
        path_deadline_due=_first(deadline, "due_date"),
        path_deadline_paused_on=_first(deadline, "paused_on"),
    )


def path_deadline(participation: Participation, today: datetime.date) -> DeadlineRow | None:
    """The next open deadline read by `with_path`, as the row every list shows (None: none open)."""
    kind = getattr(participation, "path_deadline_kind", None)
    if not kind or not participation.is_open:
        return None
    deadline = Deadline(
        participation=participation,
        kind=kind,
        due_date=participation.path_deadline_due,  # type: ignore[attr-defined]
        paused_on=participation.path_deadline_paused_on,  # type: ignore[attr-defined]
        status=Deadline.Status.OPEN,
    )
    return DeadlineRow.of(deadline, today)


def with_path_one(participation: Participation) -> Participation:
    """One participation with the path's annotations (one query)."""
    return (
        with_path(Participation.objects.filter(pk=participation.pk))
        .select_related("person", "unit", "coach", "home_district")
        .get()
    )


def path_for(user: User, participation: Participation, today: datetime.date, *, with_deadline: bool = True) -> Path:
    """The step bar of one participation for this user (two queries: the facts, then none per step)."""
    annotated = with_path_one(participation)
    deadline = path_deadline(annotated, today) if with_deadline else None
    return path_of(user, annotated, deadline=deadline)


def attach_paths(user: User, rows: list[Participation], today: datetime.date, *, with_deadline: bool = True) -> None:
    """Give each row of a list page its `path` (step, next action, next deadline): one query for
    the whole page, whatever its length, and none when the page is empty."""
    if not rows:
        return
    annotated = {p.pk: p for p in with_path(Participation.objects.filter(pk__in=[row.pk for row in rows]))}
    for row in rows:
        facts = annotated[row.pk]
        deadline = path_deadline(facts, today) if with_deadline else None
        row.path = path_of(user, row, deadline=deadline, facts=PathFacts.of(facts))  # type: ignore[attr-defined]
