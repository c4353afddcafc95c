"""The one write path for activity plans (DOMAIN §4.4). Web pages and the API call these.

Every function, in this order:
1. the side rule (`rules.WHO`: coach steps by a coach of the participation's unit, district
   steps by a social worker of the home district) and the relation to the person (access
   policy) — one audit entry, allowed or refused; a refusal saves nothing;
2. locks the plan row, refuses a stale row version (ConflictError → "someone else changed
   it", HTTP 409) and a step the state machine (`rules.TRANSITIONS`) does not allow;
3. validates with `rules`, saves, records the step (PlanDecision), moves the deadlines
   (plan drawn up, district approval, review) and appends to the timeline — all in one
   transaction, so either everything lands or nothing.

An approved version is frozen (model, queryset and service guards). `revise_plan` makes a
new draft version, a copy; the approved one stays the valid plan until the new one is
approved, and is then marked superseded.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import may
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import Participation
from jobbtorg.plans import rules
from jobbtorg.plans.models import FROZEN_MESSAGE, ActivityPlan, Decision, PlanDecision, PlannedActivity, Status
from jobbtorg.plans.rules import Step
from jobbtorg.timeline.kinds import EventKind
from jobbtorg.timeline.services import append

GROUP = "aktivitetsplan"
DECISION_GROUP = "aktivitetsplan · godkännande"

EDIT_REFUSED = gettext_lazy("Bara deltagarens coacher på jobbtorget kan ändra och skicka aktivitetsplanen.")
DISTRICT_ONLY = gettext_lazy("Planen kan bara godkännas eller skickas tillbaka av deltagarens hemstadsdel.")
CLOSED_MESSAGE = gettext_lazy("Deltagandet är avslutat. Planen kan inte längre ändras.")
STALE_MESSAGE = gettext_lazy("Någon annan har ändrat planen medan du arbetade. Ladda om sidan och gör ändringen igen.")
COMMENT_REQUIRED = gettext_lazy("Skriv varför planen skickas tillbaka, så att coachen vet vad som ska ändras.")
REASON_REQUIRED = gettext_lazy("Skriv varför planen avslås, så att coachen vet vad en ny plan behöver.")
REJECTED_MESSAGE = gettext_lazy("Planen är avslagen och kan inte ändras. Gör en ny plan i stället.")

PLAN_FIELDS = ("goal", "start_date", "review_date", "long_plan_reason")
ACTIVITY_FIELDS = ("description", "catalogue_item", "start_date", "end_date")


class NotPermitted(DomainError):
    """The user may not take this step (wrong side or wrong district): HTTP 403, nothing saved."""

    http_status = 403


def what(via: str, group: str = GROUP) -> str:
    return f"{via} · {group}" if via else group


def _side_permitted(step: Step | None, user: User, participation: Participation) -> bool:
    side = rules.WHO[step] if step else "coach"
    return may(user, rules.SIDE_CAPABILITY[side], **participation_rules.facts(participation))


def authorise(user: User, actor: Actor, participation: Participation, step: Step | None, audit_what: str, action: str) -> None:
    """One audit entry per attempt. District steps: the district rule is checked first, so a
    social worker of another district is told why (DISTRICT_ONLY), not just "not found"."""
    person = participation.person
    permitted = _side_permitted(step, user, participation)
    district_step = step is not None and rules.WHO[step] == "district"
    if district_step and not permitted:
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        raise NotPermitted(DISTRICT_ONLY)
    if not check_person(user, person).allowed:
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    if not permitted:
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        raise NotPermitted(EDIT_REFUSED)
    record(actor, action, audit_what, person.pk, allowed=True, protected=person.is_protected)


def _load(plan_id: int, actor: Actor, audit_what: str, action: str) -> ActivityPlan:
    plan = ActivityPlan.objects.select_related("participation__person").filter(pk=plan_id).first()
    if plan is None:
        record(actor, action, audit_what, None, allowed=False)
        raise AccessDenied()
    return plan


def _check_open(participation: Participation) -> None:
    if not participation.is_open:
        raise DomainError(CLOSED_MESSAGE)


def _lock(plan_id: int, expected_version: int | None, *, editable: bool) -> ActivityPlan:
    """Inside a transaction: the plan row, locked. Frozen (for edits) and stale versions refused."""
    locked = ActivityPlan.objects.select_for_update().get(pk=plan_id)
    if editable and not locked.is_editable:
        if locked.is_frozen:
            raise DomainError(str(FROZEN_MESSAGE))
        if locked.status == Status.REJECTED:
            raise DomainError(str(REJECTED_MESSAGE))
        raise DomainError(_("Planen väntar på stadsdelens beslut och kan inte ändras just nu."))
    if expected_version is None or locked.version != expected_version:
        raise ConflictError(STALE_MESSAGE)
    return locked


def _bump(plan: ActivityPlan, expected_version: int | None, fields: list[str] | tuple[str, ...] = ()) -> None:
    plan.updated_at = timezone.now()
    save_versioned(plan, expected_version, [*fields, "updated_at"])


def _validated_activity(plan: ActivityPlan, data: dict[str, Any], prefix: str = "") -> PlannedActivity:
    item = data.get("catalogue_item")
    description = (data.get("description") or "").strip() or (item.name if item else "")
    errors = rules.activity_errors(
        description=description,
        start=data.get("start_date"),
        end=data.get("end_date"),
        plan_start=plan.start_date,
        plan_review=plan.review_date,
    )
    if len(description) > 200:
        errors.setdefault("description", []).append(_("Skriv högst 200 tecken."))
    if errors:
        raise DomainError({f"{prefix}{k}": v for k, v in errors.items()})
    return PlannedActivity(plan=plan, description=description, catalogue_item=item,
                           start_date=data["start_date"], end_date=data["end_date"])


def _apply_plan_fields(plan: ActivityPlan, values: dict[str, Any]) -> list[str]:
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(plan, name, value if value is not None or name in ("start_date", "review_date") else "")
    errors = rules.plan_errors(
        start=plan.start_date,
        review=plan.review_date,
        long_plan_reason=plan.long_plan_reason or "",
        referred_on=plan.participation.referred_on,
    )
    if errors:
        raise DomainError(errors)
    return list(values)


def create_plan(
    user: User, actor: Actor, participation_id: int, values: dict[str, Any] | None = None,
    activities: list[dict[str, Any]] | None = None, *, today: datetime.date | None = None, via: str = "",
) -> ActivityPlan:
    """Draw up the participation's first plan (version 1, a draft). Later versions come from revise_plan."""
    today = today or timezone.localdate()
    audit_what = what(via)
    participation = Participation.objects.select_related("person").filter(pk=participation_id).first()
    if participation is None:
        record(actor, Action.CREATE, audit_what, None, allowed=False)
        raise AccessDenied()
    authorise(user, actor, participation, None, audit_what, Action.CREATE)
    _check_open(participation)
    values = dict(values or {})
    with transaction.atomic():
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        statuses = list(ActivityPlan.objects.filter(participation=participation).order_by("-number")
                        .values_list("status", flat=True))
        if not rules.may_draw_up_new(statuses):
            if Status.APPROVED in statuses:
                raise DomainError(_("Deltagaren har redan en godkänd plan. Gör en ny version av den i stället."))
            raise DomainError(_("Det finns redan en plan under arbete (version %(number)s).") % {"number": len(statuses)})
        # After a rejection the new plan is the next version; the rejected one stays as it was decided.
        number = len(statuses) + 1
        previous = ActivityPlan.objects.filter(participation=participation, number=len(statuses)).first()
        plan = ActivityPlan(participation=participation, number=number, previous=previous, created_by=user)
        values.setdefault("start_date", today)
        start = values["start_date"] or today
        if "review_date" not in values and rules.EARLIEST_DATE <= start <= rules.LATEST_DATE:
            values["review_date"] = rules.default_review_date(start)
        _apply_plan_fields(plan, values)
        plan.save()
        rows = []
        for index, data in enumerate(activities or []):
            rows.append(_validated_activity(plan, data, prefix=f"activities[{index}]."))
        PlannedActivity.objects.bulk_create(rows)
        append(kind="plan_created", author=user, participation=participation, occurred_on=today,
               text=_("Aktivitetsplan påbörjad (version %(number)s).") % {"number": number},
               data={"plan_id": plan.pk, "number": number})
    return plan


