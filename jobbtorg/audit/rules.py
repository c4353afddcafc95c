"""Who may review the audit log (core.capabilities, ADR 0013).

The system administrator reviews everything; a unit manager the entries of the unit's own
staff (audit.selectors.review_scope applies the scope).
"""

from jobbtorg.accounts.models import Role
from jobbtorg.core.capabilities import ALL, UNIT

CAPABILITIES: dict[str, dict[str, str]] = {
    "review": {Role.SYSADMIN: ALL, Role.UNIT_MANAGER: UNIT},
}
