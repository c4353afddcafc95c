"""The one write path for a participation (DOMAIN §4, §7).

Views, the API and the referral import call these functions; nothing else
saves a Participation, Appointment, Interruption or PostClosureFollowUp. Each
function:

1. finds the participation and checks the relation (access.policy) and the
   role (rules.CAPABILITIES) — a refusal is audited *outside* the transaction
   so the log keeps it, and raises AccessDenied (404) or PermissionDenied (403);
2. validates with participations.rules (DomainError with Swedish field errors);
3. in one transaction: saves with optimistic locking (the version the form or
   API client read), moves the deadlines, appends the timeline entry and the
   audit entry — all land together or not at all.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.services import report_missed_visit
from jobbtorg.audit.events import changed
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import capabilities, date_bounds, state_machine
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.core.transactions import after_commit
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.notifications import services as notifications
from jobbtorg.notifications.models import DistrictNews
from jobbtorg.organisation.models import District, JobbtorgUnit
from jobbtorg.participations import rules
from jobbtorg.participations.models import (
    HOLDS_TIME,
    OPEN_STATUSES,
    Appointment,
    ClosureReason,
    EmploymentExtent,
    EmploymentForm,
    FollowUpPoint,
    Interruption,
    InterruptionReason,
    Participation,
    PostClosureFollowUp,
    Status,
    StudyLevel,
    TransferTo,
    VisitStatus,
    WageSubsidy,
)
from jobbtorg.people.models import Person
from jobbtorg.timeline import services as timeline
from jobbtorg.timeline.kinds import EventKind

FOLLOWUP_KINDS = {FollowUpPoint.TWO_MONTHS: Kind.FOLLOWUP_2_MONTHS, FollowUpPoint.EIGHT_MONTHS: Kind.FOLLOWUP_8_MONTHS}


# --- access ------------------------------------------------------------------------------------


def load(participation_id: int) -> Participation | None:
    return Participation.objects.select_related("person", "unit", "home_district", "coach").filter(pk=participation_id).first()


def authorise(user: User, actor: Actor, participation: Participation | None, capability: str, what: str) -> Participation:
    """Relation to the person and the role's right to `capability`; refusals are logged.

    Call it before the transaction: a refusal raised inside one would roll back its own log entry.
    """
    if participation is None:
        record(actor, Action.CHANGE, what, None, allowed=False)
        raise AccessDenied()
    person = participation.person
    if not check_person(user, person).allowed:
        record(actor, Action.CHANGE, what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    if not capabilities.may(user, f"participations.{capability}", **rules.facts(participation)):
        record(actor, Action.CHANGE, what, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att göra det här för deltagandet."))
    return participation


def _audit(actor: Actor, participation: Participation, what: str, action: str = Action.CHANGE) -> None:
    record(
        actor,
        action,
        f"deltagande {participation.pk}: {what}",
        participation.person_id,
        protected=participation.person.is_protected,
    )


def _what(participation_id: int | None, what: str) -> str:
    return f"deltagande {participation_id}: {what}"


def _require_open(participation: Participation) -> None:
    if not participation.is_open:
        raise DomainError({"non_field_errors": [_("Deltagandet är avslutat och kan inte ändras.")]})


def _move(participation: Participation, action: rules.Action) -> None:
    """Take one step of the state machine (rules.TRANSITIONS); any other step is refused."""
    participation.status = rules.next_status(participation.status, action)


def _save(participation: Participation, version: int | None, fields: list[str]) -> None:
    participation.updated_at = timezone.now()
    save_versioned(participation, version, [*fields, "updated_at"])


def _raise(errors: rules.Errors) -> None:
    if errors:
        raise DomainError(errors)


# --- opening (called by referrals.services) -------------------------------------------------


def open_participation(
    *, person: Person, unit: JobbtorgUnit, home_district: District, referred_on: datetime.date, coach: User | None = None
) -> Participation:
    """A new participation for a referral, linked to the person's latest closed one.

    Refused while the person has an open participation; the partial unique index
    decides when two referrals race.
    """
    current = Participation.objects.filter(person=person, status__in=OPEN_STATUSES).select_related("unit").first()
    if current is not None:
        raise DomainError({"personnummer": [open_exists_message(current)]})
    previous = Participation.objects.filter(person=person, status=Status.CLOSED).order_by("-closed_on", "-id").first()
    try:
        with transaction.atomic():
            return Participation.objects.create(
                person=person,
                unit=unit,
                home_district=home_district,
                referred_on=referred_on,
                coach=coach,
                previous=previous,
                status=Status.REFERRED,
            )
    except IntegrityError as exc:
        raise DomainError({"personnummer": [_("Personen har redan ett pågående deltagande.")]}) from exc


def open_exists_message(current: Participation) -> str:
    return _(
        "Personen har redan ett pågående deltagande (anvisad %(date)s till %(unit)s). "
        "Det måste avslutas innan personen kan anvisas igen."
    ) % {"date": current.referred_on.isoformat(), "unit": current.unit.name}


def coaches_of(unit_id: int) -> Any:
    return User.objects.filter(role=Role.COACH, jobbtorg_unit_id=unit_id, is_active=True).order_by(
        "last_name", "first_name", "id"
    )


def _check_coach(coach_id: int | None, unit_id: int, field: str) -> User:
    coach = coaches_of(unit_id).filter(pk=coach_id).first() if coach_id else None
    if coach is None:
        raise DomainError({field: [_("Välj en coach som arbetar på det mottagande jobbtorget.")]})
    return coach


# --- appointments ------------------------------------------------------------------------------


def appointment_errors(
    unit_id: int,
    referred_on: datetime.date | None,
    starts_at: datetime.datetime | None,
    place: str,
    coach_id: int | None,
    *,
    first: bool = True,
) -> rules.Errors:
    """Time, place and a coach of the receiving unit; checked before anything is saved.

    The time: working hours on a working day, not in the past, not before the referral, a first
    visit within the first-appointment deadline (core.date_bounds, issue 8 item 11)."""
    errors: rules.Errors = {}
    place = " ".join((place or "").split())
    if not place:
        errors.setdefault("appointment_place", []).append(_("Ange var besöket äger rum."))
    elif len(place) > 200:
        errors.setdefault("appointment_place", []).append(_("Texten är för lång – högst 200 tecken."))
    if starts_at is None:
        errors.setdefault("appointment_at", []).append(_("Ange dag och tid för besöket."))
    elif not 2000 <= starts_at.year <= 2100:
        # Checked before any time-zone arithmetic, which overflows at the ends of the calendar.
        errors.setdefault("appointment_at", []).append(_("Ange en tid mellan år 2000 och 2100."))
    else:
        now = timezone.localtime()
        today = now.date()
        if first and referred_on is not None:
            latest = date_bounds.first_visit_latest(referred_on, today)
        else:
            latest = date_bounds.later_visit_latest(today)
        for name, messages in date_bounds.visit_errors(
            "appointment_at", timezone.localtime(starts_at), now, earliest_day=referred_on, latest_day=latest
        ).items():
            errors.setdefault(name, []).extend(messages)
    if not coach_id or not coaches_of(unit_id).filter(pk=coach_id).exists():
        errors.setdefault("appointment_coach", []).append(_("Välj en coach som arbetar på det mottagande jobbtorget."))
    return errors


def book_appointment(
    participation: Participation,
    *,
    user: User,
    starts_at: datetime.datetime,
    place: str,
    coach_id: int | None,
    kind: str = Appointment.Kind.FIRST,
) -> Appointment:
    """Book a meeting; the first one sets the FIRST_APPOINTMENT deadline to its day.

    Used inside the referral's transaction (already authorised) and by `book`.
    """
    place = " ".join(place.split())
    _raise(
        appointment_errors(
            participation.unit_id,
            participation.referred_on,
            starts_at,
            place,
            coach_id,
            first=kind == Appointment.Kind.FIRST,
        )
    )
    coach = coaches_of(participation.unit_id).get(pk=coach_id)
    _raise(clash_errors(participation.pk, coach.pk, starts_at))
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                participation=participation, kind=kind, starts_at=starts_at, place=place, coach=coach, booked_by=user
            )
    except IntegrityError as exc:  # two bookings raced past clash_errors: the constraint decides
        raise DomainError({"appointment_at": [_("Tiden blev nyss bokad av någon annan. Välj en annan tid.")]}) from exc
    day = timezone.localdate(starts_at)
    if kind == Appointment.Kind.FIRST:
        deadlines.open_deadline(participation, Kind.FIRST_APPOINTMENT, due=day)
    timeline.append(
        kind="appointment_booked",
        text=_("Besökstid bokad %(at)s, %(place)s, med %(coach)s.")
        % {
            "at": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": place,
            "coach": coach.get_full_name() or coach.get_username(),
        },
        author=user,
        participation=participation,
        data={"appointment": appointment.pk, "kind": kind},
    )
    return appointment


def book(
    user: User, actor: Actor, participation_id: int, *, starts_at: datetime.datetime, place: str, coach_id: int | None
) -> Appointment:
    """Book the first appointment later (e.g. after a CSV import, which has no appointment columns)."""
    what = _("bokning av besökstid")
    p = authorise(user, actor, load(participation_id), "book_appointment", _what(participation_id, what))
    kind = _next_kind(p)
    if kind == Appointment.Kind.OTHER:
        # Later visits are the Jobbtorg's own calendar; the district books only the first one.
        authorise(user, actor, p, "manage_visits", _what(participation_id, what))
    _require_open(p)
    with transaction.atomic():
        appointment = book_appointment(p, user=user, starts_at=starts_at, place=place, coach_id=coach_id, kind=kind)
        _audit(actor, p, what)
    return appointment


def _next_kind(p: Participation) -> str:
    """The first visit until one is booked (a cancelled one does not count) or the person has arrived."""
    first_booked = p.appointments.filter(kind=Appointment.Kind.FIRST).exclude(status=VisitStatus.CANCELLED).exists()
    return Appointment.Kind.OTHER if first_booked or p.arrived_on else Appointment.Kind.FIRST


def clash_errors(participation_id: int, coach_id: int, starts_at: datetime.datetime, exclude: int | None = None) -> rules.Errors:
    """The same visit cannot be booked twice: not for the participant, not for the coach, at one time."""
    taken = Appointment.objects.filter(starts_at=starts_at, status__in=HOLDS_TIME)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    errors: rules.Errors = {}
    if taken.filter(participation_id=participation_id).exists():
        errors["appointment_at"] = [_("Deltagaren har redan ett besök bokat den tiden.")]
    elif taken.filter(coach_id=coach_id).exists():
        errors["appointment_at"] = [_("Coachen har redan ett annat besök bokat den tiden. Välj en annan tid eller coach.")]
    return errors


def _load_visit(appointment_id: int) -> Appointment | None:
    return (
        Appointment.objects.select_related(
            "coach", "participation__person", "participation__unit", "participation__home_district", "participation__coach"
        )
        .filter(pk=appointment_id)
        .first()
    )


def _visit(user: User, actor: Actor, appointment_id: int, action: rules.VisitAction, what: str) -> Appointment:
    """The visit, its participation authorised for the step's capability, still open."""
    appointment = _load_visit(appointment_id)
    participation = appointment.participation if appointment else None
    pid = participation.pk if participation else None
    authorise(user, actor, participation, state_machine.capability(rules.VISIT_TRANSITIONS, action), _what(pid, what))
    assert appointment is not None
    _require_open(appointment.participation)
    return appointment


