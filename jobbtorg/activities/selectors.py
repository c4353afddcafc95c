"""Reads for activities, attendance and deviations, already scoped by access.

Every query that returns people starts from `access.policy.visible_persons`, so
the pages, the start-page partials and the API agree on who sees whom. Each
list selects the joins its template needs: a page of 30 rows costs the same
number of queries as a page of 3 (tests pin this).

Attendance counts are computed in the database. *Missing* (Ej registrerad: a
session on or before the day with no registration) is counted on its own and
never as absence (DOMAIN §6).
"""

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity, ActivitySession, Attendance, AttendanceStatus, Deviation
from jobbtorg.activities.rules import Rate
from jobbtorg.core.capabilities import OWN, PROVIDER, scope_of
from jobbtorg.organisation.models import District
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status
from jobbtorg.people.models import Person

# Activities can be added while the participation is referred or active, not during an
# interruption (the clocks are paused) and never after closure.
ACTIVITY_STATUSES = (Status.REFERRED, Status.ACTIVE)


def _counts(prefix: str, today: datetime.date) -> dict[str, Count]:
    """Count expressions for a Rate, over attendance rows reached through `prefix`."""
    p = prefix
    return {
        "n_present": Count(p + "pk", filter=Q(**{p + "status": AttendanceStatus.PRESENT})),
        "n_absent": Count(p + "pk", filter=Q(**{p + "status": AttendanceStatus.ABSENT})),
        "n_non_cooperation": Count(p + "pk", filter=Q(**{p + "status": AttendanceStatus.NON_COOPERATION})),
        "n_missing": Count(p + "pk", filter=Q(**{p + "status__isnull": True, p + "date__lte": today})),
    }


def rate_of(row: Any) -> Rate:
    """The Rate of a row annotated by `with_attendance_counts` (or an aggregate dict)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return Rate(get("n_present") or 0, get("n_absent") or 0, get("n_non_cooperation") or 0, get("n_missing") or 0)


def sum_rates(rates: list[Rate]) -> Rate:
    return Rate(
        sum(r.present for r in rates),
        sum(r.absent for r in rates),
        sum(r.non_cooperation for r in rates),
        sum(r.missing for r in rates),
    )


def with_attendance_counts(qs: QuerySet[Activity], today: datetime.date | None = None) -> QuerySet[Activity]:
    """Annotate activities with present/absent/non-cooperation/missing counts (one grouped query)."""
    return qs.annotate(**_counts("attendances__", today or timezone.localdate()))


def attendance_rate(subject: Participation | Activity, today: datetime.date | None = None) -> Rate:
    """Attendance of one participation (all its activities) or one activity: present / registered
    sessions, with missing sessions shown separately. One aggregate query."""
    today = today or timezone.localdate()
    rows = Attendance.objects.all()
    if isinstance(subject, Activity):
        rows = rows.filter(activity=subject)
    else:
        rows = rows.filter(activity__participation=subject)
    return rate_of(rows.aggregate(**_counts("", today)))


# --- Activities ---------------------------------------------------------------------------------


def shows_activity(user: User, activity: Activity) -> bool:
    """Provider staff see only their own provider's activities (none without a provider: a
    missing provider must not match the activities that have none); other roles see every
    activity of a person they may see."""
    if user.role != Role.PROVIDER_STAFF:
        return True
    return user.provider_id is not None and activity.provider_id == user.provider_id


def own_provider_only(qs: QuerySet[Any], user: User, provider_field: str = "provider_id") -> QuerySet[Any]:
    """`shows_activity` as a filter on a queryset of activities (or rows reached through one)."""
    if user.role != Role.PROVIDER_STAFF:
        return qs
    return qs.filter(**{provider_field: user.provider_id}) if user.provider_id is not None else qs.none()


def visible_activities(user: User, today: datetime.date | None = None) -> QuerySet[Activity]:
    """Activities of persons `user` may see; provider staff only their own provider's."""
    qs = Activity.objects.filter(participation__person__in=visible_persons(user, today))
    return own_provider_only(qs, user).select_related("participation__person", "catalogue_item", "provider")


def person_section(user: User, person: Person, today: datetime.date | None = None) -> dict[str, Any]:
    """Context for templates/activities/_person_section.html: the person's activities (newest
    first) with attendance counts, and the attendance of their current participation.

    The caller has already opened the person through access (the person page does)."""
    today = today or timezone.localdate()
    activities = list(
        with_attendance_counts(
            Activity.objects.filter(participation__person=person).select_related(
                "catalogue_item", "provider", "participation", "predecessor__catalogue_item"
            ),
            today,
        ).order_by("-start_date", "-id")
    )
    activities = [a for a in activities if shows_activity(user, a)]
    for activity in activities:
        activity.rate = rate_of(activity)  # type: ignore[attr-defined]
    total = sum_rates([a.rate for a in activities])  # type: ignore[attr-defined]
    participation = Participation.objects.filter(person=person, status__in=OPEN_STATUSES).order_by("-referred_on", "-id").first()
    can_create = (
        user.role == Role.COACH
        and participation is not None
        and participation.status in ACTIVITY_STATUSES
        and (participation.coach_id == user.pk or participation.unit_id == user.jobbtorg_unit_id)
    )
    return {
        "person": person,
        "activities": activities,
        "total_rate": total,
        "open_participation": participation,
        "today": today,
        "can_create": can_create,
    }


# --- Sessions and attendance -------------------------------------------------------------------


