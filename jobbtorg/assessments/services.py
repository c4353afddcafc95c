"""The one write path for assessments (kartläggning). Web pages and the API call these.

Every function: checks the relation to the person (access policy) and the role rule
(assessments.rules), writes the audit entry (allowed or refused), locks the row,
refuses a completed version (frozen) and a stale row version (ConflictError, nothing
saved), validates, saves, and appends to the timeline where the step matters to the
person's file.

`via` names the page or endpoint for the audit entry ("what": page/endpoint · data group).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import User
from jobbtorg.assessments import rules
from jobbtorg.assessments.models import Assessment, HealthInformation, Status, WorkExperience
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import may
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.core.types import StrOrPromise
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import Participation
from jobbtorg.timeline.services import append

GROUP = "kartläggning"
HEALTH_GROUP = f"kartläggning · {rules.HEALTH_GROUP}"

EDIT_REFUSED = gettext_lazy("Bara deltagarens coacher på jobbtorget kan ändra kartläggningen.")
HEALTH_REFUSED = gettext_lazy("Hälsouppgifterna kan bara ändras av deltagarens egen coach.")
CLOSED_MESSAGE = gettext_lazy("Deltagandet är avslutat. Kartläggningen kan inte längre ändras.")
STALE_MESSAGE = gettext_lazy("Någon annan har ändrat kartläggningen medan du arbetade. Ladda om sidan och gör ändringen igen.")


class NotPermitted(DomainError):
    """The user reaches the person but the role rule does not allow this step (HTTP 403)."""

    http_status = 403


def what(via: str, group: str = GROUP) -> str:
    return f"{via} · {group}" if via else group


def authorise(
    user: User,
    actor: Actor,
    participation: Participation,
    audit_what: str,
    *,
    action: str,
    permitted: bool,
    message: StrOrPromise,
) -> None:
    """Relation first (no relation: AccessDenied, shown as 404), then the role rule; one audit entry."""
    person = participation.person
    if not check_person(user, person).allowed:
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    if not permitted:
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        raise NotPermitted(message)
    record(actor, action, audit_what, person.pk, allowed=True, protected=person.is_protected)


def may_edit(user: User, participation: Participation) -> bool:
    """Casework on the participant's file (core.capabilities "assessments.edit")."""
    return may(user, "assessments.edit", **participation_rules.facts(participation))


def _load(assessment_id: int, actor: Actor, audit_what: str, action: str) -> Assessment:
    assessment = Assessment.objects.select_related("participation__person").filter(pk=assessment_id).first()
    if assessment is None:
        record(actor, action, audit_what, None, allowed=False)
        raise AccessDenied()
    return assessment


def _lock_draft(assessment_id: int, expected_version: int | None, step: str = rules.Step.EDIT) -> Assessment:
    """Inside a transaction: the draft row, locked; a step the state machine refuses (a frozen
    version) and stale versions refused."""
    locked = Assessment.objects.select_for_update().get(pk=assessment_id)
    rules.next_status(locked.status, step)
    if expected_version is None or locked.version != expected_version:
        raise ConflictError(STALE_MESSAGE)
    return locked


def _check_open(participation: Participation) -> None:
    if not participation.is_open:
        raise DomainError(CLOSED_MESSAGE)


def _bump(assessment: Assessment, expected_version: int | None, fields: Iterable[str] = ()) -> None:
    assessment.updated_at = timezone.now()
    save_versioned(assessment, expected_version, [*fields, "updated_at"])


def start_draft(user: User, actor: Actor, participation_id: int, *, via: str = "") -> tuple[Assessment, bool]:
    """The draft to work on: the existing one, else a new version copied from the last completed one,
    else version 1. Returns (draft, created)."""
    audit_what = what(via)
    participation = Participation.objects.select_related("person").filter(pk=participation_id).first()
    if participation is None:
        record(actor, Action.CREATE, audit_what, None, allowed=False)
        raise AccessDenied()
    authorise(user, actor, participation, audit_what, action=Action.CREATE, permitted=may_edit(user, participation),
              message=EDIT_REFUSED)
    _check_open(participation)
    with transaction.atomic():
        # Serialise concurrent starts for the same participation on the participation row.
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        existing = Assessment.objects.filter(participation=participation, status=Status.DRAFT).first()
        if existing:
            return existing, False
        last = Assessment.objects.filter(participation=participation).order_by("-number").first()
        if last:
            rules.next_status(last.status, rules.Step.REVISE)  # only a completed version is revised
        draft = _copy(last, user) if last else Assessment.objects.create(participation=participation, number=1, created_by=user)
        if last:
            append(kind="assessment_revision_started", author=user, participation=participation,
                   text=_("Ny version %(number)s av kartläggningen påbörjad.") % {"number": draft.number},
                   data={"assessment_id": draft.pk, "number": draft.number, "previous_id": last.pk})
        else:
            append(kind="assessment_started", author=user, participation=participation,
                   text=_("Kartläggningen påbörjad."), data={"assessment_id": draft.pk, "number": 1})
        return draft, True


