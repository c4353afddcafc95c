"""Pure rules of the participation (DOMAIN §4, §7): the state machine, who may do
what, validation of interruptions and closures, the 18-month count and the
Kolada outcome. No ORM here: services pass facts in and get errors or answers
back, so every rule is tested on its own.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import PERSON_ROLES, every
from jobbtorg.core import state_machine
from jobbtorg.core.capabilities import HOME_DISTRICT, OWN, UNIT, CapabilityTable, Scope
from jobbtorg.core.state_machine import Step
from jobbtorg.deadlines import rules as deadline_rules
from jobbtorg.participations.models import (
    ClosureReason,
    InterruptionReason,
    Status,
    StudyLevel,
    VisitStatus,
    WageSubsidy,
)

# Who may do what to a participation, beyond seeing the person (access.policy; core.capabilities,
# ADR 0013). Unit roles act only on participations at their own Jobbtorg unit.
# Casework on the participant's own file (assessment, plan, activities): the participation's
# coach, or a coach at its unit (a colleague covering). One row, used by plans, assessments
# and activities.
CASEWORK: Mapping[str, Scope] = {Role.COACH: (OWN, UNIT)}

CAPABILITIES: CapabilityTable = {
    "read": every(PERSON_ROLES),
    "assign_coach": {Role.UNIT_MANAGER: UNIT},
    # A coach takes an unassigned participant of her own unit herself (issue 10 item 2).
    "take": {Role.COACH: UNIT},
    "book_appointment": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT, Role.SOCIAL_WORKER: HOME_DISTRICT},
    "enrol": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "interrupt": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "close": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "follow_up": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "return_referral": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    # A visit after booking (reschedule, cancel, held, no-show) and any visit after the first one:
    # the Jobbtorg's own calendar. The district books only the first visit, at referral (DOMAIN §4.1).
    "manage_visits": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    # The coach's calendar of the week (their own visits).
    "visit_calendar": {Role.COACH: OWN},
    # The referring (home) district takes its referral back before the person has arrived.
    "withdraw_referral": {Role.SOCIAL_WORKER: HOME_DISTRICT},
}


def facts(participation: Any) -> dict[str, Any]:
    """The facts capabilities' scopes read from a participation (core.capabilities.may)."""
    return {
        "unit_id": participation.unit_id,
        "home_district_id": participation.home_district_id,
        "coach_id": participation.coach_id,
    }


class Action(StrEnum):
    ARRIVE = "arrive"
    INTERRUPT = "interrupt"
    RESTART = "restart"
    CLOSE = "close"
    RETURN_REFERRAL = "return_referral"  # the referral goes back; the participation stays referred
    WITHDRAW_REFERRAL = "withdraw_referral"  # the district takes it back: closed as withdrawn, never enrolled


# The state machine as data (ADR 0014): (status, action) → next status and the capability it needs.
TRANSITIONS: dict[tuple[str, str], Step] = {
    (Status.REFERRED, Action.ARRIVE): Step(Status.ACTIVE, "enrol"),
    (Status.REFERRED, Action.RETURN_REFERRAL): Step(Status.REFERRED, "return_referral"),
    (Status.REFERRED, Action.CLOSE): Step(Status.CLOSED, "close"),
    (Status.REFERRED, Action.WITHDRAW_REFERRAL): Step(Status.CLOSED, "withdraw_referral"),
    (Status.ACTIVE, Action.INTERRUPT): Step(Status.INTERRUPTED, "interrupt"),
    (Status.ACTIVE, Action.CLOSE): Step(Status.CLOSED, "close"),
    (Status.INTERRUPTED, Action.RESTART): Step(Status.ACTIVE, "interrupt"),
    (Status.INTERRUPTED, Action.CLOSE): Step(Status.CLOSED, "close"),
}


