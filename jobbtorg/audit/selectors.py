"""Reads for log review (LEGAL.md: logging and log review).

Who may review what (audit.rules): the system administrator sees every entry; a unit
manager sees entries written by users of their own Jobbtorg unit (the monthly
log follow-up is the manager's responsibility), and the log of a person only when the
person is or was a participant at the unit (and has no protected identity); HR sees
what an employee did (the user log, "audit.staff_log"); everybody else sees none.
Every query here is one SQL statement (plus the paginator's count), whatever
the number of rows: lists are filtered on the (person_id, at), (user_id, at)
and (flagged, at) indexes, and the "many persons in an hour" list is a
GROUP BY in the database.
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.capabilities import ALL, holds, scope_of

# Actions that open one person (a list row or a search hit is not counted as opening).
OPENING_ACTIONS = (Action.READ, Action.CREATE, Action.CHANGE, Action.EXPORT, Action.PRINT)

DEFAULT_BUSY_THRESHOLD = 20


REVIEW = "audit.review"
STAFF_LOG = "audit.staff_log"


def can_review(user: Any) -> bool:
    return holds(user, REVIEW)


def can_open_log_review(user: Any) -> bool:
    """The menu's "Loggranskning": the whole review, or only an employee's log (HR)."""
    return holds(user, REVIEW) or holds(user, STAFF_LOG)


def reviews_all(reviewer: Any, capability: str = REVIEW) -> bool:
    """The reviewer's scope is the whole log (the system administrator), not one unit's staff."""
    return scope_of(getattr(reviewer, "role", None), capability) == ALL


def review_scope(reviewer: Any, capability: str = REVIEW) -> QuerySet[AuditEntry]:
    """The entries `reviewer` may see at all under `capability`."""
    if not holds(reviewer, capability):
        return AuditEntry.objects.none()
    if reviews_all(reviewer, capability):
        return AuditEntry.objects.all()
    if not reviewer.jobbtorg_unit_id:
        return AuditEntry.objects.none()
    # A subquery, not a list of ids: one statement however large the unit.
    staff = get_user_model().objects.filter(jobbtorg_unit_id=reviewer.jobbtorg_unit_id).values("pk")
    return AuditEntry.objects.filter(user_id__in=staff)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def in_period(entries: QuerySet[AuditEntry], start: datetime.date, end: datetime.date) -> QuerySet[AuditEntry]:
    """Entries from the first moment of `start` to the last of `end` (Stockholm days, inclusive)."""
    return entries.filter(at__gte=_day_start(start), at__lt=_day_start(end + datetime.timedelta(days=1)))


def person_log(reviewer: Any, person_id: int, start: datetime.date, end: datetime.date) -> QuerySet[AuditEntry]:
    """Who has accessed this person ("vem har tittat på den här personen")."""
    return in_period(review_scope(reviewer).filter(person_id=person_id), start, end).order_by("-at", "-id")


def user_log(reviewer: Any, username: str, start: datetime.date, end: datetime.date) -> QuerySet[AuditEntry]:
    """What this user has accessed ("vad har den här användaren tittat på")."""
    users = get_user_model().objects.filter(username=username).values("pk")
    match = Q(user_id__in=users)
    if reviews_all(reviewer, STAFF_LOG):
        # Background tasks write entries without a user id under a name ("system").
        match |= Q(user_id__isnull=True, username=username)
    return in_period(review_scope(reviewer, STAFF_LOG).filter(match), start, end).order_by("-at", "-id")


def person_by_personnummer(number: str) -> tuple[int, bool] | None:
    """(id, is protected) of the person with this normalised personnummer, or None. Nothing else
    of the person is read: the log review shows no names."""
    from jobbtorg.people.models import Person, ProtectionLevel

    row = Person.objects.filter(personnummer=number).values_list("pk", "protection_level").first()
    return None if row is None else (row[0], row[1] != ProtectionLevel.NONE)


def may_review_person(reviewer: Any, person_id: int) -> bool:
    """May `reviewer` see the log of this person? The whole-log reviewer may; a unit manager only
    for a person who is or was a participant at her unit and has no protected identity (access
    policy: unit-wide relations never reach a protected person). One query."""
    if not can_review(reviewer):
        return False
    if reviews_all(reviewer):
        return True
    if not reviewer.jobbtorg_unit_id:
        return False
    from jobbtorg.participations.models import Participation
    from jobbtorg.people.models import ProtectionLevel

    at_unit = Participation.objects.filter(person_id=person_id, unit_id=reviewer.jobbtorg_unit_id)
    return at_unit.filter(person__protection_level=ProtectionLevel.NONE).exists()


def admin_changes(reviewer: Any, start: datetime.date, end: datetime.date) -> QuerySet[AuditEntry]:
    """Changes of users and rights ("ändringar av användare och behörigheter"), newest first:
    Action.ADMIN (users, roles, units, named staff, tokens) and Action.ACCESS (protection levels).

    The system administrator sees all. A unit manager sees what the unit's own staff did, the
    administration of the unit's staff (the entry's details name whom it concerns: a user
    who joins the unit brings the entry that put them there), and the access changes of
    persons with a participation at the unit. The unit's staff ids are read first (one
    short query) because a JSON key can not be compared with a subquery on every database.
    """
    entries = AuditEntry.objects.filter(action__in=(Action.ADMIN, Action.ACCESS))
    if not can_review(reviewer):
        return AuditEntry.objects.none()
    if not reviews_all(reviewer):
        if not reviewer.jobbtorg_unit_id:
            return AuditEntry.objects.none()
        from jobbtorg.participations.models import Participation

        staff = get_user_model().objects.filter(jobbtorg_unit_id=reviewer.jobbtorg_unit_id)
        staff_ids = list(staff.values_list("pk", flat=True))
        persons = Participation.objects.filter(unit_id=reviewer.jobbtorg_unit_id).values("person_id")
        entries = entries.filter(
            Q(user_id__in=staff_ids)
            | Q(action=Action.ADMIN, details__user_id__in=staff_ids)
            | Q(action=Action.ACCESS, person_id__in=persons)
        )
    return in_period(entries, start, end).order_by("-at", "-id")


def refused_accesses(reviewer: Any, start: datetime.date, end: datetime.date) -> QuerySet[AuditEntry]:
    return in_period(review_scope(reviewer).filter(outcome=Outcome.REFUSED), start, end).order_by("-at", "-id")


def protected_accesses(reviewer: Any, start: datetime.date, end: datetime.date) -> QuerySet[AuditEntry]:
    """Allowed accesses flagged for review: every access to a protected identity."""
    entries = review_scope(reviewer).filter(flagged=True, outcome=Outcome.ALLOWED)
    return in_period(entries, start, end).order_by("-at", "-id")


def busy_hours(
    reviewer: Any, start: datetime.date, end: datetime.date, threshold: int = DEFAULT_BUSY_THRESHOLD
) -> QuerySet[Any, Any]:
    """Users who opened more than `threshold` distinct persons within one clock hour.

    Rows are dicts: user_id, username, hour (aware, Stockholm), persons, entries.
    Hours are clock hours in Stockholm time, counted by the database.
    """
    entries = in_period(review_scope(reviewer), start, end).filter(action__in=OPENING_ACTIONS, person_id__isnull=False)
    return (
        entries.annotate(hour=TruncHour("at"))
        .values("user_id", "username", "hour")
        .annotate(persons=Count("person_id", distinct=True), entries=Count("id"))
        .filter(persons__gt=threshold)
        .order_by("-persons", "-hour", "username")
    )
