"""Pure rules of the subsidy cases (DOMAIN §9, §18; seed 000 sections 1–2). No ORM here.

Services pass facts in and get errors, warnings, due dates or an eligibility
answer back, so each rule is tested on its own.

Day counts — how seed 000 words each limit, and how it is read here
--------------------------------------------------------------------
Seed 000 says "arbetsdagar" in exactly one place (step 5: "5 arbetsdagar för
yttrande") and plain "dagar" everywhere else. A text that names working days
where it means them means calendar days where it says "dagar", so:

| rule (StepKind)       | seed 000 words                                   | unit               | clock starts          |
| --------------------- | ------------------------------------------------ | ------------------ | --------------------- |
| INTRO_DECISION        | "Beslut fattas som längst 14 dagar innan         | −14 calendar days  | planned start         |
|                       | anställning påbörjas"                            |                    |                       |
| LB_2_CALLBACK         | "ringer tillbaka … inom 3 dagar"                 | 3 calendar days    | interest notification |
| LB_2_ORDER            | "Punkt 1-2 tar 3-5 dagar"                        | 5 calendar days    | interest notification |
| LB_3_ELIGIBILITY      | "Inom 4 veckor"                                  | 4 weeks = 28 days  | order to the wage-    |
|                       |                                                  |                    | subsidy function      |
| LB_3_COMPLETION       | none ("begär in kompletteringar")                | AF's date, default | outcome "underlaget   |
|                       |                                                  | 14 calendar days   | är inaktuellt"        |
| LB_4_WORKPLACE_VISIT  | "Punkt 3-4 tar 14 dagar"                         | 14 calendar days   | outcome "berättigad"  |
| LB_5_UNION            | "5 arbetsdagar för yttrande"                     | 5 working days     | workplace visit       |
| LB_6_DECISION         | none ("Beslut fattas av Arbetsförmedlingen")     | no deadline        | union statement       |
| LB_7_AF_FOLLOWUP      | "uppföljningsansvar efter 3 månader"             | 3 calendar months  | decision period start |
| LB_7_EXTENSION        | "2 månader innan beslutet går ut"                | −2 calendar months | decision period end   |
| LB_7_COACH_FOLLOWUP   | "under hela insatsen samt 3 månader efter"       | +3 calendar months | period end (or early  |
|                       |                                                  |                    | termination)          |
| AF_TERMINATION_REPORT | none ("meddelas … arbetsgivarlinjen")            | 0 days: at once    | termination recorded  |

Working days skip weekends and Swedish public holidays (jobbtorg.core.workdays).
Months are calendar months clamped to the month's end (core.workdays.add_months).

Readings that the seed leaves open, and what is chosen:
- "Punkt 3-4 tar 14 dagar" next to "Inom 4 veckor" for step 3: the eligibility
  check has 4 weeks from the order; the workplace visit then has 14 days from
  the outcome "berättigad" (the meeting AF books). Each is its own rule row.
- While the documentation is being completed (LB_3_COMPLETION), the step-3 clock
  is paused and moves by the length of the pause, as interruptions do for the
  participant's deadlines (deadlines.rules.shift_for_pause).
- For a protected identity the application is handled by AF's local office, not
  PDM (seed 000 §1); the same steps and limits apply, with the local office's
  labels.

A step can be completed only when the step before it is done, on or after that
step's date, and never in the future (`completion_errors`).
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, PERSON_ROLES, every
from jobbtorg.core.capabilities import ALL, UNIT
from jobbtorg.core.types import StrOrPromise
from jobbtorg.core.workdays import add_months, add_working_days
from jobbtorg.subsidies.models import CaseStatus, MonthKind, Route, SubsidyType

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


# --- the case's state machine, as data ------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.NOTIFIED: {CaseStatus.GRANTED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN},
    CaseStatus.GRANTED: {CaseStatus.TERMINATED_EARLY, CaseStatus.ENDED},
    CaseStatus.REFUSED: set(),
    CaseStatus.TERMINATED_EARLY: set(),
    CaseStatus.ENDED: set(),
    CaseStatus.WITHDRAWN: set(),
}


def transition_error(current: str, target: str) -> str | None:
    if target in TRANSITIONS[current]:
        return None
    if not TRANSITIONS[current]:
        return _("Ärendet är avslutat (%(status)s) och kan inte ändras.") % {"status": CaseStatus(current).label}
    if target in (CaseStatus.TERMINATED_EARLY, CaseStatus.ENDED):
        return _("Bara ett beviljat stöd kan avbrytas eller avslutas.")
    if target == CaseStatus.GRANTED:
        return _("Beslutet är redan registrerat.")
    return _("Det går inte att ändra status från %(current)s till %(target)s.") % {
        "current": CaseStatus(current).label,
        "target": CaseStatus(target).label,
    }


# --- who may do what (beyond seeing the person: access.policy) --------------------------------------

# core.capabilities (ADR 0013). Coaches and unit managers act on cases of participations at
# their own Jobbtorg unit. Which kinds of case a role reads is access.sections (SUBSIDIES).
CAPABILITIES: dict[str, dict[str, str]] = {
    # The case pages and API: which roles see which kinds of case is access.sections' table
    # (SUBSIDIES), whose refusals are audited against the person; "act" is asked per case.
    "read": every(PERSON_ROLES),
    "act": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    "check_eligibility": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT},
    # The city-wide lönebidrag board and reports: aggregates only.
    "board": every((Role.COACH, Role.UNIT_MANAGER, Role.ANALYST, Role.SYSADMIN)),
    # The board's rows link to a list with names (narrowed by visible_persons).
    "board_list": every((Role.COACH, Role.UNIT_MANAGER)),
    "read_rules": every(EVERY_ROLE),
    "manage_rules": {Role.SYSADMIN: ALL},
}


# --- timed steps ------------------------------------------------------------------------------------


class DayUnit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    NONE = "none"


class StepKind(StrEnum):
    INTRO_DECISION = "intro_decision"
    LB_1_NOTIFICATION = "lb_1_notification"
    LB_2_CALLBACK = "lb_2_callback"
    LB_2_ORDER = "lb_2_order"
    LB_3_ELIGIBILITY = "lb_3_eligibility"
    LB_3_COMPLETION = "lb_3_completion"
    LB_4_WORKPLACE_VISIT = "lb_4_workplace_visit"
    LB_5_UNION = "lb_5_union"
    LB_6_DECISION = "lb_6_decision"
    LB_7_AF_FOLLOWUP = "lb_7_af_followup"
    LB_7_EXTENSION = "lb_7_extension"
    LB_7_COACH_FOLLOWUP = "lb_7_coach_followup"
    AF_TERMINATION_REPORT = "af_termination_report"


class Eligibility3(StrEnum):
    """The three outcomes of step 3 (seed 000 §2)."""

    NOT_ELIGIBLE = "not_eligible"
    OUTDATED = "documentation_outdated"
    ELIGIBLE = "eligible"


class Decision6(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"


STEP_OUTCOMES: dict[str, dict[str, Any]] = {
    StepKind.LB_3_ELIGIBILITY: {
        Eligibility3.NOT_ELIGIBLE: gettext_lazy("Uppfyller inte kraven – arbetsgivare, arbetssökande och coach meddelade"),
        Eligibility3.OUTDATED: gettext_lazy("Underlaget är inaktuellt – komplettering begärd"),
        Eligibility3.ELIGIBLE: gettext_lazy("Uppfyller kraven – möte med arbetsgivaren bokat"),
    },
    StepKind.LB_6_DECISION: {
        Decision6.GRANTED: gettext_lazy("Lönebidrag beviljat"),
        Decision6.REFUSED: gettext_lazy("Lönebidrag inte beviljat"),
    },
}

# Parties Arbetsförmedlingen notifies when the job seeker is not eligible (seed 000 §2, step 3).
NOTIFIED_PARTIES = {
    "employer": gettext_lazy("Arbetsgivaren"),
    "job_seeker": gettext_lazy("Den arbetssökande"),
    "coach": gettext_lazy("Coachen"),
}


@dataclass(frozen=True)
class StepRule:
    kind: StepKind
    number: int  # the step number in seed 000 (1–7); 0 for tasks outside the lönebidrag process
    seq: int
    label: StrOrPromise
    responsible: str  # "coach" | "af"
    amount: int
    unit: DayUnit
    starts: StrOrPromise  # Swedish: what starts the clock
    source: str  # the seed's words
    after: StepKind | None = None
    label_local_office: StrOrPromise = ""

    def due(self, start: datetime.date) -> datetime.date | None:
        if self.unit == DayUnit.NONE:
            return None
        if self.unit == DayUnit.WORKING_DAYS:
            return add_working_days(start, self.amount)
        if self.unit == DayUnit.MONTHS:
            return add_months(start, self.amount)
        return start + datetime.timedelta(days=self.amount)

    def label_for(self, route: str) -> str:
        if route == Route.LOCAL_OFFICE and self.label_local_office:
            return str(self.label_local_office)
        return str(self.label)

    @property
    def limit_text(self) -> str:
        if self.unit == DayUnit.NONE:
            return str(_("Ingen tidsgräns i överenskommelsen"))
        amount = abs(self.amount)
        unit = {
            DayUnit.CALENDAR_DAYS: _("dagar"),
            DayUnit.WORKING_DAYS: _("arbetsdagar"),
            DayUnit.MONTHS: _("månader"),
        }[self.unit]
        direction = _("före") if self.amount < 0 else _("efter")
        return f"{amount} {unit} {direction} {self.starts}"


S = gettext_lazy
STEP_RULES: dict[StepKind, StepRule] = {
    r.kind: r
    for r in [
        StepRule(
            StepKind.INTRO_DECISION,
            0,
            5,
            S("Beslut om introduktionsjobb"),
            "af",
            -14,
            DayUnit.CALENDAR_DAYS,
            S("planerad anställningsstart"),
            "Beslut fattas som längst 14 dagar innan anställning påbörjas",
        ),
        StepRule(
            StepKind.LB_1_NOTIFICATION,
            1,
            10,
            S("Intresseanmälan till Personligt distansmöte (PDM)"),
            "coach",
            0,
            DayUnit.CALENDAR_DAYS,
            S("intresseanmälan"),
            "Coach från Jobbtorg Stockholm initierar en digital intresseanmälan",
            label_local_office=S("Ärendet lämnat till Arbetsförmedlingens lokalkontor (skyddad identitet)"),
        ),
        StepRule(
            StepKind.LB_2_CALLBACK,
            2,
            20,
            S("PDM ringer tillbaka och kompletterar personuppgifter"),
            "af",
            3,
            DayUnit.CALENDAR_DAYS,
            S("intresseanmälan"),
            "ringer tillbaka Jobbtorg Stockholm inom 3 dagar",
            after=StepKind.LB_1_NOTIFICATION,
            label_local_office=S("Lokalkontoret återkopplar och kompletterar personuppgifter"),
        ),
        StepRule(
            StepKind.LB_2_ORDER,
            2,
            21,
            S("Order skickad till Lönestödsfunktionen"),
            "af",
            5,
            DayUnit.CALENDAR_DAYS,
            S("intresseanmälan"),
            "Punkt 1-2 tar 3-5 dagar",
            after=StepKind.LB_2_CALLBACK,
        ),
        StepRule(
            StepKind.LB_3_ELIGIBILITY,
            3,
            30,
            S("Samordnarfunktionen utreder rätt till lönestöd och samtycke"),
            "af",
            28,
            DayUnit.CALENDAR_DAYS,
            S("ordern till Lönestödsfunktionen"),
            "Inom 4 veckor",
            after=StepKind.LB_2_ORDER,
        ),
        StepRule(
            StepKind.LB_3_COMPLETION,
            3,
            31,
            S("Komplettering av inaktuellt underlag"),
            "coach",
            14,
            DayUnit.CALENDAR_DAYS,
            S("begäran om komplettering"),
            "Underlaget är inaktuellt – Arbetsförmedlingen begär in kompletteringar (ingen tidsgräns i seed 000; "
            "datum enligt Arbetsförmedlingens begäran, förvalt 14 dagar)",
        ),
        StepRule(
            StepKind.LB_4_WORKPLACE_VISIT,
            4,
            40,
            S("Arbetsplatsbesök: arbetsanalys, anpassningar och underskrifter"),
            "coach",
            14,
            DayUnit.CALENDAR_DAYS,
            S("beskedet att personen är berättigad"),
            "Punkt 3-4 tar 14 dagar",
            after=StepKind.LB_3_ELIGIBILITY,
        ),
        StepRule(
            StepKind.LB_5_UNION,
            5,
            50,
            S("Samråd med arbetstagarorganisationen (yttrande)"),
            "af",
            5,
            DayUnit.WORKING_DAYS,
            S("arbetsplatsbesöket"),
            "Samråd med arbetstagarorganisation, 5 arbetsdagar för yttrande",
            after=StepKind.LB_4_WORKPLACE_VISIT,
        ),
        StepRule(
            StepKind.LB_6_DECISION,
            6,
            60,
            S("Beslut av Arbetsförmedlingen"),
            "af",
            0,
            DayUnit.NONE,
            S("yttrandet"),
            "Beslut fattas av Arbetsförmedlingen",
            after=StepKind.LB_5_UNION,
        ),
        StepRule(
            StepKind.LB_7_AF_FOLLOWUP,
            7,
            70,
            S("Arbetsförmedlingens uppföljning efter 3 månader"),
            "af",
            3,
            DayUnit.MONTHS,
            S("beslutets start"),
            "uppföljningsansvar efter 3 månader",
            after=StepKind.LB_6_DECISION,
        ),
        StepRule(
            StepKind.LB_7_EXTENSION,
            7,
            71,
            S("Arbetsförmedlingen kontaktar arbetsgivaren om förlängning"),
            "af",
            -2,
            DayUnit.MONTHS,
            S("beslutets slut"),
            "kontaktar arbetsgivaren 2 månader innan beslutet går ut",
            after=StepKind.LB_6_DECISION,
        ),
        StepRule(
            StepKind.LB_7_COACH_FOLLOWUP,
            7,
            72,
            S("Coachens uppföljning under insatsen och 3 månader efter"),
            "coach",
            3,
            DayUnit.MONTHS,
            S("insatsens slut"),
            "uppföljning under hela insatsen samt 3 månader efter avslutad insats",
            after=StepKind.LB_6_DECISION,
        ),
        StepRule(
            StepKind.AF_TERMINATION_REPORT,
            0,
            90,
            S("Anmäl avbrottet till Arbetsförmedlingens arbetsgivarlinje"),
            "coach",
            0,
            DayUnit.CALENDAR_DAYS,
            S("registrerat avbrott"),
            "Om ett pågående beslut behöver avbrytas i förtid så meddelas detta till arbetsgivarlinjen 0771-508 508",
        ),
    ]
}

LONEBIDRAG_STEPS: tuple[StepKind, ...] = tuple(k for k in StepKind if k.value.startswith("lb_"))
# The steps created with every lönebidrag case (the completion sub-step is created on demand).
LONEBIDRAG_CREATED = tuple(k for k in LONEBIDRAG_STEPS if k != StepKind.LB_3_COMPLETION)
AF_EMPLOYER_LINE = "0771-508 508"


def step_due(kind: StepKind, start: datetime.date) -> datetime.date | None:
    return STEP_RULES[kind].due(start)


def shift_for_pause(due: datetime.date, paused_on: datetime.date, resumed_on: datetime.date) -> datetime.date:
    """A paused clock resumes where it stopped: the due date moves by the pause's length."""
    return due + (resumed_on - paused_on)


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
            % {"prev": prev_rule.number, "label": prev_rule.label, "number": rule.number},
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


DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)


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


def max_months_per_decision(parameters: dict[str, Any]) -> int | None:
    """The ordinance's longest decision period, from the rule row's limits (DOMAIN §18): each
    nystartsjobb and introduktionsjobb decision at most 12 months; yrkesintroduktion's support at
    most 12 months in all, so also per decision. None when the rule data states none (lönebidrag)."""
    limits = parameters.get("limits") or {}
    for key in ("max_months_per_decision", "max_support_months"):
        value = limits.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def decision_period_latest(period_from: datetime.date, months: int) -> datetime.date:
    """The last day of a decision period of `months` calendar months starting on `period_from`."""
    return add_months(period_from, months) - datetime.timedelta(days=1)


def decision_errors(
    facts: CaseFacts, today: datetime.date, required: bool = True, max_months: int | None = None
) -> Errors:
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


# --- qualification rules as data (DOMAIN §18) ---------------------------------------------------------


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


OUTCOME_LABELS = {
    Outcome.ELIGIBLE: gettext_lazy("Uppfyller villkoren"),
    Outcome.NOT_ELIGIBLE: gettext_lazy("Uppfyller inte villkoren"),
    Outcome.UNKNOWN: gettext_lazy("Går inte att avgöra – uppgifter saknas"),
}

# Month kinds that count as qualifying time unless a rule says otherwise (förordning 2018:43).
DEFAULT_COUNTED = [MonthKind.UNEMPLOYED, MonthKind.PROGRAMME, MonthKind.SOCIAL_ASSISTANCE, MonthKind.SICKNESS]
DEFAULT_DISREGARDED = [MonthKind.PARENTAL_LEAVE]
MAX_MONTHS_BACK = 120

