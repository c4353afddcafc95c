"""The one write path for activities, sessions, attendance and deviations.

Views, the API, imports and tasks call these; nothing else writes these models.
Each function: checks who may do it (refusals are audited before anything else
happens, so the refusal entry survives), then in one transaction locks,
validates through `rules`, saves, opens or completes deadlines, appends to the
timeline and writes the audit entry.

Who may do what:

- create, change, follow up an activity: a coach of the participation's Jobbtorg unit
  (or its own coach) who may see the person;
- plan sessions, register attendance: the participant's coach, the coach hosting a group
  session, or staff of the activity's provider, each only for persons they may see
  (access policy);
- acknowledge a deviation and write the district's note: a social worker of the
  participation's home district who may see the person.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobbtorg.access.policy import check_person, visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities import rules
from jobbtorg.activities.models import (
    AbsenceReason,
    Activity,
    ActivityFollowUp,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    CatalogueItem,
    Deviation,
    DeviationKind,
    FollowUpDecision,
)
from jobbtorg.activities.selectors import ACTIVITY_STATUSES
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record, record_many
from jobbtorg.core.capabilities import holds, may, roles_holding
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.core.transactions import after_commit
from jobbtorg.core.workdays import is_holiday
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.notifications import services as notifications
from jobbtorg.organisation.models import Provider
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import Appointment, Participation
from jobbtorg.timeline.services import append

WHAT_ACTIVITY = AuditEvent.ACTIVITY
WHAT_FOLLOWUP = AuditEvent.ACTIVITY_FOLLOWUP
WHAT_SESSION = AuditEvent.ACTIVITY_SESSIONS
WHAT_ATTENDANCE = AuditEvent.ATTENDANCE
WHAT_DEVIATION = AuditEvent.DEVIATION


def _raise(errors: rules.Errors) -> None:
    if errors:
        raise DomainError(errors)


def _merge(*parts: rules.Errors) -> rules.Errors:
    merged: rules.Errors = {}
    for part in parts:
        for field, messages in part.items():
            merged.setdefault(field, []).extend(messages)
    return merged


def _refuse(actor: Actor, action: str, what: str, person_id: int | None, protected: bool = False) -> None:
    """Audit a refusal (outside any transaction, so it is kept) and raise."""
    record(actor, action, what, person_id, allowed=False, protected=protected)
    raise AccessDenied()


def _name(user: User | None) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


# --- Who may -------------------------------------------------------------------------------


def may_manage_activities(user: User, participation: Participation) -> bool:
    """A coach of the participation's unit (or its own coach) who may see the person."""
    if not may(user, "activities.manage", **participation_rules.facts(participation)):
        return False
    return check_person(user, participation.person).allowed


def allowed_steps(user: User, activity: Activity) -> list[str]:
    """The steps the activity page offers this user (rules.TRANSITIONS; the services accept no others)."""
    if not may_manage_activities(user, activity.participation):
        return []
    facts = participation_rules.facts(activity.participation)
    return rules.allowed_steps(activity.status, lambda capability: may(user, f"activities.{capability}", **facts))


def may_register_for(user: User, activity: Activity, session: ActivitySession | None = None) -> bool:
    """The relation part of the attendance rule; person visibility is checked separately."""
    if may(user, "activities.register_attendance", coach_id=activity.participation.coach_id, provider_id=activity.provider_id):
        return True
    # The host of a group session registers for all its participants.
    return session is not None and session.host_id == user.pk and holds(user, "activities.register_attendance")


def registrable(user: User, activities: Sequence[Activity], session: ActivitySession | None = None) -> set[int]:
    """Ids of `activities` whose attendance `user` may register: relation and access in one query."""
    candidates = [a for a in activities if may_register_for(user, a, session)]
    if not candidates:
        return set()
    visible = set(
        visible_persons(user).filter(pk__in={a.participation.person_id for a in candidates}).values_list("pk", flat=True)
    )
    return {a.pk for a in candidates if a.participation.person_id in visible}


# --- Activities ----------------------------------------------------------------------------


@dataclass
class ActivityData:
    catalogue_item: CatalogueItem | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    provider: Provider | None = None
    location: str = ""
    description: str = ""


