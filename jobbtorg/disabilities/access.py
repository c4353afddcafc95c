"""The health relation: who may see a person's disability registrations (LEGAL.md, GDPR art. 9).

Narrower than `access.policy`: the general relation must hold (check_person), and on
top of it one of

| role | relation |
| --- | --- |
| coach | coach of the person's open participation (not unit-wide) |
| OSA officer | officer of the person's home district |

Everyone else - unit managers, other coaches at the unit, matchers, provider staff,
social workers, analysts - is refused, and the refusal is logged like any access.
"""

import datetime

from django.utils import timezone

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import User
from jobbtorg.core.capabilities import HOME_DISTRICT, OWN, may, scope_of
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.people.models import Person


def health_relation(user: User, person: Person, today: datetime.date | None = None) -> str | None:
    """Why `user` may see `person`'s health data ("coach" or "osa_officer"), or None."""
    today = today or timezone.localdate()
    scope = scope_of(getattr(user, "role", None), "disabilities.read")  # the capability's row (rules.py)
    if scope == OWN:
        if not Participation.objects.filter(person=person, coach=user, status__in=OPEN_STATUSES).exists():
            return None
        relation = "coach"
    elif scope == HOME_DISTRICT:
        if not may(user, "disabilities.read", home_district_id=person.home_district_id):
            return None
        relation = "osa_officer"
    else:
        return None
    # The general relation must hold too (e.g. a protected identity needs a direct relation).
    return relation if check_person(user, person, today).allowed else None
