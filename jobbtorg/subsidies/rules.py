"""Pure rules of the subsidy cases (DOMAIN §9; seed 000 sections 1–2). No ORM here.

Services pass facts in and get errors, warnings or answers back, so each rule is tested
on its own. The timed steps and their limits are data in `subsidies.steps`; eligibility
(qualification rules, facts, evaluation) is the `eligibility` app (ADR 0015).
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import PERSON_ROLES, every
from jobbtorg.core.capabilities import ALL, UNIT, CapabilityTable
from jobbtorg.core.errors import DomainError
from jobbtorg.core.workdays import add_months
from jobbtorg.eligibility.rules import DATE_MAX, DATE_MIN
from jobbtorg.subsidies.models import CaseStatus, StepStatus, SubsidyType
from jobbtorg.subsidies.steps import STEP_RULES, StepKind, step_due

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


# --- the case's state machine, as data (plans.rules shape) ---------------------------------------


class CaseStep(StrEnum):
    """What can happen to a case; each step is taken by one capability (WHO)."""

    GRANT = "grant"  # Arbetsförmedlingen granted (the decision form; lönebidrag: step 6)
    REFUSE = "refuse"  # not granted (the close form; lönebidrag: step 3 or step 6)
    WITHDRAW = "withdraw"  # withdrawn by the Jobbtorg
    TERMINATE = "terminate"  # avbrott i förtid
    END = "end"  # the decision period ran to its end


# (from, step) → to. Every status write of a case goes through `next_status`.
TRANSITIONS: dict[tuple[CaseStatus, CaseStep], CaseStatus] = {
    (CaseStatus.NOTIFIED, CaseStep.GRANT): CaseStatus.GRANTED,
    (CaseStatus.NOTIFIED, CaseStep.REFUSE): CaseStatus.REFUSED,
    (CaseStatus.NOTIFIED, CaseStep.WITHDRAW): CaseStatus.WITHDRAWN,
    (CaseStatus.GRANTED, CaseStep.TERMINATE): CaseStatus.TERMINATED_EARLY,
    (CaseStatus.GRANTED, CaseStep.END): CaseStatus.ENDED,
}

# Who takes each step: the capability (CAPABILITIES below) it needs.
WHO: dict[CaseStep, str] = {
    CaseStep.GRANT: "record_decision",
    CaseStep.REFUSE: "record_decision",
    CaseStep.WITHDRAW: "withdraw_case",
    CaseStep.TERMINATE: "terminate_case",
    CaseStep.END: "end_case",
}

# Steps that for a subsidy type are taken inside its process, never by the case's own forms:
# lönebidrag is granted in step 6 and refused in step 3 or 6 (seed 000 §2).
IN_PROCESS: dict[str, set[CaseStep]] = {
    SubsidyType.LONEBIDRAG: {CaseStep.GRANT, CaseStep.REFUSE},
}

# The status each case step leads to, for the close form's choice (refused / withdrawn).
STEP_FOR_TARGET: dict[str, CaseStep] = {to: step for (_from, step), to in TRANSITIONS.items()}

# Who may do what to a subsidy case, beyond seeing the person (access.policy, access.sections);
# core.capabilities (ADR 0013) collects this table as "subsidies.<name>". Scopes: UNIT = only
# cases of participations at the user's own Jobbtorg unit; ALL = not bound to a place (the board
# shows aggregates; its list is narrowed by visible_persons). Eligibility: eligibility.rules.
CAPABILITIES: CapabilityTable = {
    # The case pages and API: which roles see which kinds of case is access.sections' table
    # (SUBSIDIES), whose refusals are audited against the person; the rows below are asked per case.
    "read": every(PERSON_ROLES),
    "act": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "create_case": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "edit_case": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "record_decision": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "withdraw_case": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "terminate_case": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "end_case": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "complete_step": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    # The city-wide lönebidrag board and reports: aggregates only.
    "board": every((Role.COACH, Role.UNIT_MANAGER, Role.ANALYST, Role.SYSADMIN)),
    # The board's rows link to a list with names (narrowed by visible_persons).
    "board_list": every((Role.COACH, Role.UNIT_MANAGER)),
}

# Capabilities that act on one case (all "unit"-scoped): the page shows its forms only with them.
CASE_CAPABILITIES = ("edit_case", "record_decision", "withdraw_case", "terminate_case", "end_case", "complete_step")


def may(capability: str, role: str, user_unit_id: int | None = None, unit_id: int | None = None) -> bool:
    """May a user with this role (and Jobbtorg unit) do `capability`, on a case at `unit_id`?"""
    scope = CAPABILITIES[capability].get(role)
    if scope == UNIT:
        return user_unit_id is not None and user_unit_id == unit_id
    return scope == ALL


def roles_with(capability: str) -> set[str]:
    return set(CAPABILITIES[capability])


def may_act(role: str, user_unit_id: int | None, case_unit_id: int) -> bool:
    """May the user act on the unit's cases at all (create, edit, complete steps)?"""
    return may("edit_case", role, user_unit_id, case_unit_id)


