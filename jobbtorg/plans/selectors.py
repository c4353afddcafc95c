"""Reads of activity plans, scoped by access.

For the lead's pages:
- `approval_queue(district, viewer=...)`: the district's plans waiting for approval, oldest
  first, each with its waiting time in working days and the approval deadline. One query
  whatever the length (select_related); pass `viewer` for any list shown to a person, so a
  protected identity appears only to staff who reach it directly.
- `current_plan(participation)`: the valid (approved) version, or None.
- `overview(participation)`: what the person page shows (valid version, version in the works,
  its status, waiting time, the district's comment if returned).
- `returned_plans_for_coach(user)`: plans the district sent back or rejected, for the coach's "today" list.

Pages that show a list of persons write the audit entries (`access.services.log_listed`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import holds
from jobbtorg.core.errors import AccessDenied
from jobbtorg.deadlines import rules as deadline_rules
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.organisation.models import District
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.plans import rules
from jobbtorg.plans.models import ActivityPlan, PlanDecision, PlannedActivity, Status
from jobbtorg.plans.services import GROUP, what


def _check_read_role(user: User, actor: Actor, person_id: int, protected: bool, audit_what: str) -> None:
    if not holds(user, "plans.read"):
        record(actor, Action.READ, audit_what, person_id, allowed=False, protected=protected)
        raise AccessDenied()


def open_participation(user: User, actor: Actor, participation_id: int, *, via: str = "", group: str = GROUP,
                       action: str = Action.READ) -> Participation:
    """The participation whose plans are shown; READ audited (allowed or refused)."""
    participation = Participation.objects.select_related("person", "coach", "unit", "home_district").filter(
        pk=participation_id
    ).first()
    audit_what = what(via, group)
    if participation is None:
        record(actor, action, audit_what, None, allowed=False)
        raise AccessDenied()
    _check_read_role(user, actor, participation.person_id, participation.person.is_protected, audit_what)
    open_person(user, actor, participation.person_id, audit_what, action=action)
    return participation


def plan_details_qs() -> QuerySet[ActivityPlan]:
    return ActivityPlan.objects.select_related(
        "participation__person", "participation__coach", "participation__unit", "participation__home_district",
        "decided_by", "created_by",
    ).prefetch_related(
        Prefetch("activities", queryset=PlannedActivity.objects.select_related("catalogue_item").order_by("start_date", "id")),
        Prefetch("decisions", queryset=PlanDecision.objects.select_related("district").order_by("at", "id")),
    )


def open_plan(user: User, actor: Actor, plan_id: int, *, via: str = "", action: str = Action.READ) -> ActivityPlan:
    """One plan version with its activities and decision history; READ (or PRINT) audited."""
    plan = plan_details_qs().filter(pk=plan_id).first()
    audit_what = what(via)
    if plan is None:
        record(actor, action, audit_what, None, allowed=False)
        raise AccessDenied()
    person = plan.participation.person
    _check_read_role(user, actor, person.pk, person.is_protected, audit_what)
    open_person(user, actor, person.pk, audit_what, action=action)
    return plan


def versions(participation: Participation) -> list[ActivityPlan]:
    """Every version of the participation's plan, newest first, with activity counts (one query)."""
    return list(
        ActivityPlan.objects.filter(participation=participation).select_related("decided_by")
        .annotate(activity_count=Count("activities")).order_by("-number")
    )


def current_plan(participation: Participation) -> ActivityPlan | None:
    """The valid plan: the approved version (a newer version in the works does not replace it until approved)."""
    return (
        ActivityPlan.objects.filter(participation=participation, status=Status.APPROVED)
        .prefetch_related(Prefetch("activities", queryset=PlannedActivity.objects.select_related("catalogue_item")))
        .first()
    )


def pending_plan(participation: Participation) -> ActivityPlan | None:
    """The version in the works (draft, waiting for approval, or returned), if any."""
    return ActivityPlan.objects.filter(participation=participation, status__in=rules.EDITABLE + (Status.SUBMITTED,)).first()


