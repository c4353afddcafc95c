"""Every deadline of the participant's path (DOMAIN §4, §7) as a named rule.

Pure functions, no ORM: given the start fact, return the due date. The table
below is the single source; services store the computed due date on a
Deadline row so "what is overdue for this coach today" is one indexed query.

"5 dagar" in the founding decision (seed 002) is read as working days: the
Jobbtorg and the districts work Monday–Friday, and a plan can not be drawn up
with the participant on a Sunday (docs/adr/0007-deadline-day-counts.md). The
unit of each rule is data here, so changing the reading is a one-line change.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_noop as N_

from jobbtorg.core.workdays import add_months, add_working_days


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    SUBJECT = "subject"  # the subject's own rules compute the due date; the service passes it


class Subject(StrEnum):
    """What a deadline's `subject_id` refers to (None: the participation itself)."""

    PARTICIPATION = "participation"
    PLAN = "plans.Plan"
    ACTIVITY = "activities.Activity"
    DEVIATION = "activities.Deviation"
    SUBSIDY_STEP = "subsidies.SubsidyStep"
    OSA_CASE = "osa.OsaCase"


class Responsible(StrEnum):
    COACH = "coach"
    DISTRICT = "district"
    OSA = "osa"  # the OSA officer of the district responsible for the case


class Kind(StrEnum):
    FIRST_APPOINTMENT = "first_appointment"
    JOB_GUARANTEE_OFFER = "job_guarantee_offer"
    PLAN_DRAWN_UP = "plan_drawn_up"
    PLAN_APPROVAL = "plan_approval"
    PLAN_REVIEW = "plan_review"
    PARTICIPATION_LIMIT_WARNING = "participation_limit_warning"
    PARTICIPATION_LIMIT = "participation_limit"
    ACTIVITY_FOLLOWUP = "activity_followup"
    DEVIATION_ACKNOWLEDGEMENT = "deviation_acknowledgement"
    FOLLOWUP_2_MONTHS = "followup_2_months"
    FOLLOWUP_8_MONTHS = "followup_8_months"
    SUBSIDY_STEP = "subsidy_step"
    # The values are osa.rules.FollowUpKind's, so an OSA case's rows keep their names.
    OSA_FIRST_PERIOD_MEETING = "first_period_meeting"
    OSA_YEARLY_MEETING = "yearly_meeting"
    OSA_FINAL_MEETING = "final_meeting"


class State(StrEnum):
    """The one vocabulary of a deadline's state, for every list, badge, page and API."""

    OVERDUE = "overdue"
    DUE = "due"  # today or within DUE_SOON_WORKING_DAYS
    UPCOMING = "upcoming"
    PAUSED = "paused"
    DONE = "done"


DUE_SOON_WORKING_DAYS = 3

# "Snart" (soon) is shown only inside a rule's warning window: a running clock due within so many
# calendar days; further off it is "Kommande". A clock counted in months warns a month ahead.
WARNING_DAYS = 14
WARNING_DAYS_MONTHS = 31


class Shown(StrEnum):
    """What a page says about a deadline: State, with UPCOMING split at the rule's warning window."""

    OVERDUE = "overdue"
    DUE = "due"
    SOON = "soon"
    UPCOMING = "upcoming"
    PAUSED = "paused"
    DONE = "done"


@dataclass(frozen=True)
class Rule:
    kind: Kind
    label: str  # Swedish msgid (marked with N_), translated where shown (Deadline.label)
    amount: int
    unit: Unit
    responsible: str  # Responsible: who acts
    source: str
    subject: Subject = Subject.PARTICIPATION

    @property
    def warning_days(self) -> int:
        """The warning window: how many calendar days before the due date the deadline is "Snart"."""
        return WARNING_DAYS_MONTHS if self.unit == Unit.MONTHS else WARNING_DAYS

    def due(self, start: datetime.date) -> datetime.date:
        if self.unit == Unit.SUBJECT:
            raise ValueError(f"{self.kind}: the due date comes from the subject's own rules")
        if self.unit == Unit.WORKING_DAYS:
            return add_working_days(start, self.amount)
        if self.unit == Unit.MONTHS:
            return add_months(start, self.amount)
        return start + datetime.timedelta(days=self.amount)


