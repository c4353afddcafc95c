"""Rules for activities and attendance (DOMAIN §4.5, §5, §6): pure functions, no ORM.

Each check returns field errors as {field: [Swedish message]} (empty when fine),
so services can collect them and refuse the whole change at once.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, PERSON_ROLES, every
from jobbtorg.core import state_machine
from jobbtorg.core.capabilities import DISTRICT, OWN, PROVIDER, CapabilityTable
from jobbtorg.core.workdays import add_months
from jobbtorg.participations.rules import CASEWORK

Errors = dict[str, list[str]]

PRESENT = "present"
ABSENT = "absent"
NON_COOPERATION = "non_cooperation"
STATUSES = (PRESENT, ABSENT, NON_COOPERATION)
REASONS = ("sick", "child_sick", "appointment", "unexcused", "other")
UNEXCUSED = "unexcused"
OTHER = "other"

# A session plan covers at most this many days in one go (about half a year of weekdays).
MAX_SESSIONS_PER_PLAN = 130


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_dates(start: datetime.date | None, end: datetime.date | None) -> Errors:
    """Every activity has a start and an end, and ends on or after its start (DOMAIN §4.5)."""
    errors: Errors = {}
    if start is None:
        _add(errors, "start_date", _("Ange ett startdatum."))
    if end is None:
        _add(errors, "end_date", _("Ange ett slutdatum."))
    if start and end and end < start:
        _add(errors, "end_date", _("Ange ett slutdatum som är efter startdatum"))
    return errors


# Every activity is limited in time (DOMAIN §4.5) and no participation runs longer than 18 months
# (DOMAIN §4.4): an activity ends at the latest 18 months after it starts.
MAX_ACTIVITY_MONTHS = 18


def latest_end(start: datetime.date) -> datetime.date:
    return add_months(start, MAX_ACTIVITY_MONTHS)


def check_within_participation(
    start: datetime.date | None, end: datetime.date | None, referred_on: datetime.date, closed_on: datetime.date | None
) -> Errors:
    """An activity lies within its participation (issue 8 item 11): it starts on or after the
    referral, ends by the closure, and lasts at most MAX_ACTIVITY_MONTHS."""
    errors: Errors = {}
    if start is not None and start < referred_on:
        message = _("Startdatum kan inte vara före anvisningsdatum %(date)s.")
        _add(errors, "start_date", message % {"date": referred_on.isoformat()})
    if closed_on is not None:
        if start is not None and start > closed_on:
            message = _("Startdatum kan inte vara efter avslutsdatum %(date)s.")
            _add(errors, "start_date", message % {"date": closed_on.isoformat()})
        if end is not None and end > closed_on:
            _add(errors, "end_date", _("Slutdatum kan inte vara efter avslutsdatum %(date)s.") % {"date": closed_on.isoformat()})
    if start is not None and end is not None and end > latest_end(start):
        _add(
            errors,
            "end_date",
            _("En insats är begränsad i tid: ange ett slutdatum senast %(date)s (%(months)s månader efter start).")
            % {"date": latest_end(start).isoformat(), "months": MAX_ACTIVITY_MONTHS},
        )
    return errors


def check_provider(provider_id: int | None, offered_by: Iterable[int]) -> Errors:
    """When the catalogue item lists providers, the activity's provider must be one of them."""
    allowed = set(offered_by)
    if provider_id is not None and allowed and provider_id not in allowed:
        return {"provider": [_("Välj en anordnare som erbjuder den här insatsen.")]}
    return {}


def peak_occupancy(periods: Iterable[tuple[datetime.date, datetime.date]], start: datetime.date, end: datetime.date) -> int:
    """The most activities running on any one day of start..end (inclusive periods)."""
    events: list[tuple[datetime.date, int]] = []
    for p_start, p_end in periods:
        lo, hi = max(p_start, start), min(p_end, end)
        if lo <= hi:
            events.append((lo, 1))
            events.append((hi + datetime.timedelta(days=1), -1))
    events.sort()  # on the same day, -1 (an activity ended the day before) sorts first
    peak = running = 0
    for _day, delta in events:
        running += delta
        peak = max(peak, running)
    return peak