def next_status(current: str, step: CaseStep) -> CaseStatus:
    """The status after `step`, or a DomainError saying why the step is not possible now."""
    try:
        return TRANSITIONS[(CaseStatus(current), step)]
    except KeyError:
        raise DomainError({"non_field_errors": [transition_error(current, step)]}) from None


def allowed_steps(status: str, subsidy_type: str, role: str, user_unit_id: int | None, unit_id: int | None) -> set[CaseStep]:
    """The case steps this user may take now: the table's, minus those taken inside the type's
    process, minus those the user's capabilities do not reach. The page offers exactly these."""
    return {
        step
        for (source, step) in TRANSITIONS
        if source == status and step not in IN_PROCESS.get(subsidy_type, set()) and may(WHO[step], role, user_unit_id, unit_id)
    }


def transition_error(current: str, step: CaseStep) -> str:
    """A Swedish message saying why `step` is not possible from `current`."""
    if not any(source == current for (source, _step) in TRANSITIONS):
        return _("Ärendet är avslutat (%(status)s) och kan inte ändras.") % {"status": CaseStatus(current).label}
    if step in (CaseStep.TERMINATE, CaseStep.END):
        return _("Bara ett beviljat stöd kan avbrytas eller avslutas.")
    if step == CaseStep.GRANT:
        return _("Beslutet är redan registrerat.")
    target = next(to for (_from, st), to in TRANSITIONS.items() if st == step)
    return _("Det går inte att ändra status från %(current)s till %(target)s.") % {
        "current": CaseStatus(current).label,
        "target": CaseStatus(target).label,
    }


# --- the steps' state machine, as data ------------------------------------------------------------------


class StepAction(StrEnum):
    OPEN = "open"  # the step before is done: the step's clock starts
    COMPLETE = "complete"  # registered as done
    CANCEL = "cancel"  # falls away (the case ended, or a planned start was removed)
    REOPEN = "reopen"  # again: a new request for completion, or a planned start set again


# (from, action) → to. Every status write of a step goes through `step_next` / `step_sources`.
STEP_TRANSITIONS: dict[tuple[StepStatus, StepAction], StepStatus] = {
    (StepStatus.WAITING, StepAction.OPEN): StepStatus.OPEN,
    (StepStatus.OPEN, StepAction.COMPLETE): StepStatus.DONE,
    (StepStatus.WAITING, StepAction.COMPLETE): StepStatus.DONE,
    (StepStatus.WAITING, StepAction.CANCEL): StepStatus.CANCELLED,
    (StepStatus.OPEN, StepAction.CANCEL): StepStatus.CANCELLED,
    (StepStatus.CANCELLED, StepAction.REOPEN): StepStatus.OPEN,
    (StepStatus.DONE, StepAction.REOPEN): StepStatus.OPEN,
}


def step_next(current: str, action: StepAction) -> StepStatus:
    try:
        return STEP_TRANSITIONS[(StepStatus(current), action)]
    except KeyError:
        raise DomainError(
            {
                "non_field_errors": [
                    _("Steget kan inte ändras när det har status ”%(status)s”.") % {"status": StepStatus(current).label}
                ]
            }
        ) from None


def step_sources(action: StepAction) -> list[StepStatus]:
    """The statuses a step may have for `action` (for bulk updates of many steps)."""
    return [source for (source, a) in STEP_TRANSITIONS if a == action]


@dataclass(frozen=True)
class StepState:
    """What a rule needs to know about a step: status, dates."""

    kind: StepKind
    status: str
    done_on: datetime.date | None = None
    opened_on: datetime.date | None = None
    paused_on: datetime.date | None = None


def completion_errors(step: StepState, previous: StepState | None, done_on: datetime.date | None, today: datetime.date) -> Errors:
    """May `step` be completed on `done_on`? The previous step must be done, and on an earlier or the same date."""
    errors: Errors = {}
    rule = STEP_RULES[step.kind]
    if step.status == "done":
        _add(errors, "non_field_errors", _("Steget är redan klart."))
        return errors
    if step.status == "cancelled":
        _add(errors, "non_field_errors", _("Steget utgår i det här ärendet."))
        return errors
    if previous is not None and previous.status != "done":
        prev_rule = STEP_RULES[previous.kind]
        _add(
            errors,
            "non_field_errors",
            _("Steg %(prev)s (%(label)s) måste vara klart innan steg %(number)s kan registreras.")
            % {"prev": prev_rule.code, "label": prev_rule.label, "number": rule.code},
        )
        return errors
    if step.paused_on is not None:
        _add(errors, "non_field_errors", _("Kompletteringen av underlaget måste vara klar innan utredningen kan avslutas."))
        return errors
    if done_on is None:
        _add(errors, "done_on", _("Ange ett datum."))
        return errors
    if done_on > today:
        _add(errors, "done_on", _("Datumet kan inte vara i framtiden."))
    if previous is not None and previous.done_on and done_on < previous.done_on:
        _add(
            errors,
            "done_on",
            _("Datumet kan inte vara före föregående steg (%(date)s).") % {"date": previous.done_on.isoformat()},
        )
    if step.opened_on and done_on < step.opened_on and previous is None:
        _add(errors, "done_on", _("Datumet kan inte vara före %(date)s.") % {"date": step.opened_on.isoformat()})
    return errors