@dataclass(frozen=True)
class PlanOverview:
    participation: Participation
    current: ActivityPlan | None
    pending: ActivityPlan | None
    waiting_days: int | None  # of the pending version, if it waits for the district
    plan_deadline: Deadline | None  # "plan drawn up within 5 working days", while open

    @property
    def returned(self) -> bool:
        return self.pending is not None and self.pending.status == Status.RETURNED


def overview(participation: Participation, today: datetime.date | None = None) -> PlanOverview:
    """For the person page (partial plans/_person_section.html). Three queries."""
    today = today or timezone.localdate()
    plans = list(
        ActivityPlan.objects.filter(participation=participation, status__in=[Status.APPROVED, *rules.EDITABLE, Status.SUBMITTED])
        .prefetch_related(Prefetch("activities", queryset=PlannedActivity.objects.select_related("catalogue_item")))
        .order_by("-number")
    )
    current = next((p for p in plans if p.status == Status.APPROVED), None)
    pending = next((p for p in plans if p.status != Status.APPROVED), None)
    waited = rules.waiting_days(pending.submitted_on, today) if pending and pending.status == Status.SUBMITTED else None
    plan_deadline = Deadline.objects.filter(
        participation=participation, kind=Kind.PLAN_DRAWN_UP, status=Deadline.Status.OPEN
    ).first()
    return PlanOverview(participation, current, pending, waited, plan_deadline)


def approval_queue_qs(district: District | int, viewer: User | None = None) -> QuerySet[ActivityPlan]:
    """Submitted plans of the district's residents, oldest first. With `viewer`, only persons they may see."""
    district_id = district if isinstance(district, int) else district.pk
    # Served by the partial index plan_district_queue_idx (this district's submitted plans by
    # submitted_at): the cost follows the district's queue, not the number of plans in the city.
    qs = ActivityPlan.objects.filter(
        status=Status.SUBMITTED, district_id=district_id, participation__status__in=OPEN_STATUSES
    )
    if viewer is not None:
        qs = qs.filter(participation__person__in=visible_persons(viewer))
    return qs.select_related("participation__person", "participation__coach", "participation__unit").order_by(
        "submitted_at", "id"
    )


@dataclass(frozen=True)
class QueueRow:
    plan: ActivityPlan
    waiting_days: int
    due: datetime.date
    overdue: bool

    @property
    def person(self):  # noqa: ANN201 - template convenience
        return self.plan.participation.person


def queue_rows(plans: list[ActivityPlan] | QuerySet[ActivityPlan], today: datetime.date | None = None) -> list[QueueRow]:
    """Waiting time (working days since submission) and the approval due date, per plan."""
    today = today or timezone.localdate()
    rows = []
    for plan in plans:
        submitted = plan.submitted_on or today
        due = deadline_rules.due_date(Kind.PLAN_APPROVAL, submitted)
        rows.append(QueueRow(plan, rules.waiting_days(submitted, today) or 0, due, due < today))
    return rows


def approval_queue(
    district: District | int, viewer: User | None = None, *, today: datetime.date | None = None, limit: int | None = None
) -> list[QueueRow]:
    """The district's approval queue, oldest first, with waiting time in working days."""
    qs = approval_queue_qs(district, viewer)
    if limit is not None:
        qs = qs[:limit]
    return queue_rows(qs, today)


def returned_plans_for_coach(user: User) -> QuerySet[ActivityPlan]:
    """Plans the district sent back to this coach's participants, or rejected while no newer version
    exists yet (the coach has a new plan to draw up), oldest decision first."""
    newer = ActivityPlan.objects.filter(participation=OuterRef("participation"), number__gt=OuterRef("number"))
    return (
        ActivityPlan.objects.filter(Q(status=Status.RETURNED) | Q(~Exists(newer), status=Status.REJECTED),
                                    participation__coach=user, participation__status__in=OPEN_STATUSES,
                                    participation__person__in=visible_persons(user))
        .select_related("participation__person", "decided_by")
        .order_by("decided_on", "id")
    )