def _describe_visit(appointment: Appointment) -> str:
    return _("%(at)s, %(place)s, med %(coach)s") % {
        "at": timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M"),
        "place": appointment.place,
        "coach": appointment.coach.get_full_name() or appointment.coach.get_username(),
    }


def _step_visit(
    user: User, actor: Actor, appointment: Appointment, action: rules.VisitAction, version: int | None,
    fields: list[str], kind: EventKind, text: str, what: str, data: dict[str, Any] | None = None,
) -> None:
    """Save one step of the visit's state machine with its timeline and audit entries (in the caller's transaction)."""
    appointment.status = rules.next_visit_status(appointment.status, action)
    appointment.status_changed_on = timezone.localdate()
    appointment.updated_at = timezone.now()
    try:
        with transaction.atomic():
            save_versioned(appointment, version, [*fields, "status", "status_changed_on", "updated_at"])
    except IntegrityError as exc:
        raise DomainError({"appointment_at": [_("Tiden blev nyss bokad av någon annan. Välj en annan tid.")]}) from exc
    timeline.append(
        kind=kind, text=text, author=user, participation=appointment.participation,
        data={"appointment": appointment.pk, **(data or {})},
    )
    _audit(actor, appointment.participation, what)


def reschedule(
    user: User, actor: Actor, appointment_id: int, *, version: int | None, starts_at: datetime.datetime | None,
    place: str, coach_id: int | None,
) -> Appointment:
    """Move a booked visit to a new time or place; the timeline keeps the old one (LEGAL.md)."""
    what = _("ombokning av besök")
    appointment = _visit(user, actor, appointment_id, rules.VisitAction.RESCHEDULE, what)
    p = appointment.participation
    place = " ".join((place or "").split())
    first = appointment.kind == Appointment.Kind.FIRST
    _raise(appointment_errors(p.unit_id, p.referred_on, starts_at, place, coach_id, first=first))
    assert starts_at is not None and coach_id is not None
    _raise(clash_errors(p.pk, coach_id, starts_at, exclude=appointment.pk))
    before = _describe_visit(appointment)
    old = {
        "starts_at": timezone.localtime(appointment.starts_at).isoformat(),
        "place": appointment.place,
        "coach": appointment.coach_id,
    }
    appointment.starts_at, appointment.place = starts_at, place
    appointment.coach = coaches_of(p.unit_id).get(pk=coach_id)
    with transaction.atomic():
        text = _("Besöket %(before)s bokades om till %(after)s.") % {"before": before, "after": _describe_visit(appointment)}
        new = {"starts_at": timezone.localtime(starts_at).isoformat(), "place": place, "coach": coach_id}
        _step_visit(
            user, actor, appointment, rules.VisitAction.RESCHEDULE, version, ["starts_at", "place", "coach"],
            EventKind.APPOINTMENT_RESCHEDULED, text, what, {"old": old, "new": new},
        )
        if first and not p.arrived_on:
            deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, due=timezone.localdate(starts_at))
    return appointment