def _check_activity(data: ActivityData, participation: Participation, exclude_id: int | None = None) -> rules.Errors:
    """Dates (within the participation), provider and capacity. Locks the catalogue item so two
    bookings can not both take the last place."""
    errors = rules.check_dates(data.start_date, data.end_date)
    if not errors:
        errors = rules.check_within_participation(
            data.start_date, data.end_date, participation.referred_on, participation.closed_on
        )
    item = data.catalogue_item
    if item is None:
        errors = _merge(errors, {"catalogue_item": [_("Välj en insats ur utbudet.")]})
        return errors
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if not item.active and exclude_id is None:
        errors = _merge(errors, {"catalogue_item": [_("Insatsen finns inte längre i utbudet. Välj en annan.")]})
    offered_by = list(item.providers.values_list("pk", flat=True))
    errors = _merge(errors, rules.check_provider(data.provider.pk if data.provider else None, offered_by))
    if not errors and item.capacity is not None:
        assert data.start_date and data.end_date
        others = Activity.objects.filter(catalogue_item=item, start_date__lte=data.end_date, end_date__gte=data.start_date)
        if exclude_id is not None:
            others = others.exclude(pk=exclude_id)
        periods = others.values_list("start_date", "end_date")
        errors = rules.check_capacity(item.capacity, list(periods), data.start_date, data.end_date)
    return errors


def create_activity(
    user: User, actor: Actor, participation: Participation, data: ActivityData, *, predecessor: Activity | None = None
) -> Activity:
    """A coach starts an activity from the catalogue; its follow-up falls due on the end date."""
    if not may_manage_activities(user, participation):
        _refuse(actor, Action.CREATE, WHAT_ACTIVITY, participation.person_id, participation.person.is_protected)
    with transaction.atomic():
        activity = _create_activity(user, participation, data, predecessor=predecessor)
        record(actor, Action.CREATE, WHAT_ACTIVITY, participation.person_id, protected=participation.person.is_protected)
    return activity


def _create_activity(
    user: User, participation: Participation, data: ActivityData, *, predecessor: Activity | None = None, prefix: str = ""
) -> Activity:
    errors: rules.Errors = {}
    if participation.status not in ACTIVITY_STATUSES:
        errors["participation"] = [_("Insatser kan bara läggas till i ett pågående deltagande.")]
    errors = _merge(errors, _check_activity(data, participation))
    _raise({prefix + k: v for k, v in errors.items()})
    assert data.catalogue_item and data.start_date and data.end_date
    activity = Activity.objects.create(
        participation=participation,
        catalogue_item=data.catalogue_item,
        provider=data.provider,
        start_date=data.start_date,
        end_date=data.end_date,
        location=data.location.strip(),
        description=data.description.strip(),
        predecessor=predecessor,
        created_by=user,
    )
    deadlines.open_deadline(participation, Kind.ACTIVITY_FOLLOWUP, due=activity.end_date, subject_id=activity.pk)
    text = _("Insats %(item)s %(start)s – %(end)s") % {
        "item": data.catalogue_item.name,
        "start": activity.start_date.isoformat(),
        "end": activity.end_date.isoformat(),
    }
    if data.provider:
        text += " " + _("hos %(provider)s") % {"provider": data.provider.name}
    if predecessor:
        text += " " + _("(ersätter %(item)s)") % {"item": predecessor.catalogue_item.name}
    append(
        kind="activity_created",
        text=text,
        author=user,
        participation=participation,
        occurred_on=timezone.localdate(),
        data={"activity_id": activity.pk, "predecessor_id": predecessor.pk if predecessor else None},
    )
    return activity