def _copy(source: Assessment, user: User) -> Assessment:
    """A new draft version with the content of `source` (its rows and health information too)."""
    values = {name: getattr(source, name) for name in rules.ASSESSMENT_FIELDS}
    draft = Assessment.objects.create(
        participation_id=source.participation_id, number=source.number + 1, previous=source, created_by=user, **values
    )
    WorkExperience.objects.bulk_create(
        [
            WorkExperience(assessment=draft, occupation_id=row.occupation_id, years=row.years, country=row.country,
                           description=row.description)
            for row in source.work_experience.all()
        ]
    )
    health = HealthInformation.objects.filter(assessment=source).first()
    if health:
        HealthInformation.objects.create(assessment=draft, **{name: getattr(health, name) for name in rules.HEALTH_FIELDS})
    return draft


def _validate_fields(instance: Any, names: Iterable[str]) -> None:
    names = set(names)
    exclude = [f.name for f in instance._meta.fields if f.name not in names]
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        raise DomainError(exc.message_dict) from exc


def update_assessment(
    user: User, actor: Actor, assessment_id: int, expected_version: int | None, values: dict[str, Any], *,
    today: datetime.date | None = None, via: str = "",
) -> Assessment:
    """Save fields of a draft (any of rules.ASSESSMENT_FIELDS; one section or several)."""
    today = today or timezone.localdate()
    unknown = set(values) - set(rules.ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"not assessment fields: {sorted(unknown)}")
    audit_what = what(via)
    assessment = _load(assessment_id, actor, audit_what, Action.CHANGE)
    participation = assessment.participation
    authorise(user, actor, participation, audit_what, action=Action.CHANGE, permitted=may_edit(user, participation),
              message=EDIT_REFUSED)
    _check_open(participation)
    with transaction.atomic():
        locked = _lock_draft(assessment_id, expected_version)
        for name, value in values.items():
            setattr(locked, name, value)
        _validate_fields(locked, values)
        if values.get("sfi_test_date") and values["sfi_test_date"] > today:
            raise DomainError({"sfi_test_date": [_("Datum för SFI-test kan inte vara ett framtida datum.")]})
        _bump(locked, expected_version, values)
    return locked


def update_health(
    user: User, actor: Actor, assessment_id: int, expected_version: int | None, values: dict[str, Any], *, via: str = ""
) -> HealthInformation:
    """Save the health section: the participation's own coach only; audited as its own data group."""
    unknown = set(values) - set(rules.HEALTH_FIELDS)
    if unknown:
        raise ValueError(f"not health fields: {sorted(unknown)}")
    audit_what = what(via, HEALTH_GROUP)
    assessment = _load(assessment_id, actor, audit_what, Action.CHANGE)
    participation = assessment.participation
    permitted = may_edit(user, participation) and rules.may_see_health(user_id=user.pk, coach_id=participation.coach_id)
    authorise(user, actor, participation, audit_what, action=Action.CHANGE, permitted=permitted, message=HEALTH_REFUSED)
    _check_open(participation)
    with transaction.atomic():
        locked = _lock_draft(assessment_id, expected_version)
        health = HealthInformation.objects.filter(assessment=locked).first() or HealthInformation(assessment=locked)
        for name, value in values.items():
            setattr(health, name, value)
        _validate_fields(health, values)
        health.save()
        _bump(locked, expected_version)
    assessment.version = locked.version
    return health