def cancel_visit(user: User, actor: Actor, appointment_id: int, *, version: int | None, reason: str) -> Appointment:
    """Cancel a visit with a reason: it stays, struck. A cancelled first visit no longer meets
    the first-visit deadline: its clock runs from the referral again (deadlines store)."""
    what = _("inställt besök")
    appointment = _visit(user, actor, appointment_id, rules.VisitAction.CANCEL, what)
    reason = reason.strip()
    _raise(
        rules.validate_visit_step(rules.VisitAction.CANCEL, starts_at=appointment.starts_at, now=timezone.now(), reason=reason)
    )
    p = appointment.participation
    appointment.cancel_reason = reason
    with transaction.atomic():
        text = _("Besöket %(visit)s ställdes in: %(reason)s") % {"visit": _describe_visit(appointment), "reason": reason}
        _step_visit(user, actor, appointment, rules.VisitAction.CANCEL, version, ["cancel_reason"],
                    EventKind.APPOINTMENT_CANCELLED, text, what)
        if appointment.kind == Appointment.Kind.FIRST and not p.arrived_on:
            refresh_first_visit_deadline(p)
    return appointment


def refresh_first_visit_deadline(p: Participation) -> None:
    """The first-visit clock is due on the booked first visit's day, or from the referral when none is booked."""
    booked = (
        p.appointments.filter(kind=Appointment.Kind.FIRST, status=VisitStatus.BOOKED).order_by("starts_at").first()
    )
    if booked is not None:
        deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, due=timezone.localdate(booked.starts_at))
    else:
        deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, p.referred_on)