def update_activity(user: User, actor: Actor, activity: Activity, data: ActivityData, expected_version: int | None) -> Activity:
    """Change dates, provider, place or description of an open activity (optimistic lock).

    The catalogue item is not changed here: a different offer is a replacement (follow-up).
    """
    participation = activity.participation
    if not may_manage_activities(user, participation):
        _refuse(actor, Action.CHANGE, WHAT_ACTIVITY, participation.person_id, participation.person.is_protected)
    with transaction.atomic():
        if (
            expected_version is not None
            and Activity.objects.filter(pk=activity.pk).values_list("version", flat=True).first() != expected_version
        ):
            raise _conflict()
        rules.next_status(activity.status, rules.Step.EDIT)
        data.catalogue_item = activity.catalogue_item
        errors = _check_activity(data, participation, exclude_id=activity.pk)
        assert data.start_date is not None or errors
        if not errors:
            assert data.start_date and data.end_date
            outside = Attendance.objects.filter(activity=activity, status__isnull=False).exclude(
                date__range=(data.start_date, data.end_date)
            )
            if outside.exists():
                errors["end_date"] = [_("Det finns registrerad närvaro utanför de nya datumen. Välj datum som täcker den.")]
        _raise(errors)
        assert data.start_date and data.end_date
        changed = [
            name
            for name, new in (
                ("start_date", data.start_date),
                ("end_date", data.end_date),
                ("provider_id", data.provider.pk if data.provider else None),
                ("location", data.location.strip()),
                ("description", data.description.strip()),
            )
            if getattr(activity, name) != new
        ]
        activity.start_date, activity.end_date = data.start_date, data.end_date
        activity.provider = data.provider
        activity.location, activity.description = data.location.strip(), data.description.strip()
        save_versioned(activity, expected_version, ["start_date", "end_date", "provider", "location", "description"])
        _drop_planned_outside(activity)
        deadlines.open_deadline(participation, Kind.ACTIVITY_FOLLOWUP, due=activity.end_date, subject_id=activity.pk)
        append(
            kind="activity_changed",
            text=_("Insats %(item)s ändrad: %(start)s – %(end)s")
            % {
                "item": activity.catalogue_item.name,
                "start": activity.start_date.isoformat(),
                "end": activity.end_date.isoformat(),
            },
            author=user,
            participation=participation,
            data={"activity_id": activity.pk, "changed": changed},
        )
        record(actor, Action.CHANGE, WHAT_ACTIVITY, participation.person_id, protected=participation.person.is_protected)
    return activity


def _conflict() -> ConflictError:
    return ConflictError(_("Någon annan har ändrat uppgifterna medan du arbetade. Ladda om sidan och gör ändringen igen."))


def _drop_planned_outside(activity: Activity) -> None:
    """Planned, unregistered session places outside the activity's dates are no facts: remove them,
    and any session left with nobody in it."""
    stale = Attendance.objects.filter(activity=activity, status__isnull=True).exclude(
        date__range=(activity.start_date, activity.end_date)
    )
    session_ids = list(stale.values_list("session_id", flat=True))
    if not session_ids:
        return
    stale.delete()
    ActivitySession.objects.filter(pk__in=session_ids, attendances__isnull=True).delete()


@dataclass
class FollowUpData:
    followed_up_on: datetime.date | None
    result: str
    decision: str | None
    new_end_date: datetime.date | None = None
    successor: ActivityData | None = None


def follow_up(user: User, actor: Actor, activity: Activity, data: FollowUpData, expected_version: int | None) -> ActivityFollowUp:
    """Uppföljning: result plus continue (new end date, new follow-up), replace (a linked
    successor activity) or end. Ending or replacing before the end date ends the activity that day."""
    participation = activity.participation
    if not may_manage_activities(user, participation):
        _refuse(actor, Action.CHANGE, WHAT_FOLLOWUP, participation.person_id, participation.person.is_protected)
    with transaction.atomic():
        rules.require_follow_up_step(activity.status)
        errors = rules.check_followup(
            data.decision,
            data.result,
            data.followed_up_on,
            activity.start_date,
            activity.end_date,
            data.new_end_date,
            timezone.localdate(),
        )
        if data.decision == FollowUpDecision.REPLACE and data.successor is None:
            errors.setdefault("successor_catalogue_item", []).append(_("Välj vilken insats som ersätter den här."))
        if not errors and data.decision == FollowUpDecision.CONTINUE:
            assert data.new_end_date is not None
            # The extension takes a place for the added days: capacity is checked for them.
            extension = ActivityData(activity.catalogue_item, activity.end_date + datetime.timedelta(days=1), data.new_end_date)
            full = _check_activity(extension, participation, exclude_id=activity.pk)
            if full:
                errors["new_end_date"] = [m for messages in full.values() for m in messages]
        _raise(errors)
        assert data.followed_up_on is not None and data.decision is not None  # check_followup refused them missing
        day = data.followed_up_on
        previous_end = activity.end_date
        deadlines.complete(participation, Kind.ACTIVITY_FOLLOWUP, day, subject_id=activity.pk)
        successor = None
        if data.decision == FollowUpDecision.CONTINUE:
            assert data.new_end_date is not None
            activity.end_date = data.new_end_date
            save_versioned(activity, expected_version, ["end_date"])
            deadlines.open_deadline(participation, Kind.ACTIVITY_FOLLOWUP, due=activity.end_date, subject_id=activity.pk)
        else:
            activity.status = rules.next_status(activity.status, data.decision)
            activity.closed_on = day
            activity.end_date = max(activity.start_date, min(activity.end_date, day))
            save_versioned(activity, expected_version, ["status", "closed_on", "end_date"])
            _drop_planned_outside(activity)
            if data.decision == FollowUpDecision.REPLACE:
                assert data.successor is not None
                successor = _create_activity(user, participation, data.successor, predecessor=activity, prefix="successor_")
        followup = ActivityFollowUp.objects.create(
            activity=activity,
            followed_up_on=day,
            result=data.result.strip(),
            decision=data.decision,
            previous_end_date=previous_end,
            new_end_date=data.new_end_date if data.decision == FollowUpDecision.CONTINUE else None,
            successor=successor,
            author=user,
            author_name=_name(user),
        )
        append(
            kind="activity_followed_up",
            text=_("Uppföljning av %(item)s: %(decision)s. Resultat: %(result)s")
            % {
                "item": activity.catalogue_item.name,
                "decision": FollowUpDecision(data.decision).label,
                "result": followup.result,
            },
            author=user,
            participation=participation,
            occurred_on=day,
            data={"activity_id": activity.pk, "decision": data.decision, "successor_id": successor.pk if successor else None},
        )
        record(actor, Action.CHANGE, WHAT_FOLLOWUP, participation.person_id, protected=participation.person.is_protected)
    return followup