def _work_row(assessment: Assessment, data: dict[str, Any]) -> WorkExperience:
    errors: dict[str, list[str]] = {}
    if data.get("occupation") is None:
        errors["occupation"] = [_("Välj ett yrke ur listan.")]
    if data.get("years") is None:
        errors["years"] = [_("Ange antal år.")]
    if errors:
        raise DomainError(errors)
    row = WorkExperience(
        assessment=assessment,
        occupation=data["occupation"],
        years=data["years"],
        country=data.get("country", "") or "",
        description=data.get("description", "") or "",
    )
    _validate_fields(row, ["years", "country", "description"])
    return row


def add_work_experience(
    user: User, actor: Actor, assessment_id: int, expected_version: int | None, data: dict[str, Any], *, via: str = ""
) -> WorkExperience:
    """Add one row of work experience (occupation from the list, years, optionally country and description)."""
    audit_what = what(via)
    assessment = _load(assessment_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, assessment.participation, audit_what, action=Action.CHANGE,
              permitted=may_edit(user, assessment.participation), message=EDIT_REFUSED)
    _check_open(assessment.participation)
    with transaction.atomic():
        locked = _lock_draft(assessment_id, expected_version)
        row = _work_row(locked, data)
        row.save()
        _bump(locked, expected_version)
    return row


def remove_work_experience(
    user: User, actor: Actor, assessment_id: int, expected_version: int | None, row_id: int, *, via: str = ""
) -> Assessment:
    audit_what = what(via)
    assessment = _load(assessment_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, assessment.participation, audit_what, action=Action.CHANGE,
              permitted=may_edit(user, assessment.participation), message=EDIT_REFUSED)
    _check_open(assessment.participation)
    with transaction.atomic():
        locked = _lock_draft(assessment_id, expected_version)
        row = WorkExperience.objects.filter(pk=row_id, assessment=locked).first()
        if row is None:
            raise DomainError(_("Raden finns inte längre. Ladda om sidan."))
        row.delete()
        _bump(locked, expected_version)
    return locked


def replace_work_experience(
    user: User, actor: Actor, assessment_id: int, expected_version: int | None, rows: list[dict[str, Any]], *, via: str = ""
) -> Assessment:
    """Replace all rows at once (the API sends the whole list)."""
    audit_what = what(via)
    assessment = _load(assessment_id, actor, audit_what, Action.CHANGE)
    authorise(user, actor, assessment.participation, audit_what, action=Action.CHANGE,
              permitted=may_edit(user, assessment.participation), message=EDIT_REFUSED)
    _check_open(assessment.participation)
    with transaction.atomic():
        locked = _lock_draft(assessment_id, expected_version)
        new_rows = []
        for index, data in enumerate(rows):
            try:
                new_rows.append(_work_row(locked, data))
            except DomainError as exc:
                raise DomainError({f"work_experience[{index}].{k}": v for k, v in exc.message_dict.items()}) from exc
        WorkExperience.objects.filter(assessment=locked).delete()
        WorkExperience.objects.bulk_create(new_rows)
        _bump(locked, expected_version)
    return locked


def complete_assessment(
    user: User, actor: Actor, assessment_id: int, expected_version: int | None, *,
    today: datetime.date | None = None, via: str = "",
) -> Assessment:
    """Complete (freeze) the draft: from now on this version never changes."""
    today = today or timezone.localdate()
    audit_what = what(via)
    assessment = _load(assessment_id, actor, audit_what, Action.CHANGE)
    participation = assessment.participation
    authorise(user, actor, participation, audit_what, action=Action.CHANGE, permitted=may_edit(user, participation),
              message=EDIT_REFUSED)
    _check_open(participation)
    with transaction.atomic():
        locked = _lock_draft(assessment_id, expected_version, rules.Step.COMPLETE)
        errors = rules.completion_errors({name: getattr(locked, name) for name in rules.ASSESSMENT_FIELDS})
        if errors:
            raise DomainError(errors)
        locked.status = rules.next_status(locked.status, rules.Step.COMPLETE)
        locked.completed_on = today
        locked.completed_by = user
        _bump(locked, expected_version, ["status", "completed_on", "completed_by"])
        append(kind="assessment_completed", author=user, participation=participation, occurred_on=today,
               text=_("Kartläggningen version %(number)s slutförd.") % {"number": locked.number},
               data={"assessment_id": locked.pk, "number": locked.number})
    locked._stored_status = Status.COMPLETE
    return locked