def check_capacity(
    capacity: int | None, periods: Iterable[tuple[datetime.date, datetime.date]], start: datetime.date, end: datetime.date
) -> Errors:
    """The catalogue item's places: refused when some day of the period is already full."""
    if capacity is None:
        return {}
    if peak_occupancy(periods, start, end) >= capacity:
        return {
            "start_date": [
                _("Insatsen är fullbokad under perioden (%(capacity)s platser). Välj andra datum eller en annan insats.")
                % {"capacity": capacity}
            ]
        }
    return {}


def check_attendance(status: str | None, reason: str, note: str) -> Errors:
    """Present, absent with a reason, or non-cooperation; 'other' needs a comment."""
    errors: Errors = {}
    if status not in STATUSES:
        _add(errors, "status", _("Välj närvarande, frånvarande eller bristande medverkan."))
        return errors
    if status == ABSENT:
        if reason not in REASONS:
            _add(errors, "absence_reason", _("Ange orsak till frånvaron."))
        elif reason == OTHER and not note.strip():
            _add(errors, "note", _("Beskriv orsaken när du väljer Annat skäl."))
    elif reason:
        _add(errors, "absence_reason", _("Frånvaroorsak anges bara vid frånvaro."))
    if status == NON_COOPERATION and not note.strip():
        _add(errors, "note", _("Beskriv vad som hände vid bristande medverkan."))
    return errors


def deviation_kind(status: str | None, reason: str) -> str | None:
    """Unexcused absence and non-cooperation are reported to the home district (DOMAIN §6)."""
    if status == ABSENT and reason == UNEXCUSED:
        return "unexcused_absence"
    if status == NON_COOPERATION:
        return "non_cooperation"
    return None


def check_day_in_activity(day: datetime.date, start: datetime.date, end: datetime.date) -> Errors:
    if not start <= day <= end:
        return {
            "date": [
                _("Närvaro kan bara registreras för dagar inom insatsens period (%(start)s – %(end)s).")
                % {"start": start.isoformat(), "end": end.isoformat()}
            ]
        }
    return {}


def check_not_future(day: datetime.date, today: datetime.date) -> Errors:
    if day > today:
        return {"date": [_("Närvaro kan inte registreras i förväg. Registrera den på dagen eller efteråt.")]}
    return {}


def session_dates(
    first: datetime.date, last: datetime.date | None, weekdays: Iterable[int], skip: Iterable[datetime.date] = ()
) -> list[datetime.date]:
    """The days of a session plan: `first`, or every chosen weekday (0 = Monday) first..last."""
    if last is None or last == first:
        return [first]
    chosen = set(weekdays)
    skipped = set(skip)
    days = []
    day = first
    while day <= last:
        if day.weekday() in chosen and day not in skipped:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def check_session_plan(first: datetime.date | None, last: datetime.date | None, days: list[datetime.date]) -> Errors:
    errors: Errors = {}
    if first is None:
        _add(errors, "date", _("Ange ett datum."))
        return errors
    if last is not None and last < first:
        _add(errors, "last_date", _("Ange ett slutdatum som är efter startdatum"))
    elif not days:
        _add(errors, "weekdays", _("Välj minst en veckodag inom perioden."))
    elif len(days) > MAX_SESSIONS_PER_PLAN:
        _add(errors, "last_date", _("Planera högst %(max)s tillfällen åt gången.") % {"max": MAX_SESSIONS_PER_PLAN})
    return errors


def check_times(start: datetime.time | None, end: datetime.time | None) -> Errors:
    if start and end and end <= start:
        return {"end_time": [_("Ange en sluttid som är efter starttiden.")]}
    return {}


@dataclass(frozen=True)
class Rate:
    """Attendance for a participant or an activity. Missing sessions are not absences."""

    present: int
    absent: int
    non_cooperation: int
    missing: int

    @property
    def registered(self) -> int:
        return self.present + self.absent + self.non_cooperation

    @property
    def percent(self) -> int | None:
        """Present / registered sessions, rounded; None when nothing is registered."""
        if not self.registered:
            return None
        return round(100 * self.present / self.registered)