RULES: dict[Kind, Rule] = {
    rule.kind: rule
    for rule in [
        Rule(Kind.FIRST_APPOINTMENT, N_("Första besök"), 5, Unit.WORKING_DAYS, "coach", "DOMAIN §4.1: tid direkt vid anvisning"),
        Rule(Kind.JOB_GUARANTEE_OFFER, N_("Jobbgaranti: arbete eller utbildning erbjuds"), 5, Unit.WORKING_DAYS, "coach",
             "DOMAIN §4.1, seed 002: inom fem dagar"),
        Rule(Kind.PLAN_DRAWN_UP, N_("Aktivitetsplan upprättas"), 5, Unit.WORKING_DAYS, "coach",
             "DOMAIN §4.4, seed 002: inom 5 dagar från ankomst"),
        Rule(Kind.PLAN_APPROVAL, N_("Stadsdelen godkänner aktivitetsplan"), 5, Unit.WORKING_DAYS, "district",
             "DOMAIN §4.4: planen godkänns av stadsdelen (servicenivå, konfigurerbar)", Subject.PLAN),
        Rule(Kind.PLAN_REVIEW, N_("Omprövning av aktivitetsplan"), 6, Unit.MONTHS, "coach",
             "DOMAIN §4.4, seed 002: högst sex månader, därefter omprövning", Subject.PLAN),
        Rule(Kind.PARTICIPATION_LIMIT_WARNING, N_("18 månader närmar sig (en månad kvar)"), 17, Unit.MONTHS, "coach",
             "DOMAIN §4.4: högst 18 månader, varning en månad före"),
        Rule(Kind.PARTICIPATION_LIMIT, N_("18 månaders deltagande nås"), 18, Unit.MONTHS, "coach",
             "DOMAIN §4.4, seed 002: som längst 18 månader"),
        Rule(Kind.ACTIVITY_FOLLOWUP, N_("Uppföljning av insats"), 0, Unit.CALENDAR_DAYS, "coach",
             "DOMAIN §4.5: efter avslutad insats ska en uppföljning ske", Subject.ACTIVITY),
        Rule(Kind.DEVIATION_ACKNOWLEDGEMENT, N_("Stadsdelen kvitterar avvikelse"), 2, Unit.WORKING_DAYS, "district",
             "DOMAIN §6: avvikelserapport till stadsdelen (servicenivå, konfigurerbar)", Subject.DEVIATION),
        Rule(Kind.FOLLOWUP_2_MONTHS, N_("Uppföljning 2 månader efter avslut"), 2, Unit.MONTHS, "coach",
             "DOMAIN §7: uppföljning 2 och 8 månader efter avslut"),
        Rule(Kind.FOLLOWUP_8_MONTHS, N_("Uppföljning 8 månader efter avslut"), 8, Unit.MONTHS, "coach",
             "DOMAIN §7: uppföljning 2 och 8 månader efter avslut"),
        # The coach follows every step of the participant's subsidy case, Arbetsförmedlingen's too.
        Rule(Kind.SUBSIDY_STEP, N_("Stödanställning: steg att göra"), 0, Unit.SUBJECT, "coach",
             "DOMAIN §18, seed 000: stegen i subsidies.rules.STEP_RULES", Subject.SUBSIDY_STEP),
        Rule(Kind.OSA_FIRST_PERIOD_MEETING, N_("OSA: gemensamt möte under första perioden"), 0, Unit.SUBJECT, "osa",
             "seed 000 (OSA): osa.rules.follow_ups", Subject.OSA_CASE),
        Rule(Kind.OSA_YEARLY_MEETING, N_("OSA: gemensam uppföljning minst en gång per år"), 0, Unit.SUBJECT, "osa",
             "seed 000 (OSA): osa.rules.follow_ups", Subject.OSA_CASE),
        Rule(Kind.OSA_FINAL_MEETING, N_("OSA: gemensam uppföljning inför anställningens slut"), 0, Unit.SUBJECT, "osa",
             "seed 000 (OSA): osa.rules.follow_ups", Subject.OSA_CASE),
    ]
}

# Deadlines that keep running after closure; every other open deadline is cancelled at closure.
POST_CLOSURE = {Kind.FOLLOWUP_2_MONTHS, Kind.FOLLOWUP_8_MONTHS}

LIMIT_MONTHS = 18

OSA_KINDS = (Kind.OSA_FIRST_PERIOD_MEETING, Kind.OSA_YEARLY_MEETING, Kind.OSA_FINAL_MEETING)

# Clocks their subject's own rules keep (unit SUBJECT): an interruption or a closure of the
# participation does not pause or cancel them here; the subject's service decides (a subsidy
# step pauses for a completion, not for an interruption).
SUBJECT_KINDS = frozenset(rule.kind for rule in RULES.values() if rule.unit == Unit.SUBJECT)


