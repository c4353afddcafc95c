"""Who gets notifications (core.capabilities, ADR 0013).

"digest" is the roles with a worklist of deadlines: the menu badge, the daily e-mail digest
and the notification page's deadline part all read this one row.
"""

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, every
from jobbtorg.core.capabilities import DISTRICT

CAPABILITIES: dict[str, dict[str, str]] = {
    "read": every(EVERY_ROLE),  # one-off messages reach every role
    # OSA officers for their cases' follow-ups (the one deadline store, ADR 0016).
    "digest": every((Role.COACH, Role.SOCIAL_WORKER, Role.UNIT_MANAGER, Role.OSA_OFFICER)),
    # The home district is told when its resident is interrupted, restarted or closed (issue 10 item 5).
    "district_news": {Role.SOCIAL_WORKER: DISTRICT},
}
