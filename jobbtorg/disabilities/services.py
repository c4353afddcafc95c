"""The one write path for disability registrations, and the audited door to them.

Every read, create and change passes `open_for_health`, which decides the health
relation (disabilities.access) and writes one audit entry with the data group
"funktionsnedsättning", allowed or refused. No timeline entry is written: the
timeline is read by everyone with a relation to the person, and health data must
not reach them (GDPR art. 9, LEGAL.md).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.disabilities import rules
from jobbtorg.disabilities.access import health_relation
from jobbtorg.disabilities.models import DATA_GROUP, DisabilityRegistration
from jobbtorg.people.models import Person


class HealthAccessDenied(PermissionDenied):
    """The user may see the person but not the person's health data: 403, nothing shown."""


def what(where: str) -> str:
    return f"{where} · {DATA_GROUP}"


def open_for_health(user: User, actor: Actor, person_id: int, where: str, action: str = Action.READ) -> Person:
    """The person, when `user` has the health relation; else AccessDenied (404) or HealthAccessDenied (403).

    One audit entry either way, with the data group in `what`.
    """
    person = Person.objects.select_related("home_district").filter(pk=person_id).first()
    if person is None:
        record(actor, action, what(where), None, allowed=False)
        raise AccessDenied()
    today = timezone.localdate()
    if not check_person(user, person, today).allowed:
        record(actor, action, what(where), person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    relation = health_relation(user, person, today)
    record(actor, action, what(where), person.pk, allowed=relation is not None, protected=person.is_protected)
    if relation is None:
        raise HealthAccessDenied()
    return person


def _validate(code: str, sub_kind: str, documented_on: datetime.date | None, source: str) -> None:
    entry = rules.CODES.get(code)
    if entry is not None and not entry.needs_sub_kind:
        sub_kind = sub_kind or ""
    errors = rules.check(code, sub_kind, documented_on, source, timezone.localdate())
    if errors:
        raise DomainError({name: [message] for name, message in errors.items()})


def register(
    user: User,
    actor: Actor,
    person_id: int,
    *,
    code: str,
    sub_kind: str = "",
    documented_on: datetime.date | None,
    source: str,
    source_note: str = "",
) -> DisabilityRegistration:
    """Register a code for a person. A code not in the checklist is refused; nothing is saved."""
    code = (code or "").strip()
    with transaction.atomic():
        person = open_for_health(user, actor, person_id, f"registrering {code or '-'}", Action.CREATE)
        _validate(code, sub_kind or "", documented_on, source)
        assert documented_on is not None  # _validate refuses a missing date
        if DisabilityRegistration.objects.filter(person=person, code=code).exists():
            raise DomainError({"code": [
                "Koden är redan registrerad för personen. Ändra den registreringen när ett nytt underlag kommer in."
            ]})  # fmt: skip
        return DisabilityRegistration.objects.create(
            person=person,
            code=code,
            sub_kind=sub_kind or "",
            documented_on=documented_on,
            source=source,
            source_note=source_note.strip(),
            registered_by=user,
        )


def change(
    user: User,
    actor: Actor,
    registration_id: int,
    *,
    version: int,
    sub_kind: str = "",
    documented_on: datetime.date | None,
    source: str,
    source_note: str = "",
) -> DisabilityRegistration:
    """New documentation for a registered code (date, source, sub-kind). Optimistic locking on `version`."""
    reg = DisabilityRegistration.objects.filter(pk=registration_id).first()
    if reg is None:
        record(actor, Action.CHANGE, what(f"registrering {registration_id}"), None, allowed=False)
        raise AccessDenied()
    with transaction.atomic():
        open_for_health(user, actor, reg.person_id, f"registrering {reg.pk}", Action.CHANGE)
        _validate(reg.code, sub_kind or "", documented_on, source)
        assert documented_on is not None  # _validate refuses a missing date
        reg.sub_kind = sub_kind or ""
        reg.documented_on = documented_on
        reg.source = source
        reg.source_note = source_note.strip()
        reg.changed_by = user
        reg.updated_at = timezone.now()
        save_versioned(reg, version, ["sub_kind", "documented_on", "source", "source_note", "changed_by", "updated_at"])
    return reg
