"""Access + audit in one call: the only way views, API and exports reach a person.

`open_person` checks the relation and writes the audit entry whether allowed or
refused; a refusal raises AccessDenied, which views and the API turn into a
plain 404 so nothing about the person leaks. `log_listed` writes one entry per
person shown in a list or search result.

The writes that widen a coach's access (issue 8 item 6) are here too, each audited as
`Action.ACCESS`: naming a substitute (`create_substitution`, `revoke_substitution`), taking
emergency access (`grant_emergency_access`, flagged for review) and the unit manager's
sign-off of it (`sign_emergency_access`). Refusals are recorded before anything is written,
outside any transaction, so they stay in the log.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access import rules
from jobbtorg.access.models import EMERGENCY_ACCESS_HOURS, EmergencyAccess, Substitution
from jobbtorg.access.policy import Decision, check_person, emergency_candidates, may_request_emergency_access
from jobbtorg.accounts.models import Role, User
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record, record_many
from jobbtorg.core.capabilities import holds
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.people.models import Person

SUBSTITUTION_WHAT = AuditEvent.SUBSTITUTION
EMERGENCY_WHAT = AuditEvent.EMERGENCY_ACCESS
EMERGENCY_SIGNED_WHAT = AuditEvent.EMERGENCY_ACCESS_SIGNED


def open_person(user: User, actor: Actor, person_id: int, what: str, action: str = Action.READ) -> tuple[Person, Decision]:
    """Return the person and the access decision, or raise AccessDenied (logged)."""
    person = Person.objects.select_related("home_district").filter(pk=person_id).first()
    if person is None:
        record(actor, action, what, None, allowed=False)
        raise AccessDenied()
    decision = check_person(user, person)
    # A read under emergency access is flagged, like the grant itself, for the unit manager's review.
    record(
        actor, action, what, person.pk, allowed=decision.allowed, protected=person.is_protected,
        flagged=decision.emergency,
    )
    if not decision.allowed:
        raise AccessDenied()
    return person, decision


def log_listed(actor: Actor, what: str, people: Iterable[Person], action: str = Action.LIST) -> None:
    record_many(actor, action, what, [(p.pk, p.is_protected) for p in people])


# --- substitutes (vikarie) -------------------------------------------------------------------------


def may_manage_substitutions(user: User) -> bool:
    """Unit managers for the coaches of their unit, coaches for themselves."""
    return bool(holds(user, "access.manage_substitutions") and user.jobbtorg_unit_id)


def unit_coaches(unit_id: int | None) -> list[User]:
    """The active coaches of a unit, the only ones who can be absent or stand in there."""
    if unit_id is None:
        return []
    return list(
        User.objects.filter(role=Role.COACH, jobbtorg_unit_id=unit_id, is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
    )


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def create_substitution(
    user: User,
    actor: Actor,
    *,
    absent_coach_id: int | None,
    substitute_id: int | None,
    valid_from: datetime.date,
    valid_to: datetime.date,
) -> Substitution:
    """Name `substitute` to stand in for `absent_coach` during the period.

    A unit manager does it for any coach of her unit, a coach only for herself; the substitute
    must be another active coach of the same unit."""
    if not may_manage_substitutions(user):
        record(actor, Action.ACCESS, SUBSTITUTION_WHAT, None, allowed=False)
        raise PermissionDenied(_("Du kan inte ange vikarier."))
    if user.role == Role.COACH:
        absent_coach_id = user.pk
    coaches = {c.pk: c for c in unit_coaches(user.jobbtorg_unit_id)}
    errors: rules.Errors = {}
    absent = coaches.get(absent_coach_id or 0)
    if absent is None:
        errors["absent_coach"] = [_("Välj en coach vid ditt jobbtorg.")]
    substitute = coaches.get(substitute_id or 0)
    if substitute is None:
        errors["substitute"] = [_("Vikarien måste vara en aktiv coach vid samma jobbtorg.")]
    elif absent is not None and substitute.pk == absent.pk:
        errors["substitute"] = [_("En coach kan inte vara vikarie för sig själv.")]
    today = timezone.localdate()
    for field, messages in rules.validate_period(valid_from, valid_to, today).items():
        errors.setdefault(field, []).extend(messages)
    if not errors and absent is not None and substitute is not None:
        overlapping = Substitution.objects.filter(
            absent_coach=absent, substitute=substitute, revoked_at__isnull=True,
            valid_from__lte=valid_to, valid_to__gte=valid_from,
        )
        if overlapping.exists():
            errors["valid_from"] = [_("Vikarien är redan angiven för hela eller delar av perioden.")]
    if errors:
        raise DomainError(errors)
    assert absent is not None and substitute is not None and user.jobbtorg_unit_id is not None
    with transaction.atomic():
        substitution = Substitution.objects.create(
            absent_coach=absent,
            substitute=substitute,
            unit_id=user.jobbtorg_unit_id,
            valid_from=valid_from,
            valid_to=valid_to,
            created_by=user,
        )
        record(
            actor, Action.ACCESS, SUBSTITUTION_WHAT, None,
            details={
                "substitution": substitution.pk,
                "absent_coach": absent.get_username(),
                "substitute": substitute.get_username(),
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat(),
            },
        )
    return substitution


def names_for_others(user: User) -> bool:
    """The unit manager names substitutes for any coach of her unit; a coach only for herself."""
    return may_manage_substitutions(user) and holds(user, "access.name_substitutes_for_others")


def may_revoke(user: User, substitution: Substitution) -> bool:
    if not may_manage_substitutions(user) or substitution.unit_id != user.jobbtorg_unit_id:
        return False
    return names_for_others(user) or substitution.absent_coach_id == user.pk


def revoke_substitution(user: User, actor: Actor, substitution_id: int) -> Substitution:
    """End a substitution now (kept, not deleted: the log review must see who stood in when)."""
    substitution = Substitution.objects.select_related("absent_coach", "substitute").filter(pk=substitution_id).first()
    if substitution is None or not may_revoke(user, substitution):
        record(actor, Action.ACCESS, SUBSTITUTION_WHAT, None, allowed=False, details={"substitution": substitution_id})
        raise AccessDenied()
    now = timezone.now()
    with transaction.atomic():
        changed = Substitution.objects.filter(pk=substitution.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=user
        )
        if not changed:
            raise DomainError({"non_field_errors": [_("Vikarien är redan återkallad.")]})
        record(
            actor, Action.ACCESS, SUBSTITUTION_WHAT, None,
            details={
                "substitution": substitution.pk,
                "revoked": True,
                "absent_coach": substitution.absent_coach.get_username(),
                "substitute": substitution.substitute.get_username(),
            },
        )
    substitution.revoked_at, substitution.revoked_by = now, user
    return substitution


# --- emergency access (nödåtkomst) -----------------------------------------------------------------


def grant_emergency_access(user: User, actor: Actor, person_id: int, reason: str) -> EmergencyAccess:
    """A coach opens a person of her unit outside her caseload for 24 hours, stating why.

    Only persons with a live participation at her unit and without a protected identity can be
    reached (policy.emergency_candidates); anything else is the same logged refusal as an unknown
    person. The grant is audited as a flagged ACCESS entry with the reason and the expiry."""
    today = timezone.localdate()
    person = None
    if may_request_emergency_access(user):
        person = emergency_candidates(user, today).filter(pk=person_id).first()
    if person is None:
        record(actor, Action.ACCESS, EMERGENCY_WHAT, person_id if Person.objects.filter(pk=person_id).exists() else None,
               allowed=False)
        raise AccessDenied()
    decision = check_person(user, person, today)
    if decision.allowed and not decision.emergency:
        raise DomainError({"non_field_errors": [_("Du har redan åtkomst till personen.")]})
    if decision.emergency:
        raise DomainError({"non_field_errors": [_("Du har redan nödåtkomst till personen.")]})
    errors = rules.validate_reason(reason)
    if errors:
        raise DomainError(errors)
    text = " ".join(reason.split())
    now = timezone.now()
    expires = now + datetime.timedelta(hours=EMERGENCY_ACCESS_HOURS)
    assert user.jobbtorg_unit_id is not None
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=user, person=person, unit_id=user.jobbtorg_unit_id, reason=text, granted_at=now, expires_at=expires
        )
        record(
            actor, Action.ACCESS, EMERGENCY_WHAT, person.pk, flagged=True,
            details={"emergency_access": access.pk, "reason": text, "expires_at": expires.isoformat()},
        )
    return access


def may_sign(user: User) -> bool:
    return bool(holds(user, "access.sign_emergency_access") and user.jobbtorg_unit_id)


def sign_emergency_access(user: User, actor: Actor, access_id: int) -> EmergencyAccess:
    """The unit manager signs off one emergency access of her unit (who and when are stored and audited)."""
    access = EmergencyAccess.objects.select_related("user").filter(pk=access_id).first()
    if access is None or not may_sign(user) or access.unit_id != user.jobbtorg_unit_id:
        record(actor, Action.ACCESS, EMERGENCY_SIGNED_WHAT, access.person_id if access else None, allowed=False,
               details={"emergency_access": access_id})
        raise AccessDenied()
    now = timezone.now()
    with transaction.atomic():
        changed = EmergencyAccess.objects.filter(pk=access.pk, signed_at__isnull=True).update(signed_by=user, signed_at=now)
        if not changed:
            raise DomainError({"non_field_errors": [_("Nödåtkomsten är redan signerad.")]})
        record(
            actor, Action.ACCESS, EMERGENCY_SIGNED_WHAT, access.person_id,
            details={"emergency_access": access.pk, "user": access.user.get_username(), "signed_at": now.isoformat()},
        )
    access.signed_by, access.signed_at = user, now
    return access