def update_plan(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, values: dict[str, Any],
    activities: list[dict[str, Any]] | None = None, *, via: str = "",
) -> ActivityPlan:
    """Save a draft's (or returned plan's) goal, dates and reason; `activities`, when given, replaces all rows."""
    audit_what = what(via)
    plan = _load(plan_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, plan.participation, None, audit_what, Action.CHANGE)
    _check_open(plan.participation)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=True)
        fields = _apply_plan_fields(locked, values)
        if activities is None:
            existing = list(PlannedActivity.objects.filter(plan=locked).values_list("description", "start_date", "end_date"))
            outside = rules.outside_period_errors(existing, locked.start_date, locked.review_date)
            if outside:
                raise DomainError(outside)
        else:
            rows = [_validated_activity(locked, data, prefix=f"activities[{i}].") for i, data in enumerate(activities)]
            PlannedActivity.objects.filter(plan=locked).delete()
            PlannedActivity.objects.bulk_create(rows)
        _bump(locked, expected_version, fields)
    return locked


def add_planned_activity(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, data: dict[str, Any], *, via: str = ""
) -> PlannedActivity:
    audit_what = what(via)
    plan = _load(plan_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, plan.participation, None, audit_what, Action.CHANGE)
    _check_open(plan.participation)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=True)
        row = _validated_activity(locked, data)
        row.save()
        _bump(locked, expected_version)
    return row