def coach_followup_errors(done_on: datetime.date, insats_end: datetime.date | None) -> Errors:
    """The coach follows up through the whole period and 3 months after: not closed before that."""
    if insats_end is None:
        return {"non_field_errors": [_("Coachens uppföljning kan avslutas först när beslutsperioden är känd.")]}
    until = step_due(StepKind.LB_7_COACH_FOLLOWUP, insats_end)
    if until and done_on < until:
        return {
            "done_on": [
                _("Coachen följer upp under hela insatsen och 3 månader efter, till och med %(date)s.")
                % {"date": until.isoformat()}
            ]
        }
    return {}


# --- the case's own facts ----------------------------------------------------------------------------

# Seed 000 §1: "ange i fritextdelen Stockholmsjobb/praktik och/eller Anställning och Praktik"
# (introduktionsjobb) and "skriv i IA intresseanmälan Stockholmsjobb/praktik eller Anställning/praktik"
# (nystartsjobb). Any of the three is accepted, in any letter case and spacing.
AGREED_PHRASES = ("Stockholmsjobb/praktik", "Anställning och Praktik", "Anställning/praktik")


def _normalise_phrase(text: str) -> str:
    text = re.sub(r"\s*/\s*", "/", text or "")
    return " ".join(text.split()).casefold()


def has_agreed_phrase(text: str) -> bool:
    normalised = _normalise_phrase(text)
    return any(_normalise_phrase(p) in normalised for p in AGREED_PHRASES)


@dataclass
class CaseFacts:
    subsidy_type: str
    notified_on: datetime.date | None
    notification_text: str = ""
    preceded_by_practice: bool = False
    supervisor_name: str = ""
    supervisor_phone: str = ""
    supervisor_email: str = ""
    planned_start: datetime.date | None = None
    decision_on: datetime.date | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None


def case_errors(facts: CaseFacts, today: datetime.date) -> Errors:
    """Everything that must hold for a case to be saved; Swedish messages keyed by field."""
    errors: Errors = {}
    if facts.subsidy_type not in SubsidyType.values:
        _add(errors, "subsidy_type", _("Välj en stödform."))
    for name in ("notified_on", "planned_start", "decision_on", "period_from", "period_to"):
        value = getattr(facts, name)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            _add(errors, name, _("Ange ett datum mellan år 2000 och 2100."))
    if errors:
        return errors
    if facts.notified_on is None:
        _add(errors, "notified_on", _("Ange datum för intresseanmälan."))
    elif facts.notified_on > today:
        _add(errors, "notified_on", _("Intresseanmälan kan inte vara gjord i framtiden."))
    if facts.preceded_by_practice and not has_agreed_phrase(facts.notification_text):
        _add(
            errors,
            "notification_text",
            _(
                "När anställningen föregås av praktik ska Arbetsförmedlingen få veta det: skriv "
                "”Stockholmsjobb/praktik”, ”Anställning och Praktik” eller ”Anställning/praktik” i fritexten."
            ),
        )
    if facts.subsidy_type == SubsidyType.INTRODUKTIONSJOBB:
        if not facts.supervisor_name.strip():
            _add(
                errors,
                "supervisor_name",
                _("Ange handledare: det är den personen Arbetsförmedlingen kontaktar om introduktionsjobbet."),
            )
        if not facts.supervisor_phone.strip() and not facts.supervisor_email.strip():
            _add(errors, "supervisor_phone", _("Ange handledarens telefon eller e-post."))
    if facts.planned_start and facts.notified_on and facts.planned_start < facts.notified_on:
        _add(
            errors,
            "planned_start",
            _("Stödet söks före anställningen: ange en start som är samma dag som eller efter intresseanmälan (%(date)s).")
            % {"date": facts.notified_on.isoformat()},
        )
    errors_update(errors, decision_errors(facts, today, required=False))
    return errors


def errors_update(errors: Errors, more: Errors) -> None:
    for name, messages in more.items():
        for message in messages:
            _add(errors, name, message)


