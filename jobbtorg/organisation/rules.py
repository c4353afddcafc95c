"""Who may read the city's organisation (core.capabilities, ADR 0013): reference data, every role."""

from jobbtorg.accounts.rules import EVERY_ROLE, every

CAPABILITIES: dict[str, dict[str, str]] = {
    "read": every(EVERY_ROLE),
}
