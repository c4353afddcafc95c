"""Who may read and annotate a person's timeline (core.capabilities, ADR 0013)."""

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import every
from jobbtorg.core.capabilities import OWN

CAPABILITIES: dict[str, dict[str, str]] = {
    "read": every((Role.COACH, Role.UNIT_MANAGER, Role.SOCIAL_WORKER, Role.OSA_OFFICER)),
    # A correction or an objection: the coach of the entry's participation (timeline.selectors).
    "annotate": {Role.COACH: OWN},
}