CONDITION_KEYS: dict[str, type] = {
    "age_min": int,
    "age_max": int,
    "registered_at_af": bool,
    "establishment_programme": bool,
    "job_guarantee": bool,
    "months_required": int,
    "months_window": int,
    "residence_permit_within_months": int,
    "youth_guarantee_days_min": int,
    "disability_documented": bool,
}


def parameter_errors(parameters: Any) -> list[str]:
    """Check a rule's parameters before it is saved (admin and API). Swedish messages."""
    if not isinstance(parameters, dict):
        return [_("Parametrarna ska vara ett JSON-objekt.")]
    errors: list[str] = []
    paths = parameters.get("paths")
    if not isinstance(paths, list) or not paths:
        errors.append(_("Ange minst en väg till rätt till stöd under ”paths”."))
        paths = []
    for i, path in enumerate(paths, start=1):
        if not isinstance(path, dict) or not isinstance(path.get("label"), str) or not path.get("label", "").strip():
            errors.append(_("Väg %(n)s: ange en benämning (”label”).") % {"n": i})
            continue
        conditions = path.get("conditions")
        if not isinstance(conditions, dict) or not conditions:
            errors.append(_("Väg %(n)s: ange minst ett villkor (”conditions”).") % {"n": i})
            continue
        for key, value in conditions.items():
            expected = CONDITION_KEYS.get(key)
            if expected is None:
                errors.append(_("Väg %(n)s: okänt villkor ”%(key)s”.") % {"n": i, "key": key})
            elif expected is bool and value is not True:
                errors.append(_("Väg %(n)s: villkoret ”%(key)s” ska vara true.") % {"n": i, "key": key})
            elif expected is int and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000):
                errors.append(_("Väg %(n)s: ”%(key)s” ska vara ett heltal 0–1000.") % {"n": i, "key": key})
        if ("months_required" in conditions) != ("months_window" in conditions):
            errors.append(_("Väg %(n)s: ange både ”months_required” och ”months_window”.") % {"n": i})
        elif "months_required" in conditions and not errors:
            if conditions["months_required"] > conditions["months_window"] or conditions["months_window"] > 60:
                errors.append(_("Väg %(n)s: antal månader kan inte vara fler än perioden (högst 60).") % {"n": i})
        if "age_min" in conditions and "age_max" in conditions and not errors:
            if conditions["age_min"] > conditions["age_max"]:
                errors.append(_("Väg %(n)s: lägsta ålder är högre än högsta ålder.") % {"n": i})
    for key in ("counted_kinds", "disregarded_kinds"):
        kinds = parameters.get(key)
        if kinds is not None and (not isinstance(kinds, list) or any(k not in MonthKind.values for k in kinds)):
            errors.append(
                _("”%(key)s” ska vara en lista med månadstyper: %(kinds)s.") % {"key": key, "kinds": ", ".join(MonthKind.values)}
            )
    limits = parameters.get("limits", {})
    if not isinstance(limits, dict):
        errors.append(_("”limits” ska vara ett JSON-objekt."))
    return errors