def _after_start(
    user: User, actor: Actor, appointment_id: int, version: int | None, action: rules.VisitAction, what: str
) -> Appointment:
    """Held or no-show: the visit, authorised, once its time has come."""
    appointment = _visit(user, actor, appointment_id, action, what)
    _raise(rules.validate_visit_step(action, starts_at=appointment.starts_at, now=timezone.now()))
    return appointment


def mark_held(user: User, actor: Actor, appointment_id: int, *, version: int | None) -> Appointment:
    what = _("genomfört besök")
    appointment = _after_start(user, actor, appointment_id, version, rules.VisitAction.HOLD, what)
    text = _("Besöket %(visit)s genomfördes.") % {"visit": _describe_visit(appointment)}
    with transaction.atomic():
        _step_visit(user, actor, appointment, rules.VisitAction.HOLD, version, [], EventKind.APPOINTMENT_HELD, text, what)
    return appointment


def mark_no_show(user: User, actor: Actor, appointment_id: int, *, version: int | None) -> Appointment:
    """The participant did not come (uteblev): a deviation to the home district, like an
    unexcused absence (DOMAIN §6), through activities' one deviation path."""
    what = _("uteblivet besök")
    appointment = _after_start(user, actor, appointment_id, version, rules.VisitAction.NO_SHOW, what)
    text = _("Deltagaren uteblev från besöket %(visit)s.") % {"visit": _describe_visit(appointment)}
    with transaction.atomic():
        _step_visit(user, actor, appointment, rules.VisitAction.NO_SHOW, version, [], EventKind.APPOINTMENT_NO_SHOW, text, what)
        report_missed_visit(user, appointment, timezone.localdate())
    return appointment


# --- enrolment ---------------------------------------------------------------------------------


def assign_coach(user: User, actor: Actor, participation_id: int, *, version: int | None, coach_id: int | None) -> Participation:
    """A unit manager assigns the personal coach (DOMAIN §4.2), only a coach of the unit."""
    what = _("tilldelning av coach")
    p = authorise(user, actor, load(participation_id), "assign_coach", _what(participation_id, what))
    _require_open(p)
    coach = _check_coach(coach_id, p.unit_id, "coach")
    with transaction.atomic():
        _set_coach(user, actor, p, coach, version=version, assigned_on=timezone.localdate(), what=what)
    return p


