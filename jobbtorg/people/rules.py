"""Who may find, read, register and edit persons (core.capabilities, ADR 0013).

Whether the user reaches one person is access.policy's. "protection" is the protection-level
page and endpoint: every role may ask, because lowering is also the data protection officer's
(a flag on any user, people.services.may_lower_protection), and the page decides per person.
"""

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, PERSON_ROLES, every
from jobbtorg.core.capabilities import ALL, DISTRICT, UNIT

EDITORS = (Role.COACH, Role.SOCIAL_WORKER)

CAPABILITIES: dict[str, dict[str, str]] = {
    "search": every(PERSON_ROLES),
    "read": every(PERSON_ROLES),
    "create": {Role.COACH: ALL, Role.SOCIAL_WORKER: DISTRICT},
    "edit": every(EDITORS),
    "raise_protection": every(EDITORS),
    # Lowering or removing: the unit manager of a live participation (or named on the person);
    # also the data protection officer, whatever the role (people.services.may_lower_protection).
    "lower_protection": {Role.UNIT_MANAGER: UNIT},
    "protection": every(EVERY_ROLE),
}
