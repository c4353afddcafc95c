"""A participation's history as the services would have written it, built as rows in memory.

The demo seed draws the dates of a participant's path (referral, arrival, plan steps,
activities, closure); this module turns them into the rows the domain's services write
on those days — the referral, the booked first appointment, the timeline entries, the
deadlines with their due dates from `deadlines.rules`, the plan versions with their
decision history (`plans.rules.TRANSITIONS`), the post-closure follow-ups — so the seed
can insert them in bulk and still look like a city in use (issue 9 item 7, ADR 0019).

One function per aggregate (referral, enrolment, plans, activities, closure), each
mirroring its service: when a service changes what it writes, the function next to it
here is the one to adapt. Rows point at each other with `Ref`, resolved to ids when
the batch is inserted. Deadlines are kept per participation in `Clocks`, which applies
open/complete/cancel/pause exactly as `deadlines.services` does on stored rows.
"""

import datetime
import functools
import random
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from jobbtorg.activities.models import Activity, ActivityFollowUp, ActivityStatus, FollowUpDecision
from jobbtorg.core.workdays import add_working_days as _add_working_days
from jobbtorg.deadlines import rules as deadline_rules
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import (
    Appointment,
    Interruption,
    InterruptionReason,
    Participation,
    PostClosureFollowUp,
    Status,
)
from jobbtorg.participations.services import FOLLOWUP_KINDS, describe_outcome
from jobbtorg.plans import rules as plan_rules
from jobbtorg.plans.models import ActivityPlan, Decision, PlanDecision, PlannedActivity
from jobbtorg.plans.models import Status as PlanStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.timeline.models import TimelineEntry

Row = dict[str, Any]

# The services' texts, translated once per run: a seed writes the same few msgids millions of times.
_ = functools.cache(gettext)
# Pure date rules, asked the same questions over and over (most rows share a handful of dates).
add_working_days = functools.cache(_add_working_days)
due_date = functools.cache(deadline_rules.due_date)


class Ref:
    """The id of a row not inserted yet; replaced by the id when the batch is written."""

    __slots__ = ("row",)

    def __init__(self, row: Row) -> None:
        self.row = row


def resolve(row: Row) -> None:
    """Replace every Ref in a row (and one level into its JSON `data`) with the row's id."""
    for name, value in row.items():
        if isinstance(value, Ref):
            row[name] = value.row["id"]
        elif name == "data" and isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, Ref):
                    value[key] = inner.row["id"]


@dataclass(frozen=True)
class Author:
    """Who signs a timeline entry (timeline.services.append without a User object)."""

    id: int | None
    name: str
    role: str


SYSTEM = Author(None, "system", "system")


@dataclass
class Rows:
    """The rows of one batch, by model, in insertion order (a model before the models pointing at it)."""

    by_model: dict[type, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, model: type, row: Row) -> Row:
        self.by_model[model].append(row)
        return row


# Insertion order: each model after the ones its rows point at.
ORDER: tuple[type, ...] = (
    Participation,
    Referral,
    Referral.target_groups.through,
    Appointment,
    Interruption,
    ActivityPlan,
    PlanDecision,
    PlannedActivity,
    Activity,
    ActivityFollowUp,
    PostClosureFollowUp,
    Deadline,
    TimelineEntry,
)


