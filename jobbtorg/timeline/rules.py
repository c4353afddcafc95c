"""Who may read and annotate a person's timeline (core.capabilities, ADR 0013), and the bounds
of a case note (journalanteckning)."""

import datetime

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import every
from jobbtorg.core.capabilities import OWN, CapabilityTable
from jobbtorg.participations.rules import CASEWORK
from jobbtorg.timeline.models import NoteType

CAPABILITIES: CapabilityTable = {
    "read": every((Role.COACH, Role.UNIT_MANAGER, Role.SOCIAL_WORKER, Role.OSA_OFFICER)),
    # A correction or an objection: the coach of the entry's participation (timeline.selectors).
    "annotate": {Role.COACH: OWN},
    # A case note on a participation: those who do casework on it (participations.rules.CASEWORK).
    "write_note": CASEWORK,
}

MAX_NOTE = 4000

Errors = dict[str, list[str]]


def validate_note(
    *, note_type: str, occurred_on: datetime.date | None, text: str, referred_on: datetime.date, today: datetime.date
) -> Errors:
    """A note has a type, a text and the day it happened: not in the future, not before the participation."""
    errors: Errors = {}
    if note_type not in NoteType.values:
        errors.setdefault("note_type", []).append(_("Välj vilken sorts anteckning det är."))
    if not text.strip():
        errors.setdefault("text", []).append(_("Skriv anteckningen."))
    elif len(text) > MAX_NOTE:
        errors.setdefault("text", []).append(_("Texten är för lång – högst %(max)s tecken.") % {"max": MAX_NOTE})
    if occurred_on is None:
        errors.setdefault("occurred_on", []).append(_("Ange ett datum."))
    elif occurred_on > today:
        errors.setdefault("occurred_on", []).append(_("Anteckningen kan inte gälla en dag i framtiden."))
    elif occurred_on < referred_on:
        errors.setdefault("occurred_on", []).append(
            _("Ange ett datum som är samma dag som eller efter anvisningsdatum (%(date)s).") % {"date": referred_on.isoformat()}
        )
    return errors