def check_followup(
    decision: str | None,
    result: str,
    day: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
    new_end: datetime.date | None,
    today: datetime.date | None = None,
) -> Errors:
    """A follow-up has a result and a decision; 'continue' needs a later end date, at most
    MAX_ACTIVITY_MONTHS after the start. The follow-up is done, so not dated after `today`."""
    errors: Errors = {}
    if not result.strip():
        _add(errors, "result", _("Beskriv resultatet av insatsen."))
    if decision not in ("continue", "replace", "end"):
        _add(errors, "decision", _("Välj om insatsen ska fortsätta, ersättas eller avslutas."))
    if day is None:
        _add(errors, "followed_up_on", _("Ange datum för uppföljningen."))
    elif day < start:
        _add(errors, "followed_up_on", _("Uppföljningen kan inte vara före insatsens start."))
    elif today is not None and day > today:
        _add(errors, "followed_up_on", _("Uppföljningen kan inte dateras i framtiden. Ange dagens datum eller tidigare."))
    if decision == "continue":
        if new_end is None:
            _add(errors, "new_end_date", _("Ange ett nytt slutdatum för att fortsätta insatsen."))
        elif new_end <= end:
            _add(
                errors,
                "new_end_date",
                _("Ange ett slutdatum som är efter nuvarande slutdatum (%(end)s).") % {"end": end.isoformat()},
            )
        elif new_end > latest_end(start):
            _add(
                errors,
                "new_end_date",
                _("En insats är begränsad i tid: ange ett slutdatum senast %(date)s (%(months)s månader efter start).")
                % {"date": latest_end(start).isoformat(), "months": MAX_ACTIVITY_MONTHS},
            )
    return errors


# Who may do what to activities (core.capabilities, ADR 0013); access decides the relation.
# Attendance: the participant's own coach (or the session's host, activities.services) for the
# unit's own activities, provider staff for their provider's. Deviations are the district's:
# only a social worker of the deviation's district reads and acknowledges them.
CAPABILITIES: CapabilityTable = {
    "read": every(PERSON_ROLES),
    "catalogue": every(EVERY_ROLE),  # the offer catalogue (reference data)
    "manage": CASEWORK,
    "register_attendance": {Role.COACH: OWN, Role.PROVIDER_STAFF: PROVIDER},
    "acknowledge_deviation": {Role.SOCIAL_WORKER: DISTRICT},
    # The deviations on a participant's attendance page: everyone who reads it but the provider.
    "read_deviations": every(set(PERSON_ROLES) - {Role.PROVIDER_STAFF}),
    # Taken by the participation's closure (participations "close"), never offered on its own.
    "end_at_closure": {},
}


# --- the activity's state machine (ADR 0014) ---------------------------------------------------

OPEN, ENDED, REPLACED = "open", "ended", "replaced"  # models.ActivityStatus


class Step(StrEnum):
    EDIT = "edit"
    CONTINUE = "continue"  # follow-up decisions (models.FollowUpDecision)
    REPLACE = "replace"
    END = "end"
    END_AT_CLOSURE = "end_at_closure"  # the participation's closure ends its open activities


FOLLOW_UP_STEPS = (Step.CONTINUE, Step.REPLACE, Step.END)

# (status, step) → next status and capability. An ended or replaced activity is history.
TRANSITIONS: dict[tuple[str, str], state_machine.Step] = {
    (OPEN, Step.EDIT): state_machine.Step(OPEN, "manage"),
    (OPEN, Step.CONTINUE): state_machine.Step(OPEN, "manage"),
    (OPEN, Step.REPLACE): state_machine.Step(REPLACED, "manage"),
    (OPEN, Step.END): state_machine.Step(ENDED, "manage"),
    (OPEN, Step.END_AT_CLOSURE): state_machine.Step(ENDED, "end_at_closure"),
}


def allowed_steps(status: str, permitted: Callable[[str], bool]) -> list[str]:
    """The steps from `status` whose capability `permitted` grants (the caller asks
    core.capabilities with the participation's facts)."""
    return state_machine.allowed(TRANSITIONS, status, permitted)


def next_status(status: str, step: str) -> str:
    """The status after `step`; a DomainError in Swedish when the table has no such step."""
    refused = _("Insatsen är avslutad och kan inte ändras.") if step == Step.EDIT else _("Insatsen är redan avslutad.")
    return state_machine.next_status(TRANSITIONS, status, step, refused)


def require_follow_up_step(status: str) -> None:
    """Refuse a follow-up, before its answers are checked, when no follow-up decision leaves `status`."""
    if not any((status, step) in TRANSITIONS for step in FOLLOW_UP_STEPS):
        next_status(status, Step.END)  # raises the Swedish refusal
