"""Who may find, read, register and edit persons (core.capabilities, ADR 0013).

Whether the user reaches one person is access.policy's; "reach" opens the endpoints, and the
services ask "search", "create" and "edit", so a refusal is audited against the person. "protection" is the protection-level
page and endpoint: every role may ask, because lowering is also the data protection officer's
(a flag on any user, people.services.may_lower_protection), and the page decides per person.
"""

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, PERSON_ROLES, every
from jobbtorg.core.capabilities import ALL, DISTRICT, UNIT

EDITORS = (Role.COACH, Role.SOCIAL_WORKER)

CAPABILITIES: dict[str, dict[str, str]] = {
    # The person endpoints (search, page, API) are open to every role: access.policy answers,
    # and audits, who is seen: nobody for analysts, HR and the administrator (an empty list, a 404).
    "reach": every(EVERY_ROLE),
    "search": every(PERSON_ROLES),  # search the population of one's scope (access.policy.can_search)
    "create": {Role.COACH: ALL, Role.SOCIAL_WORKER: DISTRICT},
    "edit": every(EDITORS),
    "raise_protection": every(EDITORS),
    # Lowering or removing: the unit manager of a live participation (or named on the person);
    # also the data protection officer, whatever the role (people.services.may_lower_protection).
    "lower_protection": {Role.UNIT_MANAGER: UNIT},
    "protection": every(EVERY_ROLE),
}