def periods_overlap(a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


@dataclass(frozen=True)
class RuleVersion:
    """A qualification rule row as plain data (so the evaluation needs no ORM)."""

    subsidy_type: str
    version: int
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str
    parameters: dict[str, Any]


def rule_valid_on(rules: list[RuleVersion], subsidy_type: str, on: datetime.date) -> RuleVersion | None:
    """The rule version in force on `on` (the newest version if two were ever left overlapping)."""
    valid = [
        r for r in rules if r.subsidy_type == subsidy_type and r.valid_from <= on and (r.valid_to is None or on <= r.valid_to)
    ]
    return max(valid, key=lambda r: (r.valid_from, r.version), default=None)


@dataclass
class Facts:
    """What is known about the person on the evaluation date. None means "not recorded"."""

    birth_date: datetime.date
    registered_at_af: bool | None = None
    establishment_programme: bool | None = None
    job_guarantee: bool | None = None
    newly_arrived: bool | None = None
    residence_permit_on: datetime.date | None = None
    youth_guarantee_days: int | None = None
    months: dict[datetime.date, str] = field(default_factory=dict)  # first of month → MonthKind
    disability_documentation: str | None = None  # "valid" | "expired" | "missing" | "hidden" | None (not known)


@dataclass
class Condition:
    key: str
    met: bool | None
    text: str


@dataclass
class PathResult:
    label: str
    outcome: Outcome
    conditions: list[Condition]

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


@dataclass
class MonthCount:
    month: datetime.date
    kind: str | None
    counted: bool
    disregarded: bool = False


@dataclass
class Evaluation:
    subsidy_type: str
    on: datetime.date
    outcome: Outcome
    rule: RuleVersion | None
    paths: list[PathResult]
    reasons: list[str]
    missing: list[str]
    months: list[MonthCount]

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def type_label(self) -> str:
        return str(SubsidyType(self.subsidy_type).label)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def month_label(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def count_months(
    months: dict[datetime.date, str], on: datetime.date, window: int, counted: list[str], disregarded: list[str]
) -> tuple[list[MonthCount], list[MonthCount]]:
    """The last `window` full calendar months before the month of `on`, extended further back by every
    disregarded month (time at home with a child under 2). Returns (window months, disregarded months)."""
    in_window: list[MonthCount] = []
    skipped: list[MonthCount] = []
    current = add_months(first_of_month(on), -1)
    steps = 0
    while len(in_window) < window and steps < MAX_MONTHS_BACK:
        kind = months.get(current)
        if kind in disregarded:
            skipped.append(MonthCount(current, kind, counted=False, disregarded=True))
        else:
            in_window.append(MonthCount(current, kind, counted=kind in counted))
        current = add_months(current, -1)
        steps += 1
    return in_window, skipped


def _age_condition(facts: Facts, on: datetime.date, lo: int | None, hi: int | None) -> Condition:
    age = age_on(facts.birth_date, on)
    if lo is not None and hi is not None:
        need = _("%(lo)s–%(hi)s år") % {"lo": lo, "hi": hi}
    elif lo is not None:
        need = _("%(lo)s år eller äldre") % {"lo": lo}
    else:
        need = _("högst %(hi)s år") % {"hi": hi}
    met = (lo is None or age >= lo) and (hi is None or age <= hi)
    return Condition(
        "age", met, _("Ålder %(age)s år den %(on)s (krav: %(need)s).") % {"age": age, "on": on.isoformat(), "need": need}
    )


def _flag_condition(key: str, value: bool | None, yes: str, no: str, unknown: str) -> Condition:
    if value is None:
        return Condition(key, None, unknown)
    return Condition(key, bool(value), yes if value else no)


def _months_condition(
    facts: Facts, on: datetime.date, required: int, window: int, params: dict[str, Any]
) -> tuple[Condition, list[MonthCount]]:
    counted_kinds = params.get("counted_kinds") or [str(k) for k in DEFAULT_COUNTED]
    disregarded_kinds = params.get("disregarded_kinds") or [str(k) for k in DEFAULT_DISREGARDED]
    in_window, skipped = count_months(facts.months, on, window, counted_kinds, disregarded_kinds)
    n_counted = sum(1 for m in in_window if m.counted)
    missing = [m for m in in_window if m.kind is None]
    first, last = (in_window[-1].month, in_window[0].month) if in_window else (on, on)
    text = _(
        "%(counted)s av de senaste %(window)s månaderna (%(first)s–%(last)s) räknas som arbetslöshet, program, "
        "försörjningsstöd eller sjukersättning (krav: minst %(required)s)."
    ) % {"counted": n_counted, "window": window, "first": month_label(first), "last": month_label(last), "required": required}
    if skipped:
        text += " " + _("%(n)s månad(er) hemma med barn under 2 år räknas bort och perioden förlängs bakåt (%(months)s).") % {
            "n": len(skipped),
            "months": ", ".join(month_label(m.month) for m in skipped),
        }
    if n_counted >= required:
        met: bool | None = True
    elif n_counted + len(missing) < required:
        met = False
    else:
        met = None
        text += " " + _("Historik saknas för %(months)s.") % {"months": ", ".join(month_label(m.month) for m in missing)}
    return Condition("months", met, text), in_window + skipped


def evaluate(rule: RuleVersion | None, subsidy_type: str, facts: Facts, on: datetime.date) -> Evaluation:
    """ELIGIBLE when any path of the rule has every condition met; NOT_ELIGIBLE when every path has a
    condition that fails; otherwise UNKNOWN, with the data that is missing. Always with reasons."""
    if rule is None:
        return Evaluation(
            subsidy_type,
            on,
            Outcome.UNKNOWN,
            None,
            [],
            [
                _("Det finns ingen kvalificeringsregel för %(type)s som gäller %(on)s.")
                % {"type": SubsidyType(subsidy_type).label, "on": on.isoformat()}
            ],
            [_("kvalificeringsregel")],
            [],
        )
    params = rule.parameters
    paths: list[PathResult] = []
    months_seen: dict[datetime.date, MonthCount] = {}
    for path in params.get("paths", []):
        conds = path.get("conditions", {})
        results: list[Condition] = []
        if "age_min" in conds or "age_max" in conds:
            results.append(_age_condition(facts, on, conds.get("age_min"), conds.get("age_max")))
        if conds.get("registered_at_af"):
            results.append(
                _flag_condition(
                    "registered_at_af",
                    facts.registered_at_af,
                    _("Inskriven som arbetssökande på Arbetsförmedlingen."),
                    _("Inte inskriven som arbetssökande på Arbetsförmedlingen."),
                    _("Uppgift saknas om inskrivning på Arbetsförmedlingen."),
                )
            )
        if conds.get("establishment_programme"):
            results.append(
                _flag_condition(
                    "establishment_programme",
                    facts.establishment_programme,
                    _("Deltar i etableringsprogrammet."),
                    _("Deltar inte i etableringsprogrammet."),
                    _("Uppgift saknas om etableringsprogrammet."),
                )
            )
        if conds.get("job_guarantee"):
            results.append(
                _flag_condition(
                    "job_guarantee",
                    facts.job_guarantee,
                    _("Deltar i jobb- och utvecklingsgarantin."),
                    _("Deltar inte i jobb- och utvecklingsgarantin."),
                    _("Uppgift saknas om jobb- och utvecklingsgarantin."),
                )
            )
        if "months_required" in conds:
            cond, counted = _months_condition(facts, on, conds["months_required"], conds["months_window"], params)
            results.append(cond)
            for m in counted:
                months_seen.setdefault(m.month, m)
        if "residence_permit_within_months" in conds:
            limit = conds["residence_permit_within_months"]
            if facts.residence_permit_on is not None:
                since = add_months(on, -limit)
                met = since <= facts.residence_permit_on <= on
                results.append(
                    Condition(
                        "residence_permit",
                        met,
                        _("Uppehållstillstånd %(date)s (krav: inom de senaste %(months)s månaderna, från %(since)s).")
                        % {"date": facts.residence_permit_on.isoformat(), "months": limit, "since": since.isoformat()},
                    )
                )
            elif facts.newly_arrived is False:
                results.append(Condition("residence_permit", False, _("Inte nyanländ.")))
            else:
                results.append(Condition("residence_permit", None, _("Datum för uppehållstillstånd saknas.")))
        if "youth_guarantee_days_min" in conds:
            need = conds["youth_guarantee_days_min"]
            if facts.youth_guarantee_days is None:
                results.append(
                    Condition("youth_guarantee_days", None, _("Antal ersättningsdagar i jobbgarantin för ungdomar saknas."))
                )
            else:
                results.append(
                    Condition(
                        "youth_guarantee_days",
                        facts.youth_guarantee_days >= need,
                        _("%(days)s ersättningsdagar i jobbgarantin för ungdomar (krav: minst %(need)s).")
                        % {"days": facts.youth_guarantee_days, "need": need},
                    )
                )
        if conds.get("disability_documented"):
            doc = facts.disability_documentation
            if doc == "valid":
                results.append(
                    Condition(
                        "disability",
                        True,
                        _("Funktionsnedsättning med nedsatt arbetsförmåga är dokumenterad och underlaget är aktuellt."),
                    )
                )
            elif doc == "expired":
                results.append(
                    Condition("disability", None, _("Underlaget om funktionsnedsättning är inaktuellt och behöver kompletteras."))
                )
            elif doc == "hidden":
                results.append(
                    Condition(
                        "disability",
                        None,
                        _("Uppgift om funktionsnedsättning visas bara för personens coach och OSA-handläggare."),
                    )
                )
            elif doc == "missing":
                results.append(
                    Condition("disability", False, _("Ingen dokumenterad funktionsnedsättning med nedsatt arbetsförmåga."))
                )
            else:
                results.append(Condition("disability", None, _("Uppgift saknas om dokumenterad funktionsnedsättning.")))
        if any(c.met is False for c in results):
            outcome = Outcome.NOT_ELIGIBLE
        elif all(c.met is True for c in results):
            outcome = Outcome.ELIGIBLE
        else:
            outcome = Outcome.UNKNOWN
        paths.append(PathResult(str(path.get("label", "")), outcome, results))

    eligible = [p for p in paths if p.outcome == Outcome.ELIGIBLE]
    unknown = [p for p in paths if p.outcome == Outcome.UNKNOWN]
    reasons: list[str] = []
    missing: list[str] = []
    if eligible:
        outcome = Outcome.ELIGIBLE
        reasons.append(_("Uppfyller villkoren för: %(path)s.") % {"path": eligible[0].label})
        reasons += [c.text for c in eligible[0].conditions]
    elif unknown:
        outcome = Outcome.UNKNOWN
        for p in unknown:
            for c in p.conditions:
                if c.met is None:
                    reasons.append(f"{p.label}: {c.text}")
                    if c.text not in missing:
                        missing.append(c.text)
    else:
        outcome = Outcome.NOT_ELIGIBLE
        for p in paths:
            failed = next(c for c in p.conditions if c.met is False)
            reasons.append(f"{p.label}: {failed.text}")
    reasons.append(
        _("Regel: %(source)s, version %(version)s (gäller från %(from)s).")
        % {"source": rule.source, "version": rule.version, "from": rule.valid_from.isoformat()}
    )
    months = sorted(months_seen.values(), key=lambda m: m.month, reverse=True)
    return Evaluation(subsidy_type, on, outcome, rule, paths, reasons, missing, months)


def month_choices(on: datetime.date, count: int = 24) -> list[datetime.date]:
    """The months a history form shows: the `count` full months before the month of `on`, newest first."""
    start = first_of_month(on)
    return [add_months(start, -i) for i in range(1, count + 1)]


def last_day_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- the §18 defaults, loaded by migration 0002 ---------------------------------------------------------

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "subsidy_type": "nystartsjobb",
        "version": 1,
        "valid_from": "2018-05-01",
        "source": "Förordning (2018:43) om särskilt anställningsstöd (nystartsjobb) – standardvärden enligt DOMAIN §18",
        "source_text": (
            "25 år eller äldre: arbetslös, inskriven på Arbetsförmedlingen och på heltid minst 12 av de senaste 15 månaderna "
            "i arbetslöshet, arbetsmarknadspolitiskt program, försörjningsstöd som arbetslös eller sjuk-/aktivitetsersättning. "
            "20–24 år: 6 av de senaste 9 månaderna. Nyanländ 20 år eller äldre: etableringsprogrammet, eller 6 av 9 månader och "
            "uppehållstillstånd inom de senaste 36 månaderna. Deltagare i jobb- och utvecklingsgarantin 20 år eller äldre. "
            "Tid hemma med barn under 2 år räknas bort. Längd: lika lång som tiden utan arbete, högst 24 månader (25+) eller "
            "12 månader (20–24); varje beslut högst 12 månader. Inte för närstående arbetsgivare eller arbetsgivare som sagt "
            "upp personal de senaste 12 månaderna."
        ),
        "parameters": {
            "paths": [
                {
                    "label": "25 år eller äldre, 12 av de senaste 15 månaderna",
                    "conditions": {"age_min": 25, "registered_at_af": True, "months_required": 12, "months_window": 15},
                },
                {
                    "label": "20–24 år, 6 av de senaste 9 månaderna",
                    "conditions": {
                        "age_min": 20,
                        "age_max": 24,
                        "registered_at_af": True,
                        "months_required": 6,
                        "months_window": 9,
                    },
                },
                {
                    "label": "Nyanländ 20 år eller äldre i etableringsprogrammet",
                    "conditions": {"age_min": 20, "establishment_programme": True},
                },
                {
                    "label": "Nyanländ 20 år eller äldre, 6 av 9 månader och uppehållstillstånd inom 36 månader",
                    "conditions": {"age_min": 20, "months_required": 6, "months_window": 9, "residence_permit_within_months": 36},
                },
                {
                    "label": "Jobb- och utvecklingsgarantin, 20 år eller äldre",
                    "conditions": {"age_min": 20, "job_guarantee": True},
                },
            ],
            "counted_kinds": ["unemployed", "programme", "social_assistance", "sickness"],
            "disregarded_kinds": ["parental_leave"],
            "limits": {
                "max_months_per_decision": 12,
                "max_total_months_25_plus": 24,
                "max_total_months_20_24": 12,
                "employer_redundancies_months": 12,
            },
        },
    },
    {
        "subsidy_type": "introduktionsjobb",
        "version": 1,
        "valid_from": "2018-05-01",
        "source": "Förordning (2018:42) om särskilt anställningsstöd (introduktionsjobb) – standardvärden enligt DOMAIN §18",
        "source_text": (
            "Deltagare i jobb- och utvecklingsgarantin; personer 20 år eller äldre med minst 200 ersättningsdagar i "
            "jobbgarantin för ungdomar; nyanlända 20 år eller äldre. Högst 12 månader per beslut och 24 månader totalt; "
            "en ny placering kräver 6 månaders arbetslöshet."
        ),
        "parameters": {
            "paths": [
                {"label": "Jobb- och utvecklingsgarantin", "conditions": {"job_guarantee": True}},
                {
                    "label": "20 år eller äldre med minst 200 ersättningsdagar i jobbgarantin för ungdomar",
                    "conditions": {"age_min": 20, "youth_guarantee_days_min": 200},
                },
                {
                    "label": "Nyanländ 20 år eller äldre (uppehållstillstånd inom 36 månader)",
                    "conditions": {"age_min": 20, "residence_permit_within_months": 36},
                },
            ],
            "limits": {"max_months_per_decision": 12, "max_total_months": 24, "new_placement_unemployed_months": 6},
        },
    },
    {
        "subsidy_type": "yrkesintroduktion",
        "version": 1,
        "valid_from": "2014-01-01",
        "source": "Förordning (2013:1157) om stöd för yrkesintroduktionsanställningar – standardvärden enligt DOMAIN §18",
        "source_text": (
            "15–24 år (äldre regler tillät även 25+ arbetslösa 12 månader och nyanlända). Anställning minst 75 % av heltid "
            "i minst 6 månader; med relevant erfarenhet 90 dagar inskriven arbetslös de senaste 4 månaderna; stöd högst "
            "12 månader; den lokala arbetstagarorganisationen yttrar sig innan ansökan skickas."
        ),
        "parameters": {
            "paths": [{"label": "15–24 år", "conditions": {"age_min": 15, "age_max": 24}}],
            "limits": {
                "min_extent_percent": 75,
                "min_employment_months": 6,
                "max_support_months": 12,
                "experienced_unemployed_days": 90,
                "experienced_window_months": 4,
                "union_comment_required": True,
            },
        },
    },
    {
        "subsidy_type": "lonebidrag",
        "version": 1,
        "valid_from": "2018-01-01",
        "source": "Förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning som medför nedsatt "
        "arbetsförmåga – standardvärden enligt DOMAIN §18",
        "source_text": (
            "Funktionsnedsättning som medför nedsatt arbetsförmåga, inskriven på Arbetsförmedlingen; samråd med den lokala "
            "arbetstagarorganisationen. Längsta sammanlagda tid ska kontrolleras mot förordningen."
        ),
        "parameters": {
            "paths": [
                {
                    "label": "Dokumenterad funktionsnedsättning med nedsatt arbetsförmåga",
                    "conditions": {"registered_at_af": True, "disability_documented": True},
                }
            ],
            "limits": {"union_consultation_required": True, "max_total_months": None},
        },
    },
]
