"""OSA - skyddat arbete hos offentlig arbetsgivare (DOMAIN §10, seed 000 section 3) - as pure rules.

No ORM here: given facts, return a decision with reasons, or the follow-up deadlines.
Every time limit of the seed's OSA section, and how it is read:

- "Den inledande anställningsperioden är normalt sex (6) månader."
  -> FIRST_PERIOD_MONTHS = 6; another length (1-12 months) needs a written reason.
- "Därefter sker förlängning med antingen 6 eller 12 månader."
  -> EXTENSION_MONTHS = (6, 12); anything else is refused.
- "den sammanlagda anställningstiden vara under högst två år; dock skall en individuell
  prövning alltid ske" -> MAX_TOTAL_MONTHS = 24; an extension that takes the total past
  it needs a recorded individual review (date, by whom, reasoning); one review per such
  extension.
- "Under den första anvisningsperioden ... gemensamt följa upp och träffa den anställde
  vid minst ett tillfälle" -> FIRST_PERIOD_MEETING, due the first period's last day; done
  by a meeting with Arbetsförmedlingen, the district and the employee.
- "Härefter sker en gemensam uppföljning minst en gång per år." -> YEARLY_MEETING, due 12
  months after the previous joint meeting (or the first period's end if there was none),
  as long as the employment runs to that day.
- "inför anställningstidens slut, då övergång till annat arbete planeras, skall gemensam
  uppföljning ske där den anställde, arbetsförmedlaren, stadsdelsförvaltningen ...,
  jobbtorget och arbetsplatsen deltar" -> FINAL_MEETING, when transition is planned: due
  the employment's last day; done by a meeting of all five parties in the last period.
- "Lokala överenskommelser om antal årsplatser ska träffas årligen" -> annual places per
  district and calendar year.

A month is a calendar month (core.workdays.add_months); a period of n months starting on
day S ends the day before S + n months.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import every
from jobbtorg.core import state_machine
from jobbtorg.core.capabilities import DISTRICT, HOME_DISTRICT
from jobbtorg.core.state_machine import Step
from jobbtorg.core.workdays import add_months
from jobbtorg.osa.vocabulary import (
    ACTIVITY_ACTOR,
    ACTIVITY_CHOICES,
    ACTIVITY_LABELS,
    ACTOR_LABELS,
    CASE_STATUS_LABELS,
    END_REASON_LABELS,
    FOLLOW_UP_LABELS,
    GROUND_LABELS,
    MENU,
    RESPONSIBLE_CHOICES,
    Actor,
    CaseStatus,
    EndReason,
    FollowUpKind,
    Ground,
)

FIRST_PERIOD_MONTHS = 6
EXTENSION_MONTHS = (6, 12)
MAX_TOTAL_MONTHS = 24
YEARLY_MEETING_MONTHS = 12
SMALL_CELL = 5  # counts below this are shown as "<5" where a report may leave the unit

__all__ = [
    "ACTIVITY_ACTOR", "ACTIVITY_CHOICES", "ACTIVITY_LABELS", "ACTOR_LABELS", "FOLLOW_UP_LABELS", "GROUND_LABELS", "MENU",
    "RESPONSIBLE_CHOICES", "Actor", "FollowUpKind", "Ground", "CASE_STATUS_LABELS", "END_REASON_LABELS", "CaseStatus",
    "EndReason",
]


# --- employer -------------------------------------------------------------------------------------


def employer_error(kind: str) -> str | None:
    """The city as employer, never a competition-exposed activity (seed 000)."""
    if kind == "city_administration":
        return None
    if kind == "municipal_company":
        return _(
            "OSA får inte vara hos ett kommunalt bolag: bidraget lämnas inte för konkurrensutsatt verksamhet. "
            "Välj en av stadens förvaltningar."
        )
    if kind == "procured_operation":
        return _(
            "OSA får inte vara hos en upphandlad verksamhet: bidraget lämnas inte för konkurrensutsatt verksamhet. "
            "Välj en av stadens förvaltningar."
        )
    return _("Arbetsgivaren ska vara staden: välj en av stadens förvaltningar.")


# --- periods --------------------------------------------------------------------------------------


def period_end(start: datetime.date, months: int) -> datetime.date:
    return add_months(start, months) - datetime.timedelta(days=1)


def planned_on_error(
    planned_on: datetime.date, employment_start: datetime.date | None, employment_end: datetime.date | None
) -> str | None:
    """An item of the implementation plan is carried out during the employment, from its first
    period's start to its last period's end (issue 8 item 11)."""
    if employment_start is None or employment_end is None or employment_start <= planned_on <= employment_end:
        return None
    return _("Planera insatsen inom anställningen (%(first)s – %(last)s).") % {
        "first": employment_start.isoformat(),
        "last": employment_end.isoformat(),
    }


def handover_error(handover_on: datetime.date, employment_end: datetime.date | None) -> str | None:
    """A new district takes over while the employment lasts (issue 8 item 11)."""
    if employment_end is None or handover_on <= employment_end:
        return None
    return _("Övertagandet ska ske medan anställningen pågår (senast %(date)s).") % {"date": employment_end.isoformat()}


def first_period_errors(months: int | None, length_reason: str) -> dict[str, str]:
    if months is None or months < 1 or months > 12:
        return {"months": _("Ange den inledande periodens längd i hela månader (normalt 6).")}
    if months != FIRST_PERIOD_MONTHS and not length_reason.strip():
        return {"length_reason": _("Den inledande perioden är normalt 6 månader. Skriv skälet till en annan längd.")}
    return {}


@dataclass(frozen=True)
class ExtensionDecision:
    allowed: bool
    errors: dict[str, str]
    total_months: int  # cumulative length after the extension
    needs_review: bool


def extension(months: int | None, total_before: int, has_unused_review: bool) -> ExtensionDecision:
    """May the employment be extended by `months`, given the months already decided?"""
    if months not in EXTENSION_MONTHS:
        return ExtensionDecision(False, {"months": _("En förlängning är antingen 6 eller 12 månader.")}, total_before, False)
    total = total_before + months
    needs_review = total > MAX_TOTAL_MONTHS
    if needs_review and not has_unused_review:
        return ExtensionDecision(
            False,
            {
                "months": _(
                    "Förlängningen ger en sammanlagd anställningstid på %(total)s månader, mer än 24. "
                    "Registrera en individuell prövning (datum, av vem och motivering) först."
                )
                % {"total": total}
            },
            total,
            True,
        )
    return ExtensionDecision(True, {}, total, needs_review)


# --- follow-up deadlines --------------------------------------------------------------------------


JOINT_PARTIES = frozenset({"employee", "af", "district"})
ALL_PARTIES = frozenset({"employee", "af", "district", "jobbtorg", "workplace"})


@dataclass(frozen=True)
class Meeting:
    held_on: datetime.date
    parties: frozenset[str]

    @property
    def joint(self) -> bool:
        return JOINT_PARTIES <= self.parties

    @property
    def all_parties(self) -> bool:
        return ALL_PARTIES <= self.parties


@dataclass(frozen=True)
class FollowUp:
    kind: FollowUpKind
    due: datetime.date
    done_on: datetime.date | None
    sequence: int = 0  # the n:th yearly meeting


def follow_ups(
    periods: list[tuple[datetime.date, datetime.date]], meetings: list[Meeting], transition_planned: bool
) -> list[FollowUp]:
    """Every follow-up the seed requires for these periods and meetings, done or not.

    `periods` in order, (start, end) inclusive. A meeting completes the earliest open
    follow-up it qualifies for; a late meeting still completes it (done after due).
    """
    if not periods:
        return []
    first_start, first_end = periods[0]
    last_start, employment_end = periods[-1][0], max(end for _s, end in periods)
    joint = sorted(m.held_on for m in meetings if m.joint and m.held_on >= first_start)
    result: list[FollowUp] = []

    first_done = joint[0] if joint else None
    result.append(FollowUp(FollowUpKind.FIRST_PERIOD_MEETING, first_end, first_done))

    anchor = first_done or first_end
    sequence = 1
    while True:
        due = add_months(anchor, YEARLY_MEETING_MONTHS)
        if due > employment_end:
            break
        done = next((d for d in joint if d > anchor), None)
        result.append(FollowUp(FollowUpKind.YEARLY_MEETING, due, done, sequence))
        if done is None:
            break
        anchor, sequence = done, sequence + 1

    if transition_planned:
        final = sorted(m.held_on for m in meetings if m.all_parties and m.held_on >= last_start)
        result.append(FollowUp(FollowUpKind.FINAL_MEETING, employment_end, final[0] if final else None))
    return result


# --- transfer between districts -------------------------------------------------------------------


def responsible_district(initial_district_id: int, transfers: list[tuple[datetime.date, int, int]], on: datetime.date) -> int:
    """Who is responsible on `on`: the old district until the handover date it decided, then the new one.

    `transfers`: (handover_on, from_district_id, to_district_id), any order.
    """
    current = initial_district_id
    for handover_on, _from, to in sorted(transfers):
        if handover_on <= on:
            current = to
    return current


# --- annual places --------------------------------------------------------------------------------


def days_in_year(year: int) -> int:
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def overlap_days(start: datetime.date, end: datetime.date, year: int) -> int:
    lo = max(start, datetime.date(year, 1, 1))
    hi = min(end, datetime.date(year, 12, 31))
    return max(0, (hi - lo).days + 1)


def utilisation(planned: int, used_place_years: float) -> float | None:
    """Used place-years as a percentage of the planned places; None when nothing was planned."""
    if not planned:
        return None
    return round(100 * used_place_years / planned, 1)


def suppress(count: int) -> str | int:
    """Small counts leave the unit as "<5" (0 is shown: it identifies no one)."""
    return "<5" if 0 < count < SMALL_CELL else count


def responsibility_segments(
    start: datetime.date, end: datetime.date, initial_district_id: int, transfers: list[tuple[datetime.date, int, int]]
) -> list[tuple[datetime.date, datetime.date, int]]:
    """Split [start, end] at each handover date: (from, to, responsible district) pieces."""
    pieces: list[tuple[datetime.date, datetime.date, int]] = []
    owner, cursor = initial_district_id, start
    for handover_on, _from, to in sorted(transfers):
        if handover_on <= cursor:
            owner = to
            continue
        if handover_on > end:
            break
        pieces.append((cursor, handover_on - datetime.timedelta(days=1), owner))
        owner, cursor = to, handover_on
    pieces.append((cursor, end, owner))
    return pieces


# Who may do what with OSA (core.capabilities, ADR 0013). Cases are the OSA officer's of the
# responsible district (osa.access: the home district, or the old one until the handover);
# the yearly places are read by the officers, unit managers, analysts and the administrator.
CAPABILITIES: dict[str, dict[str, str]] = {
    "read": {Role.OSA_OFFICER: HOME_DISTRICT},
    "manage": {Role.OSA_OFFICER: HOME_DISTRICT},
    "places": every((Role.OSA_OFFICER, Role.UNIT_MANAGER, Role.ANALYST, Role.SYSADMIN)),
    "manage_places": {Role.OSA_OFFICER: DISTRICT},  # the officer's own district's places
}


# --- the case's state machine (ADR 0014) ---------------------------------------------------------


class CaseAction(StrEnum):
    EXTEND = "extend"
    REVIEW = "review"
    PLAN = "plan"
    MEETING = "meeting"
    TRANSITION = "transition"
    TRANSFER = "transfer"
    END = "end"


# (status, action) → next status and capability (CAPABILITIES "manage": the officer of the district
# responsible for the case today; osa.access decides the relation). An ended employment takes no
# further step.
TRANSITIONS: dict[tuple[str, str], Step] = {
    (CaseStatus.ACTIVE, CaseAction.EXTEND): Step(CaseStatus.ACTIVE, "manage"),
    (CaseStatus.ACTIVE, CaseAction.REVIEW): Step(CaseStatus.ACTIVE, "manage"),
    (CaseStatus.ACTIVE, CaseAction.PLAN): Step(CaseStatus.ACTIVE, "manage"),
    (CaseStatus.ACTIVE, CaseAction.MEETING): Step(CaseStatus.ACTIVE, "manage"),
    (CaseStatus.ACTIVE, CaseAction.TRANSITION): Step(CaseStatus.ACTIVE, "manage"),
    (CaseStatus.ACTIVE, CaseAction.TRANSFER): Step(CaseStatus.ACTIVE, "manage"),
    (CaseStatus.ACTIVE, CaseAction.END): Step(CaseStatus.ENDED, "manage"),
}


def allowed_actions(status: str, permitted: Callable[[str], bool]) -> list[str]:
    """The steps from `status` whose capability `permitted` grants, for a user already reaching the
    case through osa.access."""
    return state_machine.allowed(TRANSITIONS, status, permitted)


def next_status(status: str, action: str) -> str:
    """The status after `action`; a DomainError when the table has no such step."""
    return state_machine.next_status(TRANSITIONS, status, action, _("OSA-anställningen är avslutad och kan inte ändras."))


def end_errors(
    *,
    reason: str,
    reason_text: str,
    ended_on: datetime.date | None,
    employment_start: datetime.date,
    employment_end: datetime.date,
    today: datetime.date,
) -> dict[str, str]:
    """An employment ends within its decided periods (first day to the last period's last day), not
    in the future; when the time ran out it ends on the last period's last day."""
    errors: dict[str, str] = {}
    if reason not in {r.value for r in EndReason}:
        errors["reason"] = _("Välj varför anställningen avslutas.")
    elif reason == EndReason.OTHER and not reason_text.strip():
        errors["reason_text"] = _("Beskriv skälet när du väljer Annat skäl.")
    if ended_on is None:
        errors["ended_on"] = _("Ange avslutsdatum.")
    elif ended_on > today:
        errors["ended_on"] = _("Avslutsdatum kan inte vara i framtiden. Registrera avslutet när anställningen har upphört.")
    elif not employment_start <= ended_on <= employment_end:
        errors["ended_on"] = _("Ange ett avslutsdatum inom anställningen (%(first)s – %(last)s).") % {
            "first": employment_start.isoformat(),
            "last": employment_end.isoformat(),
        }
    elif reason == EndReason.PERIOD_ENDED and ended_on != employment_end:
        errors["ended_on"] = _("När anställningstiden löpt ut är avslutsdatum periodens sista dag, %(date)s.") % {
            "date": employment_end.isoformat()
        }
    return errors