def remove_planned_activity(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, activity_id: int, *, via: str = ""
) -> ActivityPlan:
    audit_what = what(via)
    plan = _load(plan_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, plan.participation, None, audit_what, Action.CHANGE)
    _check_open(plan.participation)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=True)
        row = PlannedActivity.objects.filter(pk=activity_id, plan=locked).first()
        if row is None:
            raise DomainError(_("Aktiviteten finns inte längre i planen. Ladda om sidan."))
        row.delete()
        _bump(locked, expected_version)
    return locked


def submit_plan(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, *,
    today: datetime.date | None = None, via: str = "",
) -> ActivityPlan:
    """Send the plan to the home district. Completes "plan drawn up" and starts the approval clock."""
    today = today or timezone.localdate()
    audit_what = what(via)
    plan = _load(plan_id, actor, audit_what, Action.CHANGE)
    participation = plan.participation
    authorise(user, actor, participation, Step.SUBMIT, audit_what, Action.CHANGE)
    _check_open(participation)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=False)
        new_status = rules.next_status(locked.status, Step.SUBMIT)
        errors = rules.submit_errors(
            goal=locked.goal, start=locked.start_date, review=locked.review_date, long_plan_reason=locked.long_plan_reason,
            activity_count=locked.activities.count(), status=locked.status, version=locked.version,
            version_at_return=locked.version_at_return,
        )
        if errors:
            raise DomainError(errors)
        locked.status = new_status
        locked.submitted_on = today
        locked.submitted_at = timezone.now()
        locked.district_id = participation.home_district_id
        locked.decided_on, locked.decided_by, locked.decision_comment = None, None, ""
        _bump(locked, expected_version,
              ["status", "district", "submitted_on", "submitted_at", "decided_on", "decided_by", "decision_comment"])
        PlanDecision.objects.create(plan=locked, kind=Decision.SUBMITTED, on=today, by=user, by_name=_signature(user))
        deadlines.complete(participation, Kind.PLAN_DRAWN_UP, today)
        deadlines.open_deadline(participation, Kind.PLAN_APPROVAL, start=today, subject_id=locked.pk)
        append(kind="plan_submitted", author=user, participation=participation, occurred_on=today,
               text=_("Aktivitetsplan version %(number)s skickad till stadsdelen för godkännande.") % {"number": locked.number},
               data={"plan_id": locked.pk, "number": locked.number})
    return locked