def decision_period_latest(period_from: datetime.date, months: int) -> datetime.date:
    """The last day of a decision period of `months` calendar months starting on `period_from`."""
    return add_months(period_from, months) - datetime.timedelta(days=1)


def decision_errors(facts: CaseFacts, today: datetime.date, required: bool = True, max_months: int | None = None) -> Errors:
    """The decision date and period: all three when `required`, never before the interest
    notification, the period not starting before it and not longer than the ordinance's maximum
    per decision (`max_months`, issue 8 item 11)."""
    errors: Errors = {}
    if required:
        for name, message in (
            ("decision_on", _("Ange beslutsdatum.")),
            ("period_from", _("Ange från vilket datum beslutet gäller.")),
            ("period_to", _("Ange till vilket datum beslutet gäller.")),
        ):
            if getattr(facts, name) is None:
                _add(errors, name, message)
    elif (facts.period_from or facts.period_to) and facts.decision_on is None:
        _add(errors, "decision_on", _("Ange beslutsdatum när beslutsperioden är ifylld."))
    if facts.decision_on and facts.decision_on > today:
        _add(errors, "decision_on", _("Beslutsdatum kan inte vara i framtiden."))
    if facts.decision_on and facts.notified_on and facts.decision_on < facts.notified_on:
        _add(
            errors,
            "decision_on",
            _("Beslutet kan inte vara fattat före intresseanmälan (%(date)s).") % {"date": facts.notified_on.isoformat()},
        )
    if facts.period_from and facts.period_to and facts.period_to < facts.period_from:
        _add(errors, "period_to", _("Ange ett slutdatum som är samma dag som eller efter startdatum."))
    elif facts.period_from and facts.period_to and max_months:
        latest = decision_period_latest(facts.period_from, max_months)
        if facts.period_to > latest:
            _add(
                errors,
                "period_to",
                _("Ett beslut gäller högst %(months)s månader enligt förordningen: ange ett slutdatum senast %(date)s.")
                % {"months": max_months, "date": latest.isoformat()},
            )
    if facts.period_from and facts.notified_on and facts.period_from < facts.notified_on:
        _add(
            errors,
            "period_from",
            _("Beslutsperioden kan inte börja före intresseanmälan (%(date)s): stödet söks före anställningen.")
            % {"date": facts.notified_on.isoformat()},
        )
    return errors


def intro_decision_latest(planned_start: datetime.date) -> datetime.date:
    """Seed 000 §1: the introduktionsjobb decision at the latest 14 days before the employment starts."""
    due = step_due(StepKind.INTRO_DECISION, planned_start)
    assert due is not None
    return due


def case_warnings(facts: CaseFacts, max_months_per_decision: int | None = None) -> list[str]:
    """Things that are allowed but must be seen (shown on the case, returned by the API)."""
    warnings: list[str] = []
    if facts.subsidy_type == SubsidyType.INTRODUKTIONSJOBB and facts.decision_on and facts.planned_start:
        latest = intro_decision_latest(facts.planned_start)
        if facts.decision_on > latest:
            warnings.append(
                _(
                    "Beslutet om introduktionsjobb kom %(decision)s, senare än 14 dagar före anställningens start "
                    "%(start)s (senast %(latest)s enligt överenskommelsen med Arbetsförmedlingen)."
                )
                % {
                    "decision": facts.decision_on.isoformat(),
                    "start": facts.planned_start.isoformat(),
                    "latest": latest.isoformat(),
                }
            )
    if max_months_per_decision and facts.period_from and facts.period_to:
        if facts.period_to >= add_months(facts.period_from, max_months_per_decision):
            warnings.append(
                _("Beslutsperioden är längre än %(months)s månader, som är längsta tid per beslut enligt regeln.")
                % {"months": max_months_per_decision}
            )
    return warnings


def termination_errors(
    terminated_on: datetime.date | None, reason: str, period_from: datetime.date | None, today: datetime.date
) -> Errors:
    errors: Errors = {}
    if terminated_on is None:
        _add(errors, "terminated_on", _("Ange datum för avbrottet."))
    elif not DATE_MIN <= terminated_on <= DATE_MAX:
        _add(errors, "terminated_on", _("Ange ett datum mellan år 2000 och 2100."))
    else:
        if terminated_on > today:
            _add(errors, "terminated_on", _("Avbrottet kan inte registreras i förväg. Ange dagens datum eller tidigare."))
        if period_from and terminated_on < period_from:
            _add(
                errors,
                "terminated_on",
                _("Avbrottet kan inte vara före beslutets start (%(date)s).") % {"date": period_from.isoformat()},
            )
    if not (reason or "").strip():
        _add(errors, "reason", _("Ange orsak till avbrottet."))
    return errors
