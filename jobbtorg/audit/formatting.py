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
