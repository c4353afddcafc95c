"""Access + audit in one call: the only way views, API and exports reach a person.

`open_person` checks the relation and writes the audit entry whether allowed or
refused; a refusal raises AccessDenied, which views and the API turn into a
plain 404 so nothing about the person leaks. `log_listed` writes one entry per
person shown in a list or search result.
"""

from collections.abc import Iterable

from jobbtorg.access.policy import Decision, check_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record, record_many
from jobbtorg.core.errors import AccessDenied
from jobbtorg.people.models import Person


def open_person(user: User, actor: Actor, person_id: int, what: str, action: str = Action.READ) -> tuple[Person, Decision]:
    """Return the person and the access decision, or raise AccessDenied (logged)."""
    person = Person.objects.select_related("home_district").filter(pk=person_id).first()
    if person is None:
        record(actor, action, what, None, allowed=False)
        raise AccessDenied()
    decision = check_person(user, person)
    record(actor, action, what, person.pk, allowed=decision.allowed, protected=person.is_protected)
    if not decision.allowed:
        raise AccessDenied()
    return person, decision


def log_listed(actor: Actor, what: str, people: Iterable[Person], action: str = Action.LIST) -> None:
    record_many(actor, action, what, [(p.pk, p.is_protected) for p in people])
