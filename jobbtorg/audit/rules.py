"""Who may review the audit log (core.capabilities, ADR 0013).

- "review": the whole log review (who has looked at a person, unusual accesses, changes of
  rights). The system administrator reviews everything; a unit manager the entries of the unit's
  own staff and the persons of the unit (audit.selectors.review_scope applies the scope).
- "staff_log": what one employee has done ("vad har den här användaren gjort"). Also HR's, for
  HR cases about an employee (README): HR sees the employee's entries in words, with times and
  outcomes, but no person ids and no case content, and no log of any person.
"""

from jobbtorg.accounts.models import Role
from jobbtorg.core.capabilities import ALL, UNIT

CAPABILITIES: dict[str, dict[str, str]] = {
    "review": {Role.SYSADMIN: ALL, Role.UNIT_MANAGER: UNIT},
    "staff_log": {Role.SYSADMIN: ALL, Role.UNIT_MANAGER: UNIT, Role.HR: ALL},
}