class Clocks:
    """One participation's deadlines, kept as deadlines.services keeps the stored rows."""

    def __init__(self, rows: Rows, participation: Row) -> None:
        self.rows = rows
        self.participation = participation
        self.paused_on: datetime.date | None = None
        self.open_rows: list[Row] = []
        self.subjects: dict[int, Row | None] = {}  # id(deadline row) -> the plan or activity row it is about

    def open(self, kind: Kind, start: datetime.date | None = None, *, due: datetime.date | None = None,
             subject: Row | None = None) -> Row:
        if due is None:
            assert start is not None
            due = due_date(kind, start)
        for row in self.open_rows:
            if row["kind"] == kind.value and self.subjects[id(row)] is subject:
                row["due_date"] = due
                return row
        responsible = deadline_rules.RULES[kind].responsible
        row = self.rows.add(Deadline, {
            "participation_id": Ref(self.participation),
            "kind": kind.value,
            "subject_id": Ref(subject) if subject is not None else None,
            "due_date": due,
            "status": Deadline.Status.OPEN.value,
            "responsible": responsible,
            "district_id": self.participation["home_district_id"] if responsible == "district" else None,
            "paused_on": self.paused_on if self.paused_on is not None and due >= self.paused_on else None,
            "done_on": None,
        })
        self.open_rows.append(row)
        self.subjects[id(row)] = subject
        return row

    def _stop(self, kind: Kind | None, on: datetime.date, status: str, subject: Row | None = None,
              keep: frozenset[str] = frozenset()) -> None:
        for row in list(self.open_rows):
            if kind is not None and row["kind"] != kind.value:
                continue
            if subject is not None and self.subjects[id(row)] is not subject:
                continue
            if row["kind"] in keep:
                continue
            row["status"] = status
            row["done_on"] = on
            self.open_rows.remove(row)

    def complete(self, kind: Kind, on: datetime.date, subject: Row | None = None) -> None:
        self._stop(kind, on, Deadline.Status.DONE.value, subject)

    def cancel(self, kind: Kind, on: datetime.date, subject: Row | None = None) -> None:
        self._stop(kind, on, Deadline.Status.CANCELLED.value, subject)

    def cancel_at_closure(self, on: datetime.date) -> None:
        self._stop(None, on, Deadline.Status.CANCELLED.value, keep=frozenset(k.value for k in deadline_rules.POST_CLOSURE))

    def pause(self, on: datetime.date) -> None:
        self.paused_on = on
        for row in self.open_rows:
            if row["paused_on"] is None and row["due_date"] >= on:
                row["paused_on"] = on


@dataclass
class Path:
    """What the seed drew for one participation, and the writers that fill in its history."""

    rows: Rows
    participation: Row
    person: Row
    today: datetime.date
    coach: Author
    social_worker: Author
    clocks: Clocks = field(init=False)

    def __post_init__(self) -> None:
        self.clocks = Clocks(self.rows, self.participation)

    def note(self, kind: str, on: datetime.date, text: str, author: Author, data: dict[str, Any] | None = None) -> None:
        """timeline.services.append for this participation."""
        self.rows.add(TimelineEntry, {
            "person_id": Ref(self.person),
            "participation_id": Ref(self.participation),
            "kind": kind,
            "occurred_on": on,
            "author_id": author.id,
            "author_name": author.name,
            "author_role": author.role,
            "text": text,
            "data": data or {},
            "corrects_id": None,
        })


# --- referral (referrals.services.create_referral) -----------------------------------------------


@dataclass(frozen=True)
class Group:
    id: int
    code: str
    name: str
    is_job_guarantee: bool
    needs_consent: bool
    needs_conditions: bool


