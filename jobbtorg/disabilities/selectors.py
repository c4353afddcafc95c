"""Reads of disability registrations.

`documentation_status(person, on_date)` is the hook for subsidy and OSA cases: per
registered code whether its documentation is still valid on that date. It does no
access check and writes no audit entry of its own - the caller has opened the person
(and must not show the codes to anyone without the health relation; a case page shows
only whether documentation has expired). `registrations_for` is the audited read for
pages and the API.
"""

import datetime
from dataclasses import dataclass

from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor
from jobbtorg.disabilities import rules
from jobbtorg.disabilities.access import health_relation
from jobbtorg.disabilities.models import DisabilityRegistration
from jobbtorg.disabilities.services import open_for_health
from jobbtorg.people.models import Person


@dataclass(frozen=True)
class DocumentationStatus:
    code: str
    label: str
    sub_kind: str
    documented_on: datetime.date
    source: str
    valid_until: datetime.date | None  # None: permanent, or the seed names no time limit
    expired: bool

    @property
    def valid(self) -> bool:
        return not self.expired

    @property
    def status(self) -> str:
        return "expired" if self.expired else "valid"


def status_of(reg: DisabilityRegistration, on_date: datetime.date) -> DocumentationStatus:
    return DocumentationStatus(
        code=reg.code,
        label=str(rules.CODES[reg.code].label) if reg.code in rules.CODES else reg.code,
        sub_kind=reg.sub_kind,
        documented_on=reg.documented_on,
        source=reg.source,
        valid_until=rules.valid_until(reg.code, reg.sub_kind, reg.documented_on),
        expired=rules.is_expired(reg.code, reg.sub_kind, reg.documented_on, on_date),
    )


def documentation_status(person: Person | int, on_date: datetime.date) -> list[DocumentationStatus]:
    """Per registered code: code, label, documentation date, source, valid_until, expired. One query."""
    person_id = person if isinstance(person, int) else person.pk
    return [status_of(r, on_date) for r in DisabilityRegistration.objects.filter(person_id=person_id).order_by("code")]


def any_expired(person: Person | int, on_date: datetime.date) -> bool:
    return any(s.expired for s in documentation_status(person, on_date))


def registrations_for(
    user: User, actor: Actor, person_id: int, where: str = "lista"
) -> tuple[Person, list[DisabilityRegistration]]:
    """The person's registrations for a page or API call: health relation checked, read logged."""
    person = open_for_health(user, actor, person_id, where, Action.READ)
    rows = list(
        DisabilityRegistration.objects.filter(person=person).select_related("registered_by", "changed_by").order_by("code")
    )
    return person, rows


def can_see(user: User, person: Person) -> bool:
    """For deciding whether to show the section's link at all (no data read, nothing logged)."""
    return health_relation(user, person) is not None


def person_section(user: User, person: Person) -> dict[str, object] | None:
    """Context for `disabilities/_person_section.html`: a link, only for users with the health relation.

    Reads no health data (so the person page does not log a health read); the page it links to does.
    """
    return {"person": person} if can_see(user, person) else None
