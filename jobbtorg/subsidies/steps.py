"""The timed steps of a subsidy case as data (seed 000 sections 1–2): which steps, their
limits and what starts each clock. Plain data without the ORM or the models, so the
models, the rules and the selectors all import it and no cycle hides behind a
function-level import (ADR 0015).

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

import datetime
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.core.types import StrOrPromise
from jobbtorg.core.workdays import add_months, add_working_days

# subsidies.models.Route.LOCAL_OFFICE, spelled out: the models import this module.
ROUTE_LOCAL_OFFICE = "local_office"


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

    @property
    def code(self) -> str:
        """The step's own number, unique within the process: the seed's step number, with a letter
        when the seed's step holds several timed tasks (2a, 2b; 3a, 3b; 7a–7c). Empty outside the
        lönebidrag process (number 0)."""
        return STEP_CODES.get(self.kind, "")

    @property
    def title(self) -> str:
        """"Steg 2b: Order skickad till Lönestödsfunktionen" — how a step is named to people."""
        return self.title_for("")

    def title_for(self, route: str) -> str:
        if not self.code:
            return self.label_for(route)
        return _("Steg %(code)s: %(label)s") % {"code": self.code, "label": self.label_for(route)}

    def label_for(self, route: str) -> str:
        if route == ROUTE_LOCAL_OFFICE and self.label_local_office:
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



def _codes(rules: dict[StepKind, StepRule]) -> dict[StepKind, str]:
    """Unique step numbers: a seed step with one task keeps its number; several tasks get a, b, c in order."""
    by_number: dict[int, list[StepRule]] = {}
    for rule in sorted(rules.values(), key=lambda r: r.seq):
        if rule.number:
            by_number.setdefault(rule.number, []).append(rule)
    codes: dict[StepKind, str] = {}
    for number, group in by_number.items():
        for i, rule in enumerate(group):
            codes[rule.kind] = str(number) if len(group) == 1 else f"{number}{'abcdefgh'[i]}"
    return codes


STEP_CODES: dict[StepKind, str] = _codes(STEP_RULES)

LONEBIDRAG_STEPS: tuple[StepKind, ...] = tuple(k for k in StepKind if k.value.startswith("lb_"))
# The steps created with every lönebidrag case (the completion sub-step is created on demand).
LONEBIDRAG_CREATED = tuple(k for k in LONEBIDRAG_STEPS if k != StepKind.LB_3_COMPLETION)
AF_EMPLOYER_LINE = "0771-508 508"


def step_due(kind: StepKind, start: datetime.date) -> datetime.date | None:
    return STEP_RULES[kind].due(start)


def shift_for_pause(due: datetime.date, paused_on: datetime.date, resumed_on: datetime.date) -> datetime.date:
    """A paused clock resumes where it stopped: the due date moves by the pause's length."""
    return due + (resumed_on - paused_on)