def step_error(status: str, action: str) -> str | None:
    """None when the table allows `action` from `status`, else a Swedish message saying why not."""
    if (status, action) in TRANSITIONS:
        return None
    if status == Status.CLOSED:
        return _("Deltagandet är avslutat och kan inte ändras.")
    if action == Action.INTERRUPT:
        return _("Deltagandet kan bara avbrytas när deltagaren är inskriven.")
    if action == Action.RESTART:
        return _("Deltagandet har inget pågående avbrott.")
    if action == Action.ARRIVE:
        return _("Deltagaren är redan inskriven.")
    if action == Action.WITHDRAW_REFERRAL:
        return _("Anvisningen kan bara återkallas innan personen har skrivits in på jobbtorget.")
    return _("Bara en anvisning där personen ännu inte kommit kan återsändas.")


def next_status(status: str, action: str) -> str:
    """The status after `action`, or a DomainError saying why the step is not possible now."""
    return state_machine.next_status(TRANSITIONS, status, action, step_error(status, action) or "")


def capability(action: str) -> str:
    return state_machine.capability(TRANSITIONS, action)


def allowed_actions(status: str, permitted: Callable[[str], bool]) -> list[str]:
    """The steps from `status` whose capability `permitted` grants (the caller asks core.capabilities
    with this participation's facts): offered by the page, the only ones the services accept."""
    return state_machine.allowed(TRANSITIONS, status, permitted)


class VisitAction(StrEnum):
    RESCHEDULE = "reschedule"
    HOLD = "hold"
    NO_SHOW = "no_show"
    CANCEL = "cancel"


# A visit's state machine (ADR 0014): booked → held | no_show | cancelled; a reschedule keeps it booked.
VISIT_TRANSITIONS: dict[tuple[str, str], Step] = {
    (VisitStatus.BOOKED, VisitAction.RESCHEDULE): Step(VisitStatus.BOOKED, "manage_visits"),
    (VisitStatus.BOOKED, VisitAction.HOLD): Step(VisitStatus.HELD, "manage_visits"),
    (VisitStatus.BOOKED, VisitAction.NO_SHOW): Step(VisitStatus.NO_SHOW, "manage_visits"),
    (VisitStatus.BOOKED, VisitAction.CANCEL): Step(VisitStatus.CANCELLED, "manage_visits"),
}
# Held or missed can only be said of a visit whose time has come.
AFTER_START = {VisitAction.HOLD, VisitAction.NO_SHOW}


def visit_step_error(status: str, action: str) -> str:
    if status == VisitStatus.CANCELLED:
        return _("Besöket är inställt och kan inte ändras.")
    return _("Besöket är redan registrerat som %(status)s och kan inte ändras.") % {
        "status": str(VisitStatus(status).label).lower()
    }


def next_visit_status(status: str, action: str) -> str:
    return state_machine.next_status(VISIT_TRANSITIONS, status, action, visit_step_error(status, action))


def allowed_visit_actions(status: str, permitted: Callable[[str], bool]) -> list[str]:
    return state_machine.allowed(VISIT_TRANSITIONS, status, permitted)