def end_activities_at_closure(user: User | None, participation: Participation, day: datetime.date) -> int:
    """Closure (or a move) ends every open activity of the participation on `day`: for the
    participations service to call inside its closure transaction. Planned, unregistered
    sessions after the day are removed; the follow-up clocks are cancelled. Returns how many."""
    ended = 0
    for activity in Activity.objects.filter(participation=participation, status=ActivityStatus.OPEN).select_related(
        "catalogue_item"
    ):
        activity.status = rules.next_status(activity.status, rules.Step.END_AT_CLOSURE)
        activity.closed_on = day
        activity.end_date = max(activity.start_date, min(activity.end_date, day))
        save_versioned(activity, None, ["status", "closed_on", "end_date"])
        _drop_planned_outside(activity)
        deadlines.cancel(participation, Kind.ACTIVITY_FOLLOWUP, day, subject_id=activity.pk)
        append(
            kind="activity_ended_at_closure",
            text=_("Insats %(item)s avslutad när deltagandet avslutades.") % {"item": activity.catalogue_item.name},
            author=user,
            participation=participation,
            occurred_on=day,
            data={"activity_id": activity.pk},
        )
        ended += 1
    return ended


# --- Sessions ------------------------------------------------------------------------------


@dataclass
class SessionPlan:
    date: datetime.date | None
    last_date: datetime.date | None = None
    weekdays: Iterable[int] = (0, 1, 2, 3, 4)
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    group: bool = False