def take(user: User, actor: Actor, participation_id: int, *, version: int | None) -> Participation:
    """A coach takes an open participant of her own unit who has no assigned coach yet (issue 10
    item 2): she becomes the personal coach, as if the unit manager had assigned her. A coach
    booked at referral is only proposed and may be replaced; an assigned coach may not.

    The coach reaches the participant through her relation to the person, or through her unit's
    intake pool (selectors.intake_pool: her unit, no protected identity), which exists to be taken from."""
    what = _what(participation_id, _("coach tar ärendet"))
    p = load(participation_id)
    in_pool = p is not None and p.unit_id == user.jobbtorg_unit_id and not p.person.is_protected
    if p is None or not (in_pool or check_person(user, p.person).allowed):
        record(actor, Action.CHANGE, what, p.person_id if p else None, allowed=False,
               protected=bool(p and p.person.is_protected))
        raise AccessDenied()
    if not capabilities.may(user, "participations.take", **rules.facts(p)):
        record(actor, Action.CHANGE, what, p.person_id, allowed=False, protected=p.person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att göra det här för deltagandet."))
    _require_open(p)
    if p.coach_assigned_on is not None:
        raise DomainError(
            {"non_field_errors": [_("Deltagaren har redan en tilldelad coach. Be enhetschefen om ärendet ska byta coach.")]}
        )
    coach = _check_coach(user.pk, p.unit_id, "non_field_errors")
    with transaction.atomic():
        _set_coach(user, actor, p, coach, version=version, assigned_on=timezone.localdate(), what=_("coach tar ärendet"),
                   text=_("%(coach)s tog ärendet och är personlig coach."))
    return p


def set_provisional_coach(user: User, actor: Actor, participation: Participation, coach: User) -> Participation:
    """The coach booked for the first visit is the participation's coach until a unit manager
    assigns one (DOMAIN §4.2; coach_assigned_on stays empty). Called by referrals.services inside
    its transaction, which has checked the referrer's right; the same versioned save, timeline
    entry and audit entry as an assignment, never a raw update."""
    _set_coach(user, actor, participation, coach, version=None, assigned_on=None, what=_("coach bokad till första besöket"))
    return participation


def _set_coach(
    user: User, actor: Actor, p: Participation, coach: User, *, version: int | None, assigned_on: datetime.date | None,
    what: str, text: str | None = None,
) -> None:
    old = p.coach_id
    p.coach = coach
    fields = ["coach"]
    if assigned_on is not None:
        p.coach_assigned_on, p.coach_assigned_by = assigned_on, user
        fields += ["coach_assigned_on", "coach_assigned_by"]
    _save(p, version, fields)
    name = coach.get_full_name() or coach.get_username()
    timeline.append(
        kind=EventKind.COACH_ASSIGNED,
        text=(text or (_("%(coach)s är personlig coach.") if assigned_on else _("%(coach)s är coach till första besöket.")))
        % {"coach": name},
        author=user,
        participation=p,
        data={"coach": coach.pk, "old": old, "new": coach.pk, "provisional": assigned_on is None},
    )
    record(
        actor, Action.CHANGE, _what(p.pk, what), p.person_id, protected=p.person.is_protected,
        details=changed(coach=(old, coach.pk)),
    )


def record_arrival(
    user: User, actor: Actor, participation_id: int, *, version: int | None, arrived_on: datetime.date
) -> Participation:
    """Arrival (ankomst): active; the plan clock (5 working days) and the 18-month clock start."""
    what = _("ankomst")
    p = authorise(user, actor, load(participation_id), rules.capability(rules.Action.ARRIVE), _what(participation_id, what))
    today = timezone.localdate()
    rules.next_status(p.status, rules.Action.ARRIVE)
    _raise(rules.validate_arrival(arrived_on, p.referred_on, today))
    with transaction.atomic():
        _move(p, rules.Action.ARRIVE)
        p.arrived_on = arrived_on
        _save(p, version, ["status", "arrived_on"])
        deadlines.complete(p, Kind.FIRST_APPOINTMENT, arrived_on)
        deadlines.open_deadline(p, Kind.PLAN_DRAWN_UP, arrived_on)
        refresh_limit_deadlines(p, today)
        timeline.append(
            kind="participant_arrived",
            text=_("Deltagaren kom till jobbtorget och är inskriven."),
            author=user,
            participation=p,
            occurred_on=arrived_on,
        )
        _audit(actor, p, what)
    return p


def refresh_limit_deadlines(participation: Participation, today: datetime.date) -> None:
    """Recompute the 18-month limit (and its warning) over all of the person's participations."""
    periods = list(
        Participation.objects.filter(person_id=participation.person_id, arrived_on__isnull=False).values_list(
            "arrived_on", "closed_on"
        )
    )
    pauses = list(
        Interruption.objects.filter(participation__person_id=participation.person_id).values_list("start_date", "end_date")
    )
    limit = rules.participation_limit(periods, pauses, today)
    if limit is None:
        return
    deadlines.open_deadline(participation, Kind.PARTICIPATION_LIMIT_WARNING, due=limit.warning_on)
    deadlines.open_deadline(participation, Kind.PARTICIPATION_LIMIT, due=limit.limit_on)


def record_af_registration(
    user: User,
    actor: Actor,
    participation_id: int,
    *,
    version: int | None,
    registered: bool | None,
    registered_on: datetime.date | None,
) -> Participation:
    """Whether the person is registered at Arbetsförmedlingen, and since when (DOMAIN §4.2)."""
    what = _("inskrivning på Arbetsförmedlingen")
    p = authorise(user, actor, load(participation_id), "enrol", _what(participation_id, what))
    _require_open(p)
    errors: rules.Errors = {}
    if registered is None:
        errors["af_registered"] = [_("Ange om personen är inskriven på Arbetsförmedlingen.")]
    elif registered and registered_on is None:
        errors["af_registered_on"] = [_("Ange datum för inskrivningen.")]
    elif registered and registered_on and registered_on > timezone.localdate():
        errors["af_registered_on"] = [_("Datum för inskrivningen kan inte vara i framtiden.")]
    _raise(errors)
    with transaction.atomic():
        p.af_registered = registered
        p.af_registered_on = registered_on if registered else None
        _save(p, version, ["af_registered", "af_registered_on"])
        text = (
            _("Inskriven på Arbetsförmedlingen sedan %(date)s.") % {"date": registered_on.isoformat()}
            if registered and registered_on
            else _("Inte inskriven på Arbetsförmedlingen.")
        )
        timeline.append(
            kind="af_registration_recorded",
            text=text,
            author=user,
            participation=p,
            data={"registered": registered, "registered_on": registered_on.isoformat() if registered_on else None},
        )
        _audit(actor, p, what)
    return p


def sign_off_information(
    user: User,
    actor: Actor,
    participation_id: int,
    *,
    version: int | None,
    rights: bool,
    duty: bool,
    consequences: bool,
    signed_on: datetime.date,
) -> Participation:
    """The coach confirms the person was told how it works, the duty to take part and the consequences."""
    what = _("information vid inskrivning")
    p = authorise(user, actor, load(participation_id), "enrol", _what(participation_id, what))
    _require_open(p)
    errors: rules.Errors = {}
    if not p.arrived_on:
        errors["non_field_errors"] = [_("Registrera ankomst innan informationen signeras.")]
    for field, ticked, message in (
        ("informed_rights", rights, _("Bekräfta att deltagaren fått information om sina rättigheter.")),
        ("informed_duty", duty, _("Bekräfta att deltagaren fått information om skyldigheten att delta.")),
        (
            "informed_consequences",
            consequences,
            _("Bekräfta att deltagaren fått information om konsekvenserna av att inte delta."),
        ),
    ):
        if not ticked:
            errors[field] = [message]
    if signed_on > timezone.localdate():
        errors["signed_on"] = [_("Datum kan inte vara i framtiden.")]
    elif p.arrived_on and signed_on < p.arrived_on:
        errors["signed_on"] = [
            _("Ange ett datum som är samma dag som eller efter ankomsten (%(date)s).") % {"date": p.arrived_on.isoformat()}
        ]
    _raise(errors)
    with transaction.atomic():
        p.informed_rights = p.informed_duty = p.informed_consequences = True
        p.information_signed_on = signed_on
        p.information_signed_by = user
        _save(
            p,
            version,
            ["informed_rights", "informed_duty", "informed_consequences", "information_signed_on", "information_signed_by"],
        )
        timeline.append(
            kind="information_signed_off",
            occurred_on=signed_on,
            author=user,
            participation=p,
            text=_("Deltagaren har informerats om rättigheter, skyldigheten att delta och konsekvenserna av att inte delta."),
        )
        _audit(actor, p, what)
    return p


def record_job_guarantee_offer(
    user: User, actor: Actor, participation_id: int, *, version: int | None, offered_on: datetime.date, text: str
) -> Participation:
    """Job guarantee: work or education was offered (completes the 5-day deadline)."""
    what = _("jobbgaranti")
    p = authorise(user, actor, load(participation_id), "enrol", _what(participation_id, what))
    _require_open(p)
    errors: rules.Errors = {}
    if not Deadline.objects.filter(participation=p, kind=Kind.JOB_GUARANTEE_OFFER).exists():
        errors["non_field_errors"] = [_("Deltagandet omfattas inte av jobbgarantin.")]
    if not text.strip():
        errors["text"] = [_("Beskriv vilket arbete eller vilken utbildning som erbjöds.")]
    if offered_on > timezone.localdate():
        errors["offered_on"] = [_("Datum kan inte vara i framtiden.")]
    elif offered_on < p.referred_on:
        errors["offered_on"] = [_("Datum kan inte vara före anvisningsdatum.")]
    _raise(errors)
    with transaction.atomic():
        p.job_guarantee_offer_on = offered_on
        _save(p, version, ["job_guarantee_offer_on"])
        deadlines.complete(p, Kind.JOB_GUARANTEE_OFFER, offered_on)
        timeline.append(
            kind="job_guarantee_offer_made",
            occurred_on=offered_on,
            author=user,
            participation=p,
            text=_("Jobbgaranti: erbjudande lämnat – %(text)s") % {"text": text.strip()},
        )
        _audit(actor, p, what)
    return p


# --- interruption and restart --------------------------------------------------------------------


def _tell_district(participation: Participation, kind: str, on: datetime.date, outcome: str = "") -> None:
    """The home district is told (inbox and digest, notifications.tell_district) once the change commits."""
    participation_id = participation.pk
    after_commit(lambda: notifications.tell_district(participation_id, kind, on, outcome))


def interrupt(
    user: User,
    actor: Actor,
    participation_id: int,
    *,
    version: int | None,
    start: datetime.date,
    reason: str,
    reason_text: str = "",
) -> Interruption:
    """Avbrott: every clock stops on `start` (deadlines.pause) until the restart."""
    what = _("avbrott")
    p = authorise(user, actor, load(participation_id), rules.capability(rules.Action.INTERRUPT), _what(participation_id, what))
    rules.next_status(p.status, rules.Action.INTERRUPT)  # refused before the dates are checked
    last_end = p.interruptions.filter(end_date__isnull=False).order_by("-end_date").values_list("end_date", flat=True).first()
    _raise(
        rules.validate_interruption(
            start=start,
            reason=reason,
            reason_text=reason_text,
            arrived_on=p.arrived_on,
            last_end=last_end,
            today=timezone.localdate(),
        )
    )
    with transaction.atomic():
        _move(p, rules.Action.INTERRUPT)
        _save(p, version, ["status"])
        interruption = Interruption.objects.create(
            participation=p, reason=reason, reason_text=reason_text.strip(), start_date=start, started_by=user
        )
        deadlines.pause(p, start)
        label = InterruptionReason(reason).label
        timeline.append(
            kind="participation_interrupted",
            occurred_on=start,
            author=user,
            participation=p,
            text=_("Avbrott: %(reason)s.") % {"reason": f"{label} – {reason_text.strip()}" if reason_text.strip() else label},
            data={"interruption": interruption.pk, "reason": reason},
        )
        _audit(actor, p, what)
        _tell_district(p, DistrictNews.Kind.INTERRUPTED, start)
    return interruption


def restart(user: User, actor: Actor, participation_id: int, *, version: int | None, on: datetime.date) -> Interruption:
    """Nystart: the clocks resume where they stopped, the 18-month dates are recomputed."""
    what = _("nystart")
    p = authorise(user, actor, load(participation_id), rules.capability(rules.Action.RESTART), _what(participation_id, what))
    rules.next_status(p.status, rules.Action.RESTART)
    interruption = p.interruptions.filter(end_date__isnull=True).first()
    if interruption is None:
        raise DomainError({"non_field_errors": [_("Deltagandet har inget pågående avbrott.")]})
    today = timezone.localdate()
    _raise(rules.validate_restart(start=interruption.start_date, end=on, today=today))
    with transaction.atomic():
        _move(p, rules.Action.RESTART)
        _save(p, version, ["status"])
        interruption.end_date = on
        interruption.ended_by = user
        interruption.save(update_fields=["end_date", "ended_by", "updated_at"])
        deadlines.resume(p, on)
        refresh_limit_deadlines(p, today)
        timeline.append(
            kind="participation_restarted",
            occurred_on=on,
            author=user,
            participation=p,
            text=_("Nystart efter avbrott sedan %(date)s.") % {"date": interruption.start_date.isoformat()},
            data={"interruption": interruption.pk},
        )
        _audit(actor, p, what)
        _tell_district(p, DistrictNews.Kind.RESTARTED, on)
    return interruption


# --- closure -------------------------------------------------------------------------------------


# Ends the participation's open activities on the closure day, returns how many: activities sit
# above participations, so the caller hands in activities.services.end_activities_at_closure.
EndActivities = Callable[[User | None, Participation, datetime.date], int]


def close(
    user: User,
    actor: Actor,
    participation_id: int,
    *,
    version: int | None,
    closed_on: datetime.date,
    outcome: rules.Outcome,
    end_activities: EndActivities,
) -> Participation:
    """Avslut with a mandatory reason and outcome; the follow-ups at 2 and 8 months start.

    Every open activity ends in the same transaction (DOMAIN §4.5: every activity is limited in
    time), by an explicit call of `end_activities`, not a signal: a reader sees what closure does."""
    what = _("avslut")
    p = authorise(user, actor, load(participation_id), rules.capability(rules.Action.CLOSE), _what(participation_id, what))
    rules.next_status(p.status, rules.Action.CLOSE)
    outcome = outcome.normalised()
    errors = rules.validate_closure(outcome, closed_on, p.referred_on, p.arrived_on, timezone.localdate())
    running = p.interruptions.filter(end_date__isnull=True).first()
    if running is not None and closed_on < running.start_date and "closed_on" not in errors:
        errors["closed_on"] = [
            _("Ange ett avslutsdatum som är samma dag som eller efter avbrottets start (%(date)s).")
            % {"date": running.start_date.isoformat()}
        ]
    _raise(errors)
    with transaction.atomic():
        if running is not None:
            # Closing during an interruption ends it; the clocks are stopped for good below.
            running.end_date = closed_on
            running.ended_by = user
            running.save(update_fields=["end_date", "ended_by", "updated_at"])
            deadlines.resume(p, running.end_date)
        _move(p, rules.Action.CLOSE)
        p.closed_on = closed_on
        p.closed_by = user
        p.closure_reason = outcome.reason
        p.employment_form = outcome.employment_form
        p.employment_extent = outcome.employment_extent
        p.wage_subsidy = outcome.wage_subsidy
        p.employment_lasts_a_month = outcome.employment_lasts_a_month
        p.study_level = outcome.study_level
        p.transfer_to = outcome.transfer_to
        p.closure_text = outcome.text
        _save(
            p,
            version,
            [
                "status",
                "closed_on",
                "closed_by",
                "closure_reason",
                "employment_form",
                "employment_extent",
                "wage_subsidy",
                "employment_lasts_a_month",
                "study_level",
                "transfer_to",
                "closure_text",
            ],
        )
        end_activities(user, p, closed_on)
        deadlines.cancel_at_closure(p, closed_on)
        for point, kind in FOLLOWUP_KINDS.items():
            deadline = deadlines.open_deadline(p, kind, closed_on)
            PostClosureFollowUp.objects.create(participation=p, point=point, due_on=deadline.due_date)
        timeline.append(
            kind=EventKind.PARTICIPATION_CLOSED,
            occurred_on=closed_on,
            author=user,
            participation=p,
            text=_("Avslutad: %(outcome)s.") % {"outcome": describe_outcome(outcome)},
            data={"outcome": asdict(outcome), "counts_as_work_or_studies": rules.counts_as_work_or_studies(outcome)},
        )
        _audit(actor, p, what)
        _tell_district(p, DistrictNews.Kind.CLOSED, closed_on, outcome.reason)
    return p


def end_withdrawn_referral(user: User, participation: Participation, *, on: datetime.date, reason: str) -> Participation:
    """The participation of a referral its district withdrew (referrals.services.withdraw_referral,
    which authorises, audits and writes the timeline): closed as "Anvisningen återkallad" before the
    person arrived; every clock stops and no follow-up starts (the person never took part).
    Call inside the caller's transaction."""
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    _move(locked, rules.Action.WITHDRAW_REFERRAL)
    locked.closed_on, locked.closed_by = on, user
    locked.closure_reason, locked.closure_text = ClosureReason.WITHDRAWN, reason
    _save(locked, participation.version, ["status", "closed_on", "closed_by", "closure_reason", "closure_text"])
    deadlines.cancel_at_closure(locked, on)
    return locked


def describe_outcome(outcome: rules.Outcome) -> str:
    """The outcome in one Swedish line for the timeline."""
    parts = [str(ClosureReason(outcome.reason).label)]
    for value, choices in (
        (outcome.employment_form, EmploymentForm),
        (outcome.employment_extent, EmploymentExtent),
        (outcome.wage_subsidy, WageSubsidy),
        (outcome.study_level, StudyLevel),
        (outcome.transfer_to, TransferTo),
    ):
        if value:
            parts.append(str(choices(value).label))
    if outcome.text:
        parts.append(outcome.text)
    return ", ".join(parts)


def record_followup(
    user: User,
    actor: Actor,
    followup_id: int,
    *,
    version: int | None,
    reduction_kr: int | None,
    sustained: bool | None,
    note: str = "",
) -> PostClosureFollowUp:
    """Post-closure follow-up: the social-assistance reduction and whether the outcome held."""
    what = _("uppföljning efter avslut")
    followup = PostClosureFollowUp.objects.select_related("participation").filter(pk=followup_id).first()
    p = authorise(
        user,
        actor,
        load(followup.participation_id) if followup else None,
        "follow_up",
        _what(followup.participation_id if followup else None, what),
    )
    if followup is None:  # unreachable: authorise refused
        raise AccessDenied()
    _raise(
        rules.validate_followup(due_on=followup.due_on, today=timezone.localdate(), reduction=reduction_kr, sustained=sustained)
    )
    today = timezone.localdate()
    with transaction.atomic():
        first_time = followup.recorded_on is None
        followup.assistance_reduction_kr = reduction_kr
        followup.outcome_sustained = sustained
        followup.note = note.strip()
        followup.recorded_on = today
        followup.recorded_by = user
        followup.updated_at = timezone.now()
        save_versioned(
            followup,
            version,
            ["assistance_reduction_kr", "outcome_sustained", "note", "recorded_on", "recorded_by", "updated_at"],
        )
        deadlines.complete(p, FOLLOWUP_KINDS[FollowUpPoint(followup.point)], today)
        timeline.append(
            kind="followup_recorded" if first_time else "followup_changed",
            author=user,
            participation=p,
            text=_("%(point)s: resultatet %(held)s; minskat försörjningsstöd %(amount)s.")
            % {
                "point": FollowUpPoint(followup.point).label,
                "held": _("består") if sustained else _("består inte"),
                "amount": (f"{reduction_kr:,} kr".replace(",", "\u00a0")) if reduction_kr is not None else _("ej angivet"),
            },
            data={"followup": followup.pk, "point": followup.point},
        )
        _audit(actor, p, what)
    return followup