def week_monday(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week written as 2026-W48 (the calendar's ?vecka=); this week otherwise."""
    try:
        year, week = (value or "").upper().split("-W")
        monday = datetime.date.fromisocalendar(int(year), int(week), 1)
        if 2000 <= monday.year <= 2100:  # beyond, only a typing error (and time-zone arithmetic overflows)
            return monday
    except ValueError:
        pass
    return today - datetime.timedelta(days=today.weekday())


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


Errors = dict[str, list[str]]


def validate_visit_step(
    action: str, *, starts_at: datetime.datetime, now: datetime.datetime, reason: str = ""
) -> "Errors":
    """A cancellation has a reason; held and no-show are registered once the visit's time has come."""
    errors: Errors = {}
    if action == VisitAction.CANCEL and not reason.strip():
        _add(errors, "reason", _("Skriv varför besöket ställs in."))
    if action in AFTER_START and starts_at > now:
        _add(errors, "non_field_errors", _("Besöket har inte börjat än. Registrera det när besökstiden har kommit."))
    return errors


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def validate_arrival(arrived_on: datetime.date, referred_on: datetime.date, today: datetime.date) -> Errors:
    errors: Errors = {}
    if arrived_on > today:
        _add(errors, "arrived_on", _("Ankomstdatum kan inte vara i framtiden."))
    if arrived_on < referred_on:
        _add(
            errors,
            "arrived_on",
            _("Ange ett ankomstdatum som är samma dag som eller efter anvisningsdatum (%(date)s).")
            % {"date": referred_on.isoformat()},
        )
    return errors


def validate_interruption(
    *,
    start: datetime.date,
    reason: str,
    reason_text: str,
    arrived_on: datetime.date | None,
    last_end: datetime.date | None,
    today: datetime.date,
) -> Errors:
    errors: Errors = {}
    if reason not in InterruptionReason.values:
        _add(errors, "reason", _("Välj en orsak till avbrottet."))
    if reason == InterruptionReason.OTHER and not reason_text.strip():
        _add(errors, "reason_text", _("Beskriv orsaken när du väljer Annat."))
    if start > today:
        _add(errors, "start_date", _("Avbrottet kan inte börja i framtiden."))
    if arrived_on and start < arrived_on:
        _add(errors, "start_date", _("Avbrottet kan inte börja före ankomstdatum (%(date)s).") % {"date": arrived_on.isoformat()})
    if last_end and start < last_end:
        _add(
            errors, "start_date", _("Avbrottet kan inte börja före förra nystarten (%(date)s).") % {"date": last_end.isoformat()}
        )
    return errors


def validate_restart(*, start: datetime.date, end: datetime.date, today: datetime.date) -> Errors:
    errors: Errors = {}
    if end < start:
        _add(
            errors,
            "end_date",
            _("Ange ett datum för nystart som är samma dag som eller efter avbrottets start (%(date)s).")
            % {"date": start.isoformat()},
        )
    if end > today:
        _add(errors, "end_date", _("Nystart kan inte registreras i förväg."))
    return errors


@dataclass(frozen=True)
class Outcome:
    """The closure facts (DOMAIN §7); empty strings are unanswered questions."""

    reason: str = ""
    employment_form: str = ""
    employment_extent: str = ""
    wage_subsidy: str = ""
    employment_lasts_a_month: bool | None = None
    study_level: str = ""
    transfer_to: str = ""
    text: str = ""

    def normalised(self) -> "Outcome":
        """Keep only the facts that belong to the reason, so no stale answer is stored."""
        r = self.reason
        return Outcome(
            reason=r,
            employment_form=self.employment_form if r == ClosureReason.WORK else "",
            employment_extent=self.employment_extent if r == ClosureReason.WORK else "",
            wage_subsidy=self.wage_subsidy if r == ClosureReason.WORK else "",
            employment_lasts_a_month=self.employment_lasts_a_month if r == ClosureReason.WORK else None,
            study_level=self.study_level if r == ClosureReason.STUDIES else "",
            transfer_to=self.transfer_to if r == ClosureReason.TRANSFER else "",
            text=self.text.strip(),
        )


def validate_closure(
    outcome: Outcome, closed_on: datetime.date, referred_on: datetime.date, arrived_on: datetime.date | None, today: datetime.date
) -> Errors:
    errors: Errors = {}
    if outcome.reason not in ClosureReason.values or outcome.reason == ClosureReason.WITHDRAWN:
        # A withdrawn referral is the district's step (Action.WITHDRAW_REFERRAL), not a closure reason to pick.
        _add(errors, "reason", _("Välj en avslutsorsak. Ett deltagande kan inte avslutas utan orsak."))
        return errors
    if outcome.reason == ClosureReason.WORK:
        if not outcome.employment_form:
            _add(errors, "employment_form", _("Välj anställningsform."))
        if not outcome.employment_extent:
            _add(errors, "employment_extent", _("Välj heltid eller deltid."))
        if not outcome.wage_subsidy:
            _add(errors, "wage_subsidy", _("Välj om anställningen har anställningsstöd, och i så fall vilket."))
        if outcome.employment_lasts_a_month is None:
            _add(errors, "employment_lasts_a_month", _("Ange om anställningen varar minst en sammanhängande månad."))
    if outcome.reason == ClosureReason.STUDIES and not outcome.study_level:
        _add(errors, "study_level", _("Välj vilken utbildning deltagaren börjar."))
    if outcome.reason == ClosureReason.TRANSFER and not outcome.transfer_to:
        _add(errors, "transfer_to", _("Välj vart deltagaren går över."))
    if outcome.reason == ClosureReason.OTHER and not outcome.text.strip():
        _add(errors, "text", _("Beskriv orsaken när du väljer Annat."))
    if closed_on > today:
        _add(errors, "closed_on", _("Avslutsdatum kan inte vara i framtiden."))
    earliest = arrived_on or referred_on
    if closed_on < earliest:
        _add(
            errors,
            "closed_on",
            _("Ange ett avslutsdatum som är samma dag som eller efter %(date)s.") % {"date": earliest.isoformat()},
        )
    return errors


# Kolada "Resultat vid avslut ... börjat arbeta eller studera": municipal labour-market
# employment does not count. OSA at the city is read as such an employment (the city is the
# employer and the post is a labour-market measure); recorded in docs/adr as an assumption.
MUNICIPAL_MEASURE_EMPLOYMENT = {WageSubsidy.STOCKHOLMSJOBB, WageSubsidy.OSA}
# Education that gives the right to student finance (studiemedelsberättigad). SFI alone does not.
STUDY_FINANCE_LEVELS = {StudyLevel.KOMVUX, StudyLevel.FOLKHOGSKOLA, StudyLevel.VOCATIONAL, StudyLevel.UNIVERSITY}


def counts_as_work_or_studies(outcome: Outcome) -> bool:
    """Numerator of the Kolada key figure: regular (possibly subsidised) work of at least
    one continuous month, or studies that qualify for student finance."""
    if outcome.reason == ClosureReason.WORK:
        return bool(outcome.employment_lasts_a_month) and outcome.wage_subsidy not in MUNICIPAL_MEASURE_EMPLOYMENT
    if outcome.reason == ClosureReason.STUDIES:
        return outcome.study_level in STUDY_FINANCE_LEVELS
    return False


Period = tuple[datetime.date, datetime.date | None]


@dataclass(frozen=True)
class LimitDates:
    used_days: int
    warning_on: datetime.date
    limit_on: datetime.date


def participation_limit(
    periods: Iterable[tuple[datetime.date | None, datetime.date | None]], pauses: Iterable[Period], today: datetime.date
) -> LimitDates | None:
    """The 18-month limit over all of a person's participations, counting only active time.

    `periods`: (arrival, closure) of every participation the person arrived at (a period without
    an arrival is left out); `pauses`: every interruption. None when the person never arrived.
    """
    arrived: list[Period] = [(start, end) for start, end in periods if start is not None]
    if not arrived:
        return None
    pause_list = list(pauses)
    used = deadline_rules.active_days(arrived, pause_list, today)
    # The dates follow from the history's own dates, not from the day it was registered (issue 8 item 12).
    return LimitDates(
        used_days=used,
        warning_on=deadline_rules.limit_date(arrived, pause_list, deadline_rules.LIMIT_MONTHS - 1, today),
        limit_on=deadline_rules.limit_date(arrived, pause_list, deadline_rules.LIMIT_MONTHS, today),
    )


def validate_followup(*, due_on: datetime.date, today: datetime.date, reduction: int | None, sustained: bool | None) -> Errors:
    errors: Errors = {}
    if today < due_on:
        _add(errors, "non_field_errors", _("Uppföljningen kan göras tidigast %(date)s.") % {"date": due_on.isoformat()})
    if reduction is not None and reduction < 0:
        _add(errors, "assistance_reduction_kr", _("Ange minskningen som ett belopp i kronor, 0 eller mer."))
    if sustained is None:
        _add(errors, "outcome_sustained", _("Ange om resultatet består."))
    return errors
