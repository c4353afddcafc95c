"""Reads of participations, already scoped by access (ARCHITECTURE: selectors).

Lists keep a constant number of queries whatever their length (tests pin it):
counts are aggregated in SQL, related rows come by select_related/prefetch.
The lead includes the partials `participations/_person_section.html` and
`participations/_caseload_balance.html` with what these return.
"""

import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.core.capabilities import may
from jobbtorg.deadlines.models import Deadline
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
from jobbtorg.people.models import Person


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


def unassigned(user: User) -> QuerySet[Participation]:
    """Open participations at the manager's unit whose coach is not yet assigned, oldest referral first.

    Only people the manager may see: protected identities never appear in a unit list (LEGAL.md).
    """
    if not user.jobbtorg_unit_id:
        return Participation.objects.none()
    return (
        Participation.objects.filter(
            unit_id=user.jobbtorg_unit_id,
            status__in=OPEN_STATUSES,
            coach_assigned_on__isnull=True,
            person__in=visible_persons(user),
        )
        .select_related("person", "coach", "home_district")
        .order_by("referred_on", "id")
    )


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