def approve_plan(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, comment: str = "", *,
    today: datetime.date | None = None, via: str = "",
) -> ActivityPlan:
    """The home district approves: this version becomes the valid plan (frozen), an earlier approved
    version is superseded, and the review clock runs to the plan's review date."""
    today = today or timezone.localdate()
    audit_what = what(via, DECISION_GROUP)
    plan = _load(plan_id, actor, audit_what, Action.CHANGE)
    participation = plan.participation
    authorise(user, actor, participation, Step.APPROVE, audit_what, Action.CHANGE)
    _check_open(participation)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=False)
        new_status = rules.next_status(locked.status, Step.APPROVE)
        waited = rules.waiting_days(locked.submitted_on, today)
        previous = ActivityPlan.objects.filter(participation=participation, status=Status.APPROVED).exclude(pk=locked.pk).first()
        if previous is not None:
            rules.next_status(previous.status, Step.SUPERSEDE)
            ActivityPlan.objects.filter(pk=previous.pk).update(status=Status.SUPERSEDED, updated_at=timezone.now())
            deadlines.complete(participation, Kind.PLAN_REVIEW, today, subject_id=previous.pk)
        locked.status = new_status
        locked.decided_on = today
        locked.decided_by = user
        locked.decision_comment = (comment or "").strip()
        _bump(locked, expected_version, ["status", "decided_on", "decided_by", "decision_comment"])
        locked._stored_status = new_status
        PlanDecision.objects.create(plan=locked, kind=Decision.APPROVED, on=today, by=user, by_name=_signature(user),
                                    district_id=getattr(user, "district_id", None), comment=locked.decision_comment,
                                    waiting_days=waited)
        deadlines.complete(participation, Kind.PLAN_APPROVAL, today, subject_id=locked.pk)
        if locked.review_date:
            deadlines.open_deadline(participation, Kind.PLAN_REVIEW, due=locked.review_date, subject_id=locked.pk)
        append(kind="plan_approved", author=user, participation=participation, occurred_on=today,
               text=_("Aktivitetsplan version %(number)s godkänd av stadsdelen.") % {"number": locked.number},
               data={"plan_id": locked.pk, "number": locked.number, "waiting_days": waited,
                     "superseded_plan_id": previous.pk if previous else None})
    return locked


def _before_decision(
    user: User, actor: Actor, plan_id: int, step: Step, comment: str, required: Any, via: str
) -> tuple[Participation, str]:
    """A district decision that needs a comment (return, reject): side and relation checked and
    audited, the participation open, the comment given. Returns the participation and the comment."""
    audit_what = what(via, DECISION_GROUP)
    plan = _load(plan_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, plan.participation, step, audit_what, Action.CHANGE)
    _check_open(plan.participation)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError({"comment": [required]})
    return plan.participation, comment


def _decide(
    locked: ActivityPlan, user: User, step: Step, decision: Decision, comment: str, today: datetime.date,
    expected_version: int | None, **extra: Any,
) -> int | None:
    """Inside the transaction: take the district's `step` on the locked plan, record the decision with
    its comment and waiting time, stop the approval clock. Returns the working days waited."""
    new_status = rules.next_status(locked.status, step)
    waited = rules.waiting_days(locked.submitted_on, today)
    locked.status, locked.decided_on, locked.decided_by, locked.decision_comment = new_status, today, user, comment
    for name, value in extra.items():
        setattr(locked, name, value)
    _bump(locked, expected_version, ["status", "decided_on", "decided_by", "decision_comment", *extra])
    PlanDecision.objects.create(plan=locked, kind=decision, on=today, by=user, by_name=_signature(user),
                                district_id=getattr(user, "district_id", None), comment=comment, waiting_days=waited)
    deadlines.complete(locked.participation, Kind.PLAN_APPROVAL, today, subject_id=locked.pk)
    return waited