# A coach is never booked twice at one time (participations: appointment_one_per_coach_and_time):
# each first visit of a coach's day takes the next half hour from 10:00, round the working day.
_VISIT_SLOTS = [datetime.time(8 + (4 + i) // 2 % 9, 30 * (i % 2)) for i in range(18)]
_visits_booked: defaultdict[tuple[int, datetime.date], int] = defaultdict(int)


def _visit_slot(coach_id: int, day: datetime.date) -> datetime.time:
    n = _visits_booked[(coach_id, day)]
    _visits_booked[(coach_id, day)] = n + 1
    return _VISIT_SLOTS[n % len(_VISIT_SLOTS)]


def referral(path: Path, groups: list[Group], district_name: str, unit_name: str, unit_id: int,
             appointment_on: datetime.date | None, place: str) -> None:
    """The referral with its target groups, the first appointment booked with it, and the first clocks."""
    p = path.participation
    referred_on: datetime.date = p["referred_on"]
    consent = any(g.needs_consent for g in groups)
    ref = path.rows.add(Referral, {
        "participation_id": Ref(p),
        "district_id": p["home_district_id"],
        "referred_by_id": path.social_worker.id,
        "referred_on": referred_on,
        "basis": _("Beslut om försörjningsstöd med krav på deltagande i kompetenshöjande insats."),
        "consent_given_on": referred_on if consent else None,
        "consent_scope": _("Uppgifter om deltagandet till jobbtorget och stadsdelen.") if consent else "",
        "legal_ground": "" if consent else "4 kap. 5 § socialtjänstlagen (2025:400)",
        "other_need_assessed": any(g.needs_conditions for g in groups),
        "other_af_no_measure": any(g.needs_conditions for g in groups),
        "other_assistance_decision": any(g.needs_conditions for g in groups),
        "derived_unit_id": unit_id,
        "source": Referral.Source.FORM.value,
        "state": Referral.State.SUBMITTED.value,
    })
    through = Referral.target_groups.through
    for group in groups:
        path.rows.add(through, {"referral_id": Ref(ref), "targetgroup_id": group.id})
    path.note(
        "referral_received", referred_on,
        _("Anvisad av %(district)s till %(unit)s. Målgrupper: %(groups)s.")
        % {"district": district_name, "unit": unit_name, "groups": ", ".join(g.name for g in groups)},
        path.social_worker,
        {"referral": Ref(ref), "source": Referral.Source.FORM.value, "groups": [g.code for g in groups]},
    )
    if appointment_on is not None and path.coach.id is not None:
        slot = _visit_slot(path.coach.id, appointment_on)
        starts_at = timezone.make_aware(datetime.datetime.combine(appointment_on, slot))
        appointment = path.rows.add(Appointment, {
            "participation_id": Ref(p), "kind": Appointment.Kind.FIRST.value, "starts_at": starts_at,
            "place": place, "coach_id": path.coach.id, "booked_by_id": path.social_worker.id,
        })
        path.clocks.open(Kind.FIRST_APPOINTMENT, due=appointment_on)
        path.note(
            "appointment_booked", referred_on,
            _("Besökstid bokad %(at)s, %(place)s, med %(coach)s.")
            % {"at": f"{appointment_on.isoformat()} {slot:%H:%M}", "place": place, "coach": path.coach.name},
            path.social_worker, {"appointment": Ref(appointment), "kind": Appointment.Kind.FIRST.value},
        )
    else:
        path.clocks.open(Kind.FIRST_APPOINTMENT, referred_on)
    if any(g.is_job_guarantee for g in groups):
        path.clocks.open(Kind.JOB_GUARANTEE_OFFER, referred_on)


# --- enrolment (participations.services: record_arrival, assign_coach, sign_off_information, ...) ----


def enrolment(path: Path, periods: list[tuple[datetime.date, datetime.date | None]], job_guarantee: bool,
              rng: random.Random) -> None:
    """Arrival, the coach, the information signed off, the job-guarantee offer; the plan and limit clocks."""
    p = path.participation
    arrived: datetime.date = p["arrived_on"]
    path.clocks.complete(Kind.FIRST_APPOINTMENT, arrived)
    path.clocks.open(Kind.PLAN_DRAWN_UP, arrived)
    _limit_clocks(path, periods)
    path.note("participant_arrived", arrived, _("Deltagaren kom till jobbtorget och är inskriven."), path.coach)
    path.note("coach_assigned", arrived, _("%(coach)s är personlig coach.") % {"coach": path.coach.name}, SYSTEM,
              {"coach": path.coach.id})
    path.note(
        "information_signed_off", arrived,
        _("Deltagaren har informerats om rättigheter, skyldigheten att delta och konsekvenserna av att inte delta."),
        path.coach,
    )
    if job_guarantee:
        offered = min(add_working_days(p["referred_on"], rng.randint(1, 5)), path.today)
        offered = max(offered, arrived)
        p["job_guarantee_offer_on"] = offered
        path.clocks.complete(Kind.JOB_GUARANTEE_OFFER, offered)
        path.note("job_guarantee_offer_made", offered,
                  _("Jobbgaranti: erbjudande lämnat – %(text)s") % {"text": _("Arbete inom lokalvård, start inom en vecka.")},
                  path.coach)


def _limit_clocks(path: Path, periods: list[tuple[datetime.date, datetime.date | None]],
                  pauses: list[tuple[datetime.date, datetime.date | None]] | None = None) -> None:
    """participations.services.refresh_limit_deadlines over the person's periods so far: the same
    dates as participations.rules.participation_limit, without counting the days used (not stored)."""
    months, pauses = deadline_rules.LIMIT_MONTHS, pauses or []
    path.clocks.open(Kind.PARTICIPATION_LIMIT_WARNING, due=deadline_rules.limit_date(periods, pauses, months - 1, path.today))
    path.clocks.open(Kind.PARTICIPATION_LIMIT, due=deadline_rules.limit_date(periods, pauses, months, path.today))


def interruption(path: Path, start: datetime.date, periods: list[tuple[datetime.date, datetime.date | None]]) -> None:
    """participations.services.interrupt: status interrupted, the clocks stop on `start`."""
    p = path.participation
    p["status"] = Status.INTERRUPTED.value
    row = path.rows.add(Interruption, {
        "participation_id": Ref(p), "reason": InterruptionReason.ILLNESS.value, "reason_text": "",
        "start_date": start, "end_date": None, "started_by_id": path.coach.id, "ended_by_id": None,
    })
    path.clocks.pause(start)
    path.note("participation_interrupted", start,
              _("Avbrott: %(reason)s.") % {"reason": InterruptionReason.ILLNESS.label}, path.coach,
              {"interruption": Ref(row), "reason": InterruptionReason.ILLNESS.value})


# --- plans (plans.services: create, submit, approve, return, revise) -----------------------------

# How far the current plan has come, for a participation that has been enrolled long enough.
PLAN_STAGES = (("none", 4), ("draft", 10), ("submitted", 12), ("returned", 4), ("approved", 60), ("revising", 10))
PLAN_GOALS = (
    "Arbete inom lokalvård på heltid.",
    "Studier på Komvux inom vård och omsorg.",
    "Anställning med lönebidrag inom lager och logistik.",
    "Svenska på SFI nivå D och praktik inom restaurang.",
    "Arbete inom handel, först praktik i butik.",
)


def plans(path: Path, catalogue_item_id: int | None, stage: str, rng: random.Random, until: datetime.date) -> Row | None:
    """The plan versions up to `stage` on days between arrival and `until`; returns the valid (approved) plan."""
    arrived: datetime.date = path.participation["arrived_on"]
    if stage == "none":
        return None
    created = min(add_working_days(arrived, rng.randint(0, 3)), until)
    plan = _new_plan(path, 1, created, None, catalogue_item_id, rng)
    if stage == "draft":
        return None
    submitted = min(add_working_days(created, rng.randint(0, 2)), until)
    _submit(path, plan, submitted)
    if stage == "submitted":
        return None
    decided = min(add_working_days(submitted, rng.randint(1, 8)), until)
    if stage == "returned":
        # Every third such decision (by its day, no draw: the other histories stay as they were) is a
        # rejection instead: the coach then draws up a new plan (plans.services.reject_plan).
        if decided.toordinal() % 3 == 0:
            _reject(path, plan, decided)
        else:
            _return(path, plan, decided)
        return None
    _approve(path, plan, decided, None)
    review: datetime.date = plan["review_date"]
    if stage != "revising" and review >= until:
        return plan
    # A new version: revised before the review date (or just after it), approved unless still under way.
    started = min(max(decided, review - datetime.timedelta(days=rng.randint(7, 28))), until)
    draft = _new_plan(path, 2, started, plan, catalogue_item_id, rng, start=review)
    path.note("plan_revision_started", started,
              _("Ny version %(number)s av aktivitetsplanen påbörjad. Version %(valid)s gäller tills den nya är godkänd.")
              % {"number": 2, "valid": 1}, path.coach, {"plan_id": Ref(draft), "number": 2, "previous_id": Ref(plan)})
    if stage == "revising":
        return plan
    sent = min(add_working_days(started, rng.randint(0, 2)), until)
    _submit(path, draft, sent)
    approved = min(add_working_days(sent, rng.randint(1, 6)), until)
    _approve(path, draft, approved, plan)
    return draft


def _new_plan(path: Path, number: int, on: datetime.date, previous: Row | None, item_id: int | None,
              rng: random.Random, start: datetime.date | None = None) -> Row:
    start = start or on
    review = plan_rules.default_review_date(start)
    plan = path.rows.add(ActivityPlan, {
        "participation_id": Ref(path.participation), "number": number, "status": PlanStatus.DRAFT.value,
        "previous_id": Ref(previous) if previous is not None else None,
        "goal": rng.choice(PLAN_GOALS), "start_date": start, "review_date": review, "long_plan_reason": "",
        "created_by_id": path.coach.id, "district_id": None, "submitted_on": None, "submitted_at": None,
        "decided_on": None, "decided_by_id": None, "decision_comment": "", "version_at_return": None,
    })
    path.rows.add(PlannedActivity, {
        "plan_id": Ref(plan), "description": _("Individuell coachning"), "catalogue_item_id": item_id,
        "start_date": start, "end_date": max(start, review - datetime.timedelta(days=1)),
    })
    if previous is None:
        path.note("plan_created", on, _("Aktivitetsplan påbörjad (version 1)."), path.coach,
                  {"plan_id": Ref(plan), "number": 1})
    return plan


def _decision(path: Path, plan: Row, kind: str, on: datetime.date, author: Author, comment: str = "",
              waiting: int | None = None) -> None:
    path.rows.add(PlanDecision, {
        "plan_id": Ref(plan), "kind": kind, "on": on, "by_id": author.id, "by_name": author.name,
        "district_id": path.participation["home_district_id"] if author is path.social_worker else None,
        "comment": comment, "waiting_days": waiting,
    })


def _submit(path: Path, plan: Row, on: datetime.date) -> None:
    plan["status"] = plan_rules.next_status(plan["status"], plan_rules.Step.SUBMIT).value
    plan["submitted_on"] = on
    plan["submitted_at"] = timezone.make_aware(datetime.datetime.combine(on, datetime.time(14, 0)))
    plan["district_id"] = path.participation["home_district_id"]
    plan["version"] = plan.get("version", 1) + 1
    _decision(path, plan, Decision.SUBMITTED.value, on, path.coach)
    path.clocks.complete(Kind.PLAN_DRAWN_UP, on)
    path.clocks.open(Kind.PLAN_APPROVAL, on, subject=plan)
    path.note("plan_submitted", on,
              _("Aktivitetsplan version %(number)s skickad till stadsdelen för godkännande.") % {"number": plan["number"]},
              path.coach, {"plan_id": Ref(plan), "number": plan["number"]})


def _approve(path: Path, plan: Row, on: datetime.date, previous: Row | None) -> None:
    waited = plan_rules.waiting_days(plan["submitted_on"], on)
    if previous is not None:
        previous["status"] = plan_rules.next_status(previous["status"], plan_rules.Step.SUPERSEDE).value
        path.clocks.complete(Kind.PLAN_REVIEW, on, subject=previous)
    plan["status"] = plan_rules.next_status(plan["status"], plan_rules.Step.APPROVE).value
    plan["decided_on"] = on
    plan["decided_by_id"] = path.social_worker.id
    plan["version"] = plan.get("version", 1) + 1
    _decision(path, plan, Decision.APPROVED.value, on, path.social_worker, waiting=waited)
    path.clocks.complete(Kind.PLAN_APPROVAL, on, subject=plan)
    path.clocks.open(Kind.PLAN_REVIEW, due=plan["review_date"], subject=plan)
    path.note("plan_approved", on,
              _("Aktivitetsplan version %(number)s godkänd av stadsdelen.") % {"number": plan["number"]},
              path.social_worker,
              {"plan_id": Ref(plan), "number": plan["number"], "waiting_days": waited,
               "superseded_plan_id": Ref(previous) if previous is not None else None})


def _return(path: Path, plan: Row, on: datetime.date) -> None:
    comment = _("Beskriv insatserna närmare och ange hur målet ska nås.")
    waited = plan_rules.waiting_days(plan["submitted_on"], on)
    plan["status"] = plan_rules.next_status(plan["status"], plan_rules.Step.RETURN).value
    plan["decided_on"] = on
    plan["decided_by_id"] = path.social_worker.id
    plan["decision_comment"] = comment
    plan["version"] = plan.get("version", 1) + 1
    plan["version_at_return"] = plan["version"]
    _decision(path, plan, Decision.RETURNED.value, on, path.social_worker, comment, waited)
    path.clocks.complete(Kind.PLAN_APPROVAL, on, subject=plan)
    path.note("plan_returned", on,
              _("Aktivitetsplan version %(number)s skickad tillbaka av stadsdelen: %(comment)s")
              % {"number": plan["number"], "comment": comment},
              path.social_worker, {"plan_id": Ref(plan), "number": plan["number"], "waiting_days": waited})


def _reject(path: Path, plan: Row, on: datetime.date) -> None:
    reason = _("Planen motsvarar inte behovet som kartläggningen visar. Gör en ny plan tillsammans med deltagaren.")
    waited = plan_rules.waiting_days(plan["submitted_on"], on)
    plan["status"] = plan_rules.next_status(plan["status"], plan_rules.Step.REJECT).value
    plan["decided_on"] = on
    plan["decided_by_id"] = path.social_worker.id
    plan["decision_comment"] = reason
    plan["version"] = plan.get("version", 1) + 1
    _decision(path, plan, Decision.REJECTED.value, on, path.social_worker, reason, waited)
    path.clocks.complete(Kind.PLAN_APPROVAL, on, subject=plan)
    path.clocks.open(Kind.PLAN_DRAWN_UP, on)  # no approved version: a new plan is due
    path.note("plan_rejected", on,
              _("Aktivitetsplan version %(number)s avslagen av stadsdelen: %(reason)s")
              % {"number": plan["number"], "reason": reason},
              path.social_worker, {"plan_id": Ref(plan), "number": plan["number"], "waiting_days": waited})


# --- activities (activities.services: create_activity, follow_up) --------------------------------


def activity(path: Path, row: Row, item_name: str) -> None:
    """An activity as create_activity writes it; an ended one also has its follow-up (decision: end)."""
    row["participation_id"] = Ref(path.participation)
    path.rows.add(Activity, row)
    path.clocks.open(Kind.ACTIVITY_FOLLOWUP, due=row["end_date"], subject=row)
    path.note("activity_created", row["start_date"],
              _("Insats %(item)s %(start)s – %(end)s")
              % {"item": item_name, "start": row["start_date"].isoformat(), "end": row["end_date"].isoformat()},
              path.coach, {"activity_id": Ref(row), "predecessor_id": None})
    if row["status"] == ActivityStatus.ENDED.value:
        end: datetime.date = row["end_date"]
        result = _("Insatsen är genomförd enligt planen.")
        path.rows.add(ActivityFollowUp, {
            "activity_id": Ref(row), "followed_up_on": end, "result": result,
            "decision": FollowUpDecision.END.value, "previous_end_date": end, "new_end_date": None,
            "successor_id": None, "author_id": path.coach.id, "author_name": path.coach.name,
        })
        path.clocks.complete(Kind.ACTIVITY_FOLLOWUP, end, subject=row)
        path.note("activity_followed_up", end, _("Uppföljning av %(item)s: %(decision)s. Resultat: %(result)s")
                  % {"item": item_name, "decision": FollowUpDecision.END.label, "result": result}, path.coach,
                  {"activity_id": Ref(row), "decision": FollowUpDecision.END.value, "successor_id": None})


# --- closure and follow-up (participations.services.close, record_followup) ----------------------


def closure(path: Path, outcome: participation_rules.Outcome, rng: random.Random) -> None:
    """Closed with its outcome: running clocks cancelled, the 2- and 8-month follow-ups started
    (and recorded when their day has come, mostly)."""
    p = path.participation
    closed_on: datetime.date = p["closed_on"]
    path.clocks.cancel_at_closure(closed_on)
    for point, kind in FOLLOWUP_KINDS.items():
        deadline = path.clocks.open(kind, closed_on)
        due: datetime.date = deadline["due_date"]
        followup = path.rows.add(PostClosureFollowUp, {
            "participation_id": Ref(p), "point": point.value, "due_on": due, "assistance_reduction_kr": None,
            "outcome_sustained": None, "note": "", "recorded_on": None, "recorded_by_id": None,
        })
        if due < path.today and rng.random() < 0.8:
            recorded = min(add_working_days(due, rng.randint(0, 10)), path.today)
            sustained = rng.random() < 0.7
            reduction = rng.choice((0, 2500, 5200, 8900, 11300)) if sustained else 0
            followup.update(assistance_reduction_kr=reduction, outcome_sustained=sustained, recorded_on=recorded,
                            recorded_by_id=path.coach.id, version=2)
            path.clocks.complete(kind, recorded)
            path.note("followup_recorded", recorded,
                      _("%(point)s: resultatet %(held)s; minskat försörjningsstöd %(amount)s.")
                      % {"point": point.label, "held": _("består") if sustained else _("består inte"),
                         "amount": f"{reduction:,} kr".replace(",", "\u00a0")},
                      path.coach, {"followup": Ref(followup), "point": point.value})
    path.note("participation_closed", closed_on, _("Avslutad: %(outcome)s.") % {"outcome": describe_outcome(outcome)},
              path.coach,
              {"outcome": asdict(outcome), "counts_as_work_or_studies": participation_rules.counts_as_work_or_studies(outcome)})


def outcome_of(row: Row) -> participation_rules.Outcome:
    """The closure fields of a participation row as the Outcome close() was given."""
    return participation_rules.Outcome(
        reason=row["closure_reason"],
        employment_form=row.get("employment_form", ""),
        employment_extent=row.get("employment_extent", ""),
        wage_subsidy=row.get("wage_subsidy", ""),
        employment_lasts_a_month=row.get("employment_lasts_a_month"),
        study_level=row.get("study_level", ""),
        transfer_to=row.get("transfer_to", ""),
        text=row.get("closure_text", ""),
    ).normalised()
