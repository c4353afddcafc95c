"""Who may open the start page and the menu (core.capabilities, ADR 0013): every role has one."""

from jobbtorg.accounts.rules import EVERY_ROLE, every

CAPABILITIES: dict[str, dict[str, str]] = {
    "start": every(EVERY_ROLE),
}