def session_rows(user: User, session: ActivitySession) -> QuerySet[Attendance]:
    """The attendance rows of a session that `user` may see, in name order, with what a row shows."""
    qs = Attendance.objects.filter(session=session, activity__participation__person__in=visible_persons(user))
    return own_provider_only(qs, user, "activity__provider_id").select_related(
        "activity__participation__person", "activity__catalogue_item", "registered_by", "deviation"
    ).order_by("activity__participation__person__last_name", "activity__participation__person__first_name", "id")


# How far ahead "Dagens tillfällen" shows the coming sessions, and at most how many.
UPCOMING_DAYS = 14
SESSIONS_SHOWN = 50


def sessions_to_register(user: User, today: datetime.date | None = None) -> QuerySet[ActivitySession]:
    """Dagens tillfällen: the sessions whose attendance `user` registers, today's first, then the
    coming ones (UPCOMING_DAYS), each with how many places it has and how many are registered
    (persons the user may see). Provider staff: the provider's sessions; a coach: the sessions
    she hosts or where her own participants have a place. One query."""
    today = today or timezone.localdate()
    qs = ActivitySession.objects.filter(date__range=(today, today + datetime.timedelta(days=UPCOMING_DAYS)))
    scope = scope_of(user.role, "activities.register_attendance")  # who registers: the capability table
    if scope == PROVIDER and user.provider_id:
        qs = qs.filter(provider_id=user.provider_id)
    elif scope == OWN:
        own = Attendance.objects.filter(session=OuterRef("pk"), activity__participation__coach=user)
        qs = qs.filter(Q(host=user) | Exists(own))
    else:
        return qs.none()
    seen = Q(attendances__activity__participation__person__in=visible_persons(user, today))
    return (
        qs.annotate(
            n_places=Count("attendances", filter=seen),
            n_registered=Count("attendances", filter=seen & Q(attendances__status__isnull=False)),
        )
        .filter(n_places__gt=0)
        .select_related("catalogue_item")
        .order_by("date", "start_time", "id")[:SESSIONS_SHOWN]
    )


def todays_sessions(user: User, today: datetime.date | None = None) -> dict[str, Any]:
    """What "Dagens tillfällen" shows (its page and the provider's start page): today's sessions,
    then the coming ones."""
    today = today or timezone.localdate()
    sessions = list(sessions_to_register(user, today))
    return {
        "today": today,
        "sessions_today": [s for s in sessions if s.date == today],
        "sessions_upcoming": [s for s in sessions if s.date > today],
    }


def sessions_of(activity: Activity) -> QuerySet[Attendance]:
    """An activity's sessions as its attendance rows, newest first."""
    return Attendance.objects.filter(activity=activity).select_related("session", "registered_by").order_by("-date", "-id")


def missing_registrations(user: User, day: datetime.date | None = None) -> QuerySet[Attendance]:
    """Sessions on or before `day` with no registration (Ej registrerad), oldest first:
    the coach's own caseload, or the provider's participants. Never counted as absence."""
    day = day or timezone.localdate()
    qs = Attendance.objects.filter(status__isnull=True, date__lte=day)
    if user.role == Role.COACH:
        qs = qs.filter(activity__participation__coach=user)
    elif user.role == Role.PROVIDER_STAFF and user.provider_id:
        qs = qs.filter(activity__provider_id=user.provider_id)
    else:
        return qs.none()
    # visible_persons is a subquery on the person id: the list stays one query however long it is.
    return (
        qs.filter(activity__participation__person__in=visible_persons(user, day))
        .select_related("session", "activity__catalogue_item", "activity__provider", "activity__participation__person")
        .order_by("date", "session__start_time", "session_id", "id")
    )


# --- Deviations ---------------------------------------------------------------------------------


def deviation_inbox(
    district: District | None, user: User | None = None, *, acknowledged: bool = False, withdrawn: bool = False
) -> QuerySet[Deviation]:
    """The home district's deviation reports: waiting for acknowledgement (oldest first), or
    with `acknowledged=True` the handled ones (newest first). Withdrawn reports are left out,
    except with `withdrawn=True`: the reports corrected away ("avvikelsen rättad"), newest first.

    Pass `user` to narrow to persons the user may see: a protected person's report then
    reaches only the staff named on the person (LEGAL.md)."""
    if district is None:
        return Deviation.objects.none()
    qs = Deviation.objects.filter(district=district, withdrawn_on__isnull=not withdrawn)
    if user is not None:
        qs = qs.filter(participation__person__in=visible_persons(user))
    if withdrawn:
        qs = qs.order_by("-withdrawn_on", "-id")
    elif acknowledged:
        qs = qs.filter(acknowledged_on__isnull=False).order_by("-acknowledged_on", "-id")
    else:
        qs = qs.filter(acknowledged_on__isnull=True).order_by("reported_on", "id")
    return qs.select_related(
        "participation__person",
        "attendance__activity__catalogue_item",
        "attendance__activity__provider",
        "attendance__session",
        "appointment",
        "acknowledged_by",
        "reported_by",
    )


def hidden_deviation_count(district: District | None, user: User) -> int:
    """Unacknowledged reports the user can not see (protected identities): shown as a number only."""
    if district is None:
        return 0
    # NOT EXISTS, not NOT IN: PostgreSQL cannot turn `person_id NOT IN (visible persons)` into an
    # anti-join and builds the whole visible set (1 s at a million persons); NOT EXISTS probes per row.
    visible = visible_persons(user).filter(pk=OuterRef("participation__person_id"))
    return (
        Deviation.objects.filter(district=district, withdrawn_on__isnull=True, acknowledged_on__isnull=True)
        .filter(~Exists(visible))
        .count()
    )


def deviations_of(participation: Participation) -> QuerySet[Deviation]:
    return Deviation.objects.filter(participation=participation).select_related("acknowledged_by").order_by("-occurred_on")
