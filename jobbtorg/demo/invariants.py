"""The domain's invariants, checked over whatever is in the database (issue 9 item 7).

Written for the demo seed's test, but nothing here is demo-specific: `manage.py
check_invariants` runs the same checks on a real database. Each check names the rule
it guards and returns the ids of a few offending rows; an empty report means the data
could have been written by the services. Checks are set-based queries (anti-joins and
aggregates), except the plan history, which is read per plan in id order.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q

from jobbtorg.activities.models import Activity
from jobbtorg.deadlines import rules as deadline_rules
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import (
    OPEN_STATUSES,
    ClosureReason,
    Interruption,
    Participation,
    PostClosureFollowUp,
    Status,
)
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.plans import rules as plan_rules
from jobbtorg.plans.models import ActivityPlan, Decision, PlanDecision
from jobbtorg.plans.models import Status as PlanStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.timeline.models import TimelineEntry

SAMPLE = 5


@dataclass(frozen=True)
class Violation:
    rule: str  # the rule, with its source (DOMAIN/LEGAL section)
    count: int
    sample: list[int]  # a few offending ids (never names)

    def __str__(self) -> str:
        return f"{self.rule}: {self.count} (t.ex. id {', '.join(map(str, self.sample))})"


Check = Callable[[datetime.date], list[int]]
CHECKS: list[tuple[str, Check]] = []


def check(rule: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((rule, fn))
        return fn

    return register


def run(today: datetime.date) -> list[Violation]:
    """Every check; the violated ones."""
    found = []
    for rule, fn in CHECKS:
        ids = fn(today)
        if ids:
            found.append(Violation(rule, len(ids), sorted(ids)[:SAMPLE]))
    return found


def _ids(qs: object) -> list[int]:
    return list(qs.values_list("pk", flat=True))  # type: ignore[attr-defined]


# --- referral and path ---------------------------------------------------------------------------


@check("DOMAIN §3, §4.1: every participation starts with a referral from its home district")
def participation_has_referral(today: datetime.date) -> list[int]:
    return _ids(Participation.objects.filter(referral__isnull=True))


@check("DOMAIN §4.1: the referral's date and district are the participation's")
def referral_matches_participation(today: datetime.date) -> list[int]:
    return _ids(
        Referral.objects.exclude(referred_on=F("participation__referred_on"))
        | Referral.objects.exclude(district_id=F("participation__home_district_id"))
    )


@check("DOMAIN §4: referral ≤ arrival ≤ closure ≤ today, arrival recorded for enrolled and closed participations")
def dates_in_order(today: datetime.date) -> list[int]:
    return _ids(
        Participation.objects.filter(
            Q(referred_on__gt=today)
            | Q(arrived_on__gt=today)
            | Q(closed_on__gt=today)
            | Q(arrived_on__gt=F("closed_on"))
            | Q(arrived_on__lt=F("referred_on"))
            | Q(status__in=[Status.ACTIVE, Status.INTERRUPTED], arrived_on__isnull=True)
            | Q(status=Status.CLOSED, closed_on__isnull=True)
            | Q(status__in=OPEN_STATUSES, closed_on__isnull=False)
        )
    )


@check("DOMAIN §4: one open participation per person; an earlier one is the same person's and closed before")
def previous_is_closed_and_own(today: datetime.date) -> list[int]:
    doubles = (
        Participation.objects.filter(status__in=OPEN_STATUSES)
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("person_id", flat=True)
    )
    return _ids(
        Participation.objects.filter(person_id__in=list(doubles))
        | Participation.objects.filter(previous__isnull=False).filter(
            ~Q(previous__person_id=F("person_id")) | ~Q(previous__status=Status.CLOSED)
            | Q(previous__closed_on__gt=F("referred_on"))
        )
    )


@check("DOMAIN §7: a closed participation has a reason and the outcome that reason asks for")
def closure_has_outcome(today: datetime.date) -> list[int]:
    closed = Participation.objects.filter(status=Status.CLOSED)
    return _ids(
        closed.filter(closure_reason="")
        | closed.filter(closure_reason=ClosureReason.WORK, employment_form="")
        | closed.filter(closed_by__isnull=True)
    )


# --- timeline ------------------------------------------------------------------------------------

# Each step of the path and the timeline entry its service appends (14 kap. 3 § SoL: documented).
STEP_ENTRIES: list[tuple[str, Q]] = [
    ("referral_received", Q()),
    ("participant_arrived", Q(arrived_on__isnull=False)),
    ("information_signed_off", Q(information_signed_on__isnull=False)),
    ("participation_closed", Q(status=Status.CLOSED)),
    ("participation_interrupted", Q(status=Status.INTERRUPTED)),
]


@check("LEGAL 14 kap. 3 § SoL: each step of the path (referral, arrival, information, interruption, closure) "
       "has its timeline entry")
def steps_have_timeline_entries(today: datetime.date) -> list[int]:
    missing: set[int] = set()
    for kind, condition in STEP_ENTRIES:
        with_entry = TimelineEntry.objects.filter(kind=kind).values("participation_id")
        missing |= set(_ids(Participation.objects.filter(condition).exclude(pk__in=with_entry)))
    return sorted(missing)


@check("LEGAL 14 kap. 3 § SoL: each plan step (created, submitted, approved, returned) has its timeline entry")
def plan_steps_have_timeline_entries(today: datetime.date) -> list[int]:
    entries: dict[tuple[str, int], int] = defaultdict(int)
    for kind, participation_id in TimelineEntry.objects.filter(kind__startswith="plan_").values_list(
        "kind", "participation_id"
    ):
        entries[kind, participation_id] += 1
    decisions: dict[tuple[str, int], int] = defaultdict(int)
    for kind, participation_id in PlanDecision.objects.values_list("kind", "plan__participation_id"):
        decisions[f"plan_{kind}", participation_id] += 1
    return sorted({pid for (kind, pid), n in decisions.items() if entries[kind, pid] < n})


@check("DOMAIN §4: timeline entries lie between the participation's referral and today")
def timeline_dates_in_bounds(today: datetime.date) -> list[int]:
    return _ids(
        TimelineEntry.objects.filter(Q(occurred_on__gt=today) | Q(occurred_on__lt=F("participation__referred_on")))
    )


# --- deadlines -----------------------------------------------------------------------------------


@check("DOMAIN §4.4: an enrolled participation has its 18-month clocks, due as deadlines.rules computes them")
def limit_deadlines_as_rules_say(today: datetime.date) -> list[int]:
    periods: dict[int, list[tuple[datetime.date | None, datetime.date | None]]] = defaultdict(list)
    for person_id, arrived, closed in Participation.objects.filter(arrived_on__isnull=False).values_list(
        "person_id", "arrived_on", "closed_on"
    ):
        periods[person_id].append((arrived, closed))
    pauses: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for person_id, start, end in Interruption.objects.values_list("participation__person_id", "start_date", "end_date"):
        pauses[person_id].append((start, end))
    stored: dict[int, dict[str, tuple[datetime.date, datetime.date | None]]] = defaultdict(dict)
    for pid, kind, due, paused in Deadline.objects.filter(
        status=Deadline.Status.OPEN, kind__in=[Kind.PARTICIPATION_LIMIT, Kind.PARTICIPATION_LIMIT_WARNING]
    ).values_list("participation_id", "kind", "due_date", "paused_on"):
        stored[pid][kind] = (due, paused)
    wrong = []
    for pid, person_id in Participation.objects.filter(status=Status.ACTIVE).values_list("pk", "person_id"):
        limit = participation_rules.participation_limit(periods[person_id], pauses[person_id], today)
        clocks = stored.get(pid, {})
        if limit is None or clocks.get(Kind.PARTICIPATION_LIMIT, (None,))[0] != limit.limit_on or clocks.get(
            Kind.PARTICIPATION_LIMIT_WARNING, (None,)
        )[0] != limit.warning_on:
            wrong.append(pid)
    return wrong


@check("DOMAIN §4.4: an enrolled participation without a submitted plan has its open 'plan drawn up' clock "
       "(5 working days from arrival)")
def plan_clock_running(today: datetime.date) -> list[int]:
    sent = PlanDecision.objects.filter(kind=Decision.SUBMITTED).values("plan__participation_id")
    enrolled = Participation.objects.filter(status__in=[Status.ACTIVE, Status.INTERRUPTED]).exclude(pk__in=sent)
    wrong = []
    due = {
        pid: d for pid, d in Deadline.objects.filter(kind=Kind.PLAN_DRAWN_UP, status=Deadline.Status.OPEN).values_list(
            "participation_id", "due_date"
        )
    }
    for pid, arrived in enrolled.values_list("pk", "arrived_on"):
        if pid not in due or (arrived is not None and due[pid] < deadline_rules.due_date(Kind.PLAN_DRAWN_UP, arrived)):
            wrong.append(pid)
    return wrong


@check("DOMAIN §4.4: a submitted plan has the district's open approval clock, an approved one its review clock")
def plan_clocks(today: datetime.date) -> list[int]:
    open_clocks = set(
        Deadline.objects.filter(status=Deadline.Status.OPEN, kind__in=[Kind.PLAN_APPROVAL, Kind.PLAN_REVIEW]).values_list(
            "kind", "subject_id"
        )
    )
    wrong = []
    plans = ActivityPlan.objects.filter(
        participation__status__in=OPEN_STATUSES, status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED]
    )
    for pk, status, review in plans.values_list("pk", "status", "review_date"):
        kind = Kind.PLAN_APPROVAL if status == PlanStatus.SUBMITTED else Kind.PLAN_REVIEW
        if (kind.value, pk) not in open_clocks and not (status == PlanStatus.APPROVED and review is None):
            wrong.append(pk)
    return wrong


@check("DOMAIN §7: at closure every clock stops but the 2- and 8-month follow-ups, which are stored with their due dates")
def closure_clocks(today: datetime.date) -> list[int]:
    closed = Participation.objects.filter(status=Status.CLOSED)
    running = Deadline.objects.filter(status=Deadline.Status.OPEN).exclude(
        kind__in=[k.value for k in deadline_rules.POST_CLOSURE]
    ).values("participation_id")
    two_followups = (
        PostClosureFollowUp.objects.values("participation_id").annotate(n=Count("id")).filter(n=2).values("participation_id")
    )
    wrong = set(_ids(closed.filter(pk__in=running))) | set(_ids(closed.exclude(pk__in=two_followups)))
    for pid, closed_on, due, point in PostClosureFollowUp.objects.values_list(
        "participation_id", "participation__closed_on", "due_on", "point"
    ):
        kind = Kind.FOLLOWUP_2_MONTHS if point == "2_months" else Kind.FOLLOWUP_8_MONTHS
        if closed_on is None or due != deadline_rules.due_date(kind, closed_on):
            wrong.add(pid)
    return sorted(wrong)


@check("DOMAIN §4.5: every activity has its follow-up clock, due on its end date while it runs")
def activity_clocks(today: datetime.date) -> list[int]:
    clocks = {
        (subject, status): due
        for subject, status, due in Deadline.objects.filter(kind=Kind.ACTIVITY_FOLLOWUP).values_list(
            "subject_id", "status", "due_date"
        )
    }
    wrong = []
    for pk, end, open_ in Activity.objects.filter(participation__status__in=OPEN_STATUSES).annotate(
        open_=Q(status="open")
    ).values_list("pk", "end_date", "open_"):
        if open_ and clocks.get((pk, Deadline.Status.OPEN.value)) != end:
            wrong.append(pk)
        elif not open_ and not any((pk, s.value) in clocks for s in Deadline.Status):
            wrong.append(pk)
    return wrong


@check("DOMAIN §4.5: activities lie inside the participation (from arrival, not after closure)")
def activities_in_bounds(today: datetime.date) -> list[int]:
    return _ids(
        Activity.objects.filter(
            Q(start_date__lt=F("participation__arrived_on"))
            | Q(participation__arrived_on__isnull=True)
            | Q(end_date__lt=F("start_date"))
            | Q(status="open", participation__status=Status.CLOSED)
        )
    )


@check("Deadlines: a done or cancelled clock has its day, an open one none; the district's clocks carry the district")
def deadline_rows_consistent(today: datetime.date) -> list[int]:
    district_kinds = [k.value for k, r in deadline_rules.RULES.items() if r.responsible == "district"]
    return _ids(
        Deadline.objects.filter(
            Q(status=Deadline.Status.OPEN, done_on__isnull=False)
            | (~Q(status=Deadline.Status.OPEN) & Q(done_on__isnull=True))
            | Q(kind__in=district_kinds, district__isnull=True)
            | (Q(kind__in=district_kinds) & ~Q(district_id=F("participation__home_district_id")))
        )
    )


# --- plans ---------------------------------------------------------------------------------------

# The decision that leads into each step of plans.rules.TRANSITIONS.
_STEP_OF = {Decision.SUBMITTED: plan_rules.Step.SUBMIT, Decision.APPROVED: plan_rules.Step.APPROVE,
            Decision.RETURNED: plan_rules.Step.RETURN, Decision.REJECTED: plan_rules.Step.REJECT}


@check("DOMAIN §4.4: each plan's decisions follow plans.rules.TRANSITIONS from draft to its status, in date order, "
       "within the participation")
def plan_history_follows_transitions(today: datetime.date) -> list[int]:
    decisions: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for plan_id, kind, on in PlanDecision.objects.order_by("plan_id", "at", "id").values_list("plan_id", "kind", "on"):
        decisions[plan_id].append((kind, on))
    wrong = []
    for pk, status, arrived, closed in ActivityPlan.objects.values_list(
        "pk", "status", "participation__arrived_on", "participation__closed_on"
    ):
        current = PlanStatus.DRAFT
        last: datetime.date | None = None
        ok = True
        for kind, on in decisions[pk]:
            nxt = plan_rules.TRANSITIONS.get((current, _STEP_OF[Decision(kind)]))
            bounded = arrived is not None and arrived <= on <= (closed or today)
            if nxt is None or not bounded or (last is not None and on < last):
                ok = False
                break
            current, last = nxt, on
        if current == PlanStatus.APPROVED and status == PlanStatus.SUPERSEDED:
            current = plan_rules.TRANSITIONS[(PlanStatus.APPROVED, plan_rules.Step.SUPERSEDE)]
        if not ok or current != status:
            wrong.append(pk)
    return wrong


@check("DOMAIN §4.4: at most one valid (approved) plan and one version in the works per participation")
def one_valid_plan(today: datetime.date) -> list[int]:
    def more_than_one(statuses: list[str]) -> list[int]:
        return list(
            ActivityPlan.objects.filter(status__in=statuses).values("participation_id").annotate(n=Count("id"))
            .filter(n__gt=1).values_list("participation_id", flat=True)
        )

    in_the_works = [str(s) for s in (*plan_rules.EDITABLE, PlanStatus.SUBMITTED)]
    return sorted(set(more_than_one([PlanStatus.APPROVED.value])) | set(more_than_one(in_the_works)))


# --- protected persons ---------------------------------------------------------------------------


@check("LEGAL OSL 21:3, skyddad folkbokföring: no timeline text names a person")
def no_names_in_timeline(today: datetime.date) -> list[int]:
    """Entries are read in lists (worklists, the district's feed): a name there would leak a protected
    person's identity. Checked for protected persons, by their own names, in the entries of their file."""
    wrong = []
    protected = Person.objects.exclude(protection_level=ProtectionLevel.NONE).values_list("pk", "first_name", "last_name")
    for pk, first, last in protected:
        if TimelineEntry.objects.filter(person_id=pk, text__icontains=f"{first} {last}").exists():
            wrong.append(pk)
    return wrong