def plan_sessions(user: User, actor: Actor, activities: Sequence[Activity], plan: SessionPlan) -> list[ActivitySession]:
    """Plan one session (or one per chosen weekday up to `last_date`) for one activity, or a
    group session for several activities of one catalogue item at one provider (or none).

    Each participant gets an unregistered attendance place (Ej registrerad) on each session.
    A day outside any of the activities' periods is refused and nothing is saved.
    """
    if not activities:
        raise DomainError({"activities": [_("Välj minst en deltagare.")]})
    group = plan.group or len(activities) > 1
    probe = ActivitySession(host=user if group and user.role == Role.COACH else None)
    allowed = registrable(user, activities, probe)
    refused = [a for a in activities if a.pk not in allowed]
    if refused:
        _refuse(
            actor, Action.CREATE, WHAT_SESSION, refused[0].participation.person_id, refused[0].participation.person.is_protected
        )
    first = activities[0]
    errors: rules.Errors = {}
    if any(a.catalogue_item_id != first.catalogue_item_id for a in activities):
        errors["activities"] = [_("Ett grupptillfälle gäller en och samma insats. Välj deltagare med samma insats.")]
    if any(a.provider_id != first.provider_id for a in activities):
        errors.setdefault("activities", []).append(_("Alla deltagare i ett grupptillfälle ska ha samma anordnare."))
    if any(not a.is_open for a in activities):
        errors.setdefault("activities", []).append(_("En av insatserna är avslutad."))
    days = []
    if plan.date is not None:
        skip = []
        if plan.last_date:
            day = plan.date
            while day <= plan.last_date:
                if is_holiday(day):
                    skip.append(day)
                day += datetime.timedelta(days=1)
        days = rules.session_dates(plan.date, plan.last_date, plan.weekdays, skip)
    errors = _merge(
        errors, rules.check_session_plan(plan.date, plan.last_date, days), rules.check_times(plan.start_time, plan.end_time)
    )
    if not errors:
        for activity in activities:
            for day in (days[0], days[-1]):
                outside = rules.check_day_in_activity(day, activity.start_date, activity.end_date)
                if outside:
                    errors = _merge(errors, outside)
                    break
            if errors:
                break
    _raise(errors)
    with transaction.atomic():
        # A day an activity already has (planned or registered) keeps its one row: no second place.
        taken = set(
            Attendance.objects.select_for_update()
            .filter(activity__in=activities, date__in=days)
            .values_list("activity_id", "date")
        )
        if taken:
            days = [day for day in days if any((a.pk, day) not in taken for a in activities)]
            if not days:
                raise DomainError({"date": [_("Det finns redan ett tillfälle den dagen. Registrera närvaron på det.")]})
        sessions = ActivitySession.objects.bulk_create(
            [
                ActivitySession(
                    catalogue_item_id=first.catalogue_item_id,
                    provider_id=first.provider_id,
                    host=probe.host,
                    date=day,
                    start_time=plan.start_time,
                    end_time=plan.end_time,
                    is_group=group,
                    created_by=user,
                )
                for day in days
            ]
        )
        if any(s.pk is None for s in sessions):  # databases that do not return ids from bulk inserts
            sessions = list(ActivitySession.objects.filter(created_by=user, date__in=days).order_by("-id")[: len(days)])
        Attendance.objects.bulk_create(
            [Attendance(session=s, activity=a, date=s.date) for s in sessions for a in activities if (a.pk, s.date) not in taken]
        )
        for activity in activities:
            append(
                kind="sessions_planned",
                text=_("%(count)s tillfällen planerade för %(item)s, %(first)s – %(last)s")
                % {
                    "count": len(days),
                    "item": activity.catalogue_item.name,
                    "first": days[0].isoformat(),
                    "last": days[-1].isoformat(),
                },
                author=user,
                participation=activity.participation,
                data={"activity_id": activity.pk, "session_ids": [s.pk for s in sessions][:50]},
            )
        people = [(a.participation.person_id, a.participation.person.is_protected) for a in activities]
        record_many(actor, Action.CREATE, WHAT_SESSION, people)
    return sessions


# --- Attendance ----------------------------------------------------------------------------


@dataclass
class Registration:
    attendance_id: int
    status: str | None
    absence_reason: str = ""
    note: str = ""
    version: int | None = None


class GroupRegistrationError(DomainError):
    """Some rows of a group registration were refused; nothing was saved.

    `row_errors` maps attendance id → {field: [message]} for the form and the API.
    """

    def __init__(self, row_errors: dict[int, rules.Errors]):
        self.row_errors = row_errors
        flat: rules.Errors = {}
        for messages in row_errors.values():
            for field, texts in messages.items():
                flat.setdefault(field, []).extend(t for t in texts if t not in flat.get(field, []))
        super().__init__(flat)


def register_group(user: User, actor: Actor, session: ActivitySession, rows: Sequence[Registration]) -> list[Attendance]:
    """Register attendance for many participants of a session at once: all rows or none.

    Rows whose status is empty are skipped (they stay Ej registrerad). Any refused row,
    a stale version on any row, or any error while saving leaves the database unchanged.
    """
    rows = [r for r in rows if r.status]
    if not rows:
        raise DomainError({"status": [_("Välj närvaro för minst en deltagare.")]})
    attendances = {
        a.pk: a
        for a in Attendance.objects.filter(session=session, pk__in=[r.attendance_id for r in rows]).select_related(
            "activity__participation__person",
            "activity__participation__home_district",
            "activity__catalogue_item",
            "session",
            "deviation",
        )
    }
    unknown = [r.attendance_id for r in rows if r.attendance_id not in attendances]
    if unknown:
        raise GroupRegistrationError({i: {"attendance": [_("Deltagaren finns inte på tillfället.")]} for i in unknown})
    allowed = registrable(user, [a.activity for a in attendances.values()], session)
    refused = [a for a in attendances.values() if a.activity_id not in allowed]
    if refused:
        person = refused[0].activity.participation.person
        _refuse(actor, Action.CHANGE, WHAT_ATTENDANCE, person.pk, person.is_protected)
    today = timezone.localdate()
    row_errors: dict[int, rules.Errors] = {}
    for row in rows:
        attendance = attendances[row.attendance_id]
        errors = _check_registration(attendance, row, today)
        if errors:
            row_errors[row.attendance_id] = errors
    if row_errors:
        raise GroupRegistrationError(row_errors)
    saved = []
    with transaction.atomic():
        for row in rows:
            attendance = attendances[row.attendance_id]
            if _apply(user, attendance, row, today):
                saved.append(attendance)
        record_many(
            actor,
            Action.CHANGE,
            WHAT_ATTENDANCE,
            [(a.activity.participation.person_id, a.activity.participation.person.is_protected) for a in saved],
        )
    return saved