def return_plan(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, comment: str, *,
    today: datetime.date | None = None, via: str = "",
) -> ActivityPlan:
    """The home district sends the plan back with a comment (mandatory); the coach edits and resubmits."""
    today = today or timezone.localdate()
    participation, comment = _before_decision(user, actor, plan_id, Step.RETURN, comment, COMMENT_REQUIRED, via)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=False)
        assert expected_version is not None  # _lock refused a missing version
        waited = _decide(locked, user, Step.RETURN, Decision.RETURNED, comment, today, expected_version,
                         version_at_return=expected_version + 1)
        append(kind="plan_returned", author=user, participation=participation, occurred_on=today,
               text=_("Aktivitetsplan version %(number)s skickad tillbaka av stadsdelen: %(comment)s")
               % {"number": locked.number, "comment": comment},
               data={"plan_id": locked.pk, "number": locked.number, "waiting_days": waited})
    return locked


def reject_plan(
    user: User, actor: Actor, plan_id: int, expected_version: int | None, reason: str, *,
    today: datetime.date | None = None, via: str = "",
) -> ActivityPlan:
    """The home district rejects the plan (avslag) with a reason (mandatory). The version is closed as
    rejected, never approved; the coach draws up a new plan (the clock "plan drawn up" starts again
    unless an earlier approved version is still valid) and sees the reason in her to-do list."""
    today = today or timezone.localdate()
    participation, reason = _before_decision(user, actor, plan_id, Step.REJECT, reason, REASON_REQUIRED, via)
    with transaction.atomic():
        locked = _lock(plan_id, expected_version, editable=False)
        waited = _decide(locked, user, Step.REJECT, Decision.REJECTED, reason, today, expected_version)
        if not ActivityPlan.objects.filter(participation=participation, status=Status.APPROVED).exists():
            deadlines.open_deadline(participation, Kind.PLAN_DRAWN_UP, start=today)
        append(kind=EventKind.PLAN_REJECTED, author=user, participation=participation, occurred_on=today,
               text=_("Aktivitetsplan version %(number)s avslagen av stadsdelen: %(reason)s")
               % {"number": locked.number, "reason": reason},
               data={"plan_id": locked.pk, "number": locked.number, "waiting_days": waited})
    return locked


def revise_plan(
    user: User, actor: Actor, plan_id: int, *, today: datetime.date | None = None, via: str = ""
) -> ActivityPlan:
    """Start a new version of an approved plan: a draft copy that needs the district's approval.
    The approved version stays the valid plan until then."""
    today = today or timezone.localdate()
    audit_what = what(via)
    plan = _load(plan_id, actor, audit_what, Action.CREATE)
    participation = plan.participation
    authorise(user, actor, participation, Step.REVISE, audit_what, Action.CREATE)
    _check_open(participation)
    with transaction.atomic():
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        source = ActivityPlan.objects.get(pk=plan_id)
        rules.next_status(source.status, Step.REVISE)
        open_version = ActivityPlan.objects.filter(
            participation=participation, status__in=rules.EDITABLE + (Status.SUBMITTED,)
        ).first()
        if open_version is not None:
            raise DomainError(
                _("Det finns redan en ny version under arbete (version %(number)s).") % {"number": open_version.number}
            )
        number = (ActivityPlan.objects.filter(participation=participation).aggregate(m=Max("number"))["m"] or 0) + 1
        draft = ActivityPlan.objects.create(
            participation=participation, number=number, previous=source, created_by=user,
            goal=source.goal, start_date=source.start_date, review_date=source.review_date,
            long_plan_reason=source.long_plan_reason,
        )
        PlannedActivity.objects.bulk_create(
            [
                PlannedActivity(plan=draft, description=a.description, catalogue_item_id=a.catalogue_item_id,
                                start_date=a.start_date, end_date=a.end_date)
                for a in source.activities.all()
            ]
        )
        append(kind="plan_revision_started", author=user, participation=participation, occurred_on=today,
               text=_("Ny version %(number)s av aktivitetsplanen påbörjad. Version %(valid)s gäller tills den nya är godkänd.")
               % {"number": number, "valid": source.number},
               data={"plan_id": draft.pk, "number": number, "previous_id": source.pk})
    return draft


def _signature(user: User) -> str:
    return user.get_full_name() or user.get_username()
