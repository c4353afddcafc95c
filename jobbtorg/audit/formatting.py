"""How log entries are shown and exported: labels, and masking of stray personnummer."""

import re

from jobbtorg.accounts.models import Role
from jobbtorg.audit.models import Action, Outcome

ROLE_LABELS = dict(Role.choices)
ACTION_LABELS = dict(Action.choices)
OUTCOME_LABELS = dict(Outcome.choices)

# A personnummer or samordningsnummer (10 or 12 digits, with or without -/+) in free text.
_PERSONNUMMER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def redact(text: str) -> str:
    """Mask anything shaped like a personnummer in an entry's free text ("what").

    Callers are to write ids, never names or numbers, into "what"; this is the
    safety net for the review pages and the CSV export.
    """
    return _PERSONNUMMER.sub("[personnummer]", text or "")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def change_rows(entry_details: object) -> list[tuple[str, str, str]]:
    """An entry's old → new values as (field, old, new) texts, for the list of changes.

    Administration entries hold {"changes": {field: {"old", "new"}}} (accounts.audit);
    protection-level entries hold {"old", "new", "reason"} (people.services).
    """
    from jobbtorg.accounts.audit import FIELD_LABELS
    from jobbtorg.people.models import ProtectionLevel

    details = entry_details if isinstance(entry_details, dict) else {}
    levels = dict(ProtectionLevel.choices)

    def text(field: str, value: object) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return "ja" if value else "nej"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if field == "role":
            return role_label(str(value))
        if field == "protection_level":
            return str(levels.get(str(value), value))
        return redact(str(value))

    rows = []
    changes = details.get("changes")
    if isinstance(changes, dict):
        for field, change in changes.items():
            change = change if isinstance(change, dict) else {}
            label = str(FIELD_LABELS.get(str(field), field))
            rows.append((label, text(field, change.get("old")), text(field, change.get("new"))))
    elif "old" in details or "new" in details:
        rows.append(("skyddsnivå", text("protection_level", details.get("old")), text("protection_level", details.get("new"))))
    return rows