def state_of(*, is_open: bool, due: datetime.date | None, paused_on: datetime.date | None,
             today: datetime.date) -> State:
    """The one place that says what is overdue: a running clock whose due date has passed.

    `due` soon is today or within DUE_SOON_WORKING_DAYS working days; a paused clock is never
    overdue (its due date moves when it resumes); a clock without a due date has not started.
    """
    if not is_open:
        return State.DONE
    if paused_on is not None:
        return State.PAUSED
    if due is None:
        return State.UPCOMING
    if due < today:
        return State.OVERDUE
    if due <= add_working_days(today, DUE_SOON_WORKING_DAYS):
        return State.DUE
    return State.UPCOMING


def shown_state(state: State, kind: str, due: datetime.date | None, today: datetime.date) -> Shown:
    """What the page calls the deadline: "Snart" only inside the rule's warning window."""
    if state != State.UPCOMING:
        return Shown(state.value)
    rule = RULES.get(Kind(kind)) if kind in Kind._value2member_map_ else None
    window = rule.warning_days if rule else WARNING_DAYS
    if due is not None and due <= today + datetime.timedelta(days=window):
        return Shown.SOON
    return Shown.UPCOMING


def due_date(kind: Kind, start: datetime.date) -> datetime.date:
    return RULES[kind].due(start)


def shift_for_pause(due: datetime.date, paused_on: datetime.date, resumed_on: datetime.date) -> datetime.date:
    """A paused clock resumes where it stopped: the due date moves by the pause's length."""
    return due + (resumed_on - paused_on)


def active_days(periods: list[tuple[datetime.date, datetime.date | None]],
                pauses: list[tuple[datetime.date, datetime.date | None]],
                today: datetime.date) -> int:
    """Days of active participation: the sum of periods (arrival → closure or today)
    minus the days inside interruptions. Open ends count up to `today`."""
    def days(start: datetime.date, end: datetime.date | None) -> set[datetime.date]:
        stop = min(end or today, today)
        return {start + datetime.timedelta(days=i) for i in range(max(0, (stop - start).days))}

    active: set[datetime.date] = set()
    for start, end in periods:
        active |= days(start, end)
    for start, end in pauses:
        active -= days(start, end)
    return len(active)


def limit_date(
    periods: list[tuple[datetime.date, datetime.date | None]],
    pauses: list[tuple[datetime.date, datetime.date | None]],
    months: int,
    today: datetime.date,
) -> datetime.date:
    """The day the participation limit is reached, counted from the real dates of the history.

    The limit is `months` calendar months measured from the first arrival, in days. Those days
    are walked through the active days — inside a period (arrival → closure) and outside a pause
    (interruption → restart) — so a history registered after the fact (a late entry, a data
    migration) gives the same date as one registered on its days, and a date in the past when
    the limit has already been passed (issue 8 item 12). The date is the day on which every
    allowed day has been used; a pause that begins on that very day moves it, as `shift_for_pause`
    moves a paused clock.

    Open ends: a running participation runs on; a running interruption counts as if the person
    came back today (its clocks are paused meanwhile, see services.pause); when no participation
    runs, the remaining days count from today, as if the person came back today.
    """
    if not periods:
        raise ValueError("limit_date needs at least one period")
    first = min(start for start, _end in periods)
    remaining = (add_months(first, months) - first).days
    for start, end in _active_segments(periods, pauses, today):
        length = None if end is None else (end - start).days
        if length is None or remaining < length:
            return start + datetime.timedelta(days=remaining)
        remaining -= length
    raise AssertionError("the last active segment is open")  # pragma: no cover


_OPEN = datetime.date.max


def _active_segments(periods: list[tuple[datetime.date, datetime.date | None]],
                     pauses: list[tuple[datetime.date, datetime.date | None]],
                     today: datetime.date) -> list[tuple[datetime.date, datetime.date | None]]:
    """The active days as sorted, disjoint [start, end) segments; the last one is open (end None)."""
    spans = sorted((start, end or _OPEN) for start, end in periods)
    if all(end != _OPEN for _start, end in spans):
        spans.append((max(today, *(end for _start, end in spans)), _OPEN))
    merged: list[tuple[datetime.date, datetime.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    cuts = sorted((start, end if end is not None else max(start, today)) for start, end in pauses)
    segments: list[tuple[datetime.date, datetime.date | None]] = []
    for start, end in merged:
        for cut_start, cut_end in cuts:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                segments.append((start, cut_start))
            start = max(start, cut_end)
            if start >= end:
                break
        if start < end:
            segments.append((start, None if end == _OPEN else end))
    return segments