def register(user: User, actor: Actor, attendance: Attendance, row: Registration) -> Attendance:
    """Register (or correct) one participant's attendance at one session."""
    row.attendance_id = attendance.pk
    try:
        saved = register_group(user, actor, attendance.session, [row])
    except GroupRegistrationError as exc:
        raise DomainError(exc.row_errors[attendance.pk]) from exc
    return saved[0] if saved else Attendance.objects.get(pk=attendance.pk)


def register_day(
    user: User,
    actor: Actor,
    activity: Activity,
    day: datetime.date | None,
    status: str | None,
    absence_reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Attendance:
    """Register one participant for a day. A day has one attendance row (activity, date): the
    day's planned session if there is one, else a new individual session. Registering a day
    again corrects that row (version-locked, "rättad" on the timeline), never a second session.
    Refused (and nothing saved) for a day outside the activity."""
    if not registrable(user, [activity]):
        person = activity.participation.person
        _refuse(actor, Action.CHANGE, WHAT_ATTENDANCE, person.pk, person.is_protected)
    if day is None:
        raise DomainError({"date": [_("Ange ett datum.")]})
    errors = _merge(
        rules.check_day_in_activity(day, activity.start_date, activity.end_date),
        rules.check_not_future(day, timezone.localdate()),
        rules.check_attendance(status, absence_reason, note),
    )
    _raise(errors)
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(activity=activity, date=day).first()
        if attendance is None:
            expected_version = None  # a new day: nothing the caller could have read
            session = ActivitySession.objects.create(
                catalogue_item_id=activity.catalogue_item_id, provider_id=activity.provider_id, date=day, created_by=user
            )
            attendance = Attendance.objects.create(session=session, activity=activity, date=day)
        version = attendance.version if expected_version is None else expected_version
        return register(user, actor, attendance, Registration(attendance.pk, status, absence_reason, note, version))


def _check_registration(attendance: Attendance, row: Registration, today: datetime.date) -> rules.Errors:
    activity = attendance.activity
    errors = _merge(
        rules.check_day_in_activity(attendance.date, activity.start_date, activity.end_date),
        rules.check_not_future(attendance.date, today),
        rules.check_attendance(row.status, row.absence_reason or "", row.note or ""),
    )
    return errors


def _apply(user: User, attendance: Attendance, row: Registration, today: datetime.date) -> bool:
    """Save one validated row; report or withdraw the deviation. False when nothing changed."""
    reason = row.absence_reason if row.status == AttendanceStatus.ABSENT else ""
    note = (row.note or "").strip()
    if (attendance.status, attendance.absence_reason, attendance.note) == (row.status, reason, note):
        if row.version is not None and row.version != attendance.version:
            raise _conflict()
        return False
    was_registered = attendance.is_registered
    before = describe(attendance)
    attendance.status, attendance.absence_reason, attendance.note = row.status, reason, note
    attendance.registered_by = user
    attendance.registered_at = timezone.now()
    save_versioned(attendance, row.version, ["status", "absence_reason", "note", "registered_by", "registered_at"])
    participation = attendance.activity.participation
    label = describe(attendance)
    facts = {"date": attendance.date.isoformat(), "item": attendance.activity.catalogue_item.name, "label": label}
    append(
        kind="attendance_corrected" if was_registered else "attendance_registered",
        text=(
            _("Närvaro %(date)s, %(item)s rättad: %(before)s → %(label)s") % {**facts, "before": before}
            if was_registered
            else _("Närvaro %(date)s, %(item)s: %(label)s") % facts
        ),
        author=user,
        participation=participation,
        occurred_on=attendance.date,
        data={"attendance_id": attendance.pk, "status": attendance.status, "absence_reason": reason},
    )
    _sync_deviation(user, attendance, today)
    return True


def describe(attendance: Attendance) -> str:
    """'Närvarande', 'Frånvarande – Sjuk', 'Ej registrerad' …"""
    if attendance.status is None:
        return _("Ej registrerad")
    label = str(AttendanceStatus(attendance.status).label)
    if attendance.status == AttendanceStatus.ABSENT and attendance.absence_reason:
        label += " – " + str(AbsenceReason(attendance.absence_reason).label)
    return label


def _sync_deviation(user: User, attendance: Attendance, today: datetime.date) -> None:
    """Unexcused absence and non-cooperation are reported to the home district, one report per
    registration, in the registration's transaction. A correction withdraws or reinstates it."""
    kind = rules.deviation_kind(attendance.status, attendance.absence_reason)
    participation = attendance.activity.participation
    deviation = Deviation.objects.filter(attendance=attendance).first()
    if kind is None:
        if deviation is not None and deviation.withdrawn_on is None:
            _tell_district_corrected(deviation, attendance, None)
            deviation.withdrawn_on = today
            save_versioned(deviation, None, ["withdrawn_on"])
            deadlines.cancel(participation, Kind.DEVIATION_ACKNOWLEDGEMENT, today, subject_id=deviation.pk)
            append(
                kind="deviation_withdrawn",
                text=_("Avvikelserapporten för %(date)s återkallades: registreringen rättades till %(label)s.")
                % {
                    "date": attendance.date.isoformat(),
                    "label": describe(attendance),
                },
                author=user,
                participation=participation,
                data={"deviation_id": deviation.pk},
            )
        return
    if deviation is None:
        deviation = Deviation.objects.create(
            attendance=attendance,
            participation=participation,
            district_id=participation.home_district_id,
            kind=kind,
            occurred_on=attendance.date,
            reported_on=today,
            reported_by=user,
        )
    elif deviation.withdrawn_on is not None or deviation.kind != kind:
        if deviation.withdrawn_on is None:
            _tell_district_corrected(deviation, attendance, kind)
        deviation.kind, deviation.withdrawn_on, deviation.reported_on = kind, None, today
        deviation.acknowledged_on, deviation.acknowledged_by = None, None
        save_versioned(deviation, None, ["kind", "withdrawn_on", "reported_on", "acknowledged_on", "acknowledged_by"])
    else:
        return
    deadlines.open_deadline(participation, Kind.DEVIATION_ACKNOWLEDGEMENT, start=today, subject_id=deviation.pk)
    append(
        kind="deviation_reported",
        text=_("Avvikelse rapporterad till %(district)s: %(kind)s %(date)s (%(item)s).")
        % {
            "district": participation.home_district.name,
            "kind": DeviationKind(kind).label,
            "date": attendance.date.isoformat(),
            "item": attendance.activity.catalogue_item.name,
        },
        author=user,
        participation=participation,
        occurred_on=today,
        data={"deviation_id": deviation.pk, "attendance_id": attendance.pk},
    )


def report_missed_visit(user: User, appointment: Appointment, today: datetime.date) -> Deviation:
    """A visit the participant did not come to (uteblev) is reported to the home district like an
    unexcused absence (DOMAIN §6): the same Deviation, the same acknowledgement deadline, inbox and
    digest. Called by participations.services.mark_no_show inside its transaction."""
    participation = appointment.participation
    deviation = Deviation.objects.create(
        appointment=appointment,
        participation=participation,
        district_id=participation.home_district_id,
        kind=DeviationKind.UNEXCUSED_ABSENCE,
        occurred_on=timezone.localdate(appointment.starts_at),
        reported_on=today,
        reported_by=user,
    )
    deadlines.open_deadline(participation, Kind.DEVIATION_ACKNOWLEDGEMENT, start=today, subject_id=deviation.pk)
    append(
        kind="deviation_reported",
        text=_("Avvikelse rapporterad till %(district)s: uteblev från besök %(date)s (%(place)s).")
        % {
            "district": participation.home_district.name,
            "date": timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": appointment.place,
        },
        author=user,
        participation=participation,
        occurred_on=today,
        data={"deviation_id": deviation.pk, "appointment_id": appointment.pk},
    )
    return deviation


def _tell_district_corrected(deviation: Deviation, attendance: Attendance, new_kind: str | None) -> None:
    """ "Avvikelsen rättad": the district that was sent the report is told, acknowledged or not,
    once the correction is committed. In Swedish like every stored message; no name, only the id."""
    with override("sv"):
        text = _("Avvikelsen rättad: %(kind)s %(date)s för person-id %(id)d är nu registrerad som %(label)s.") % {
            "kind": DeviationKind(deviation.kind).label,
            "date": deviation.occurred_on.isoformat(),
            "id": deviation.participation.person_id,
            "label": describe(attendance),
        }
        if new_kind is None:
            text += " " + _("Avvikelsen är återkallad.")
        else:
            text += " " + _("Avvikelsen gäller nu %(kind)s och väntar på kvittering.") % {"kind": DeviationKind(new_kind).label}
        if deviation.acknowledged_on is not None:
            text += " " + _("Ni hade redan kvitterat den.")
    url = reverse("activities:deviations") + ("?visa=rattade" if new_kind is None else "")
    recipients = _district_staff(deviation)
    after_commit(lambda: notifications.tell(recipients, text, url))


def _district_staff(deviation: Deviation) -> list[int]:
    """Who in the district acknowledges this report: for a protected person only those who may
    see the person, so not even the id reaches anyone else (LEGAL.md)."""
    staff = User.objects.filter(
        is_active=True, district_id=deviation.district_id, role__in=roles_holding("activities.acknowledge_deviation")
    )
    person = deviation.participation.person
    if person.is_protected:
        return [user.pk for user in staff if check_person(user, person).allowed]
    return list(staff.values_list("pk", flat=True))


# --- Deviations ----------------------------------------------------------------------------


def may_acknowledge_in(user: User, deviation: Deviation) -> bool:
    """The deviation rule (core.capabilities "activities.acknowledge_deviation"): a social worker
    of the deviation's district. The one place it is written; the person relation comes on top."""
    return may(user, "activities.acknowledge_deviation", district_id=deviation.district_id)


def may_acknowledge(user: User, deviation: Deviation) -> bool:
    """Only the home district's social workers (and only for persons they may see)."""
    if not may_acknowledge_in(user, deviation):
        return False
    return check_person(user, deviation.participation.person).allowed


def acknowledge_deviation(
    user: User, actor: Actor, deviation: Deviation, district_note: str, expected_version: int | None
) -> Deviation:
    """The district acknowledges the report and may record its own note (Stadsdelens beslut/åtgärd).

    The note is the district's, signed by its social worker; the Jobbtorg records no benefit decision.
    """
    person = deviation.participation.person
    if not may_acknowledge(user, deviation):
        _refuse(actor, Action.CHANGE, WHAT_DEVIATION, person.pk, person.is_protected)
    with transaction.atomic():
        current = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if expected_version is not None and current.version != expected_version:
            raise _conflict()
        if current.withdrawn_on is not None:
            raise DomainError(_("Avvikelsen är återkallad eftersom närvaron rättades. Den behöver inte kvitteras."))
        if current.acknowledged_on is not None:
            raise DomainError(_("Avvikelsen är redan kvitterad."))
        today = timezone.localdate()
        deviation.acknowledged_on, deviation.acknowledged_by = today, user
        deviation.district_note = district_note.strip()
        deviation.version = current.version
        save_versioned(deviation, current.version, ["acknowledged_on", "acknowledged_by", "district_note"])
        deadlines.complete(deviation.participation, Kind.DEVIATION_ACKNOWLEDGEMENT, today, subject_id=deviation.pk)
        text = _("%(district)s kvitterade avvikelsen (%(kind)s %(date)s).") % {
            "district": deviation.district.name,
            "kind": DeviationKind(deviation.kind).label,
            "date": deviation.occurred_on.isoformat(),
        }
        if deviation.district_note:
            text += " " + _("Stadsdelens beslut/åtgärd: %(note)s") % {"note": deviation.district_note}
        append(
            kind="deviation_acknowledged",
            text=text,
            author=user,
            participation=deviation.participation,
            occurred_on=today,
            data={"deviation_id": deviation.pk, "recorded_by_district": deviation.district_id},
        )
        record(actor, Action.CHANGE, WHAT_DEVIATION, person.pk, protected=person.is_protected)
    return deviation
