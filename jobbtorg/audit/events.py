"""What an audit entry is about, as one enum (issue 9 item 6, docs/adr/0017).

The stored `what` is the member's value: the same readable Swedish text the log review has always
shown, so old rows stay valid and the log reads as before. Services name a member instead of
typing the text; a reader finds every audited event here. A change's old and new values go in
`details` (`changed(field=(old, new))`), never in `what`.

Call sites still passing text (f"deltagande {id}: ...", the subsidies helper's f"steg {kind}")
move here app by app; `record` takes either while they do.
"""

from enum import StrEnum
from typing import Any


class AuditEvent(StrEnum):
    # people
    PERSON_CREATED = "person: registrering"
    PERSON_CHANGED = "person: ändring av grunduppgifter"
    PROTECTION_RAISED = "person: höjd skyddsnivå"
    PROTECTION_LOWERED = "person: sänkt skyddsnivå"
    PROTECTION_LOWER_REFUSED = "person: sänkt skyddsnivå nekad"
    # access
    SUBSTITUTION = "vikarie"
    EMERGENCY_ACCESS = "nödåtkomst"
    EMERGENCY_ACCESS_SIGNED = "nödåtkomst signerad"
    # referrals
    REFERRAL = "anvisning"
    # activities
    ACTIVITY = "insatser · insats"
    ACTIVITY_FOLLOWUP = "insatser · uppföljning"
    ACTIVITY_SESSIONS = "insatser · tillfällen"
    ATTENDANCE = "insatser · närvaro"
    DEVIATION = "insatser · avvikelse"
    # timeline
    TIMELINE_CORRECTION = "tidslinje · rättelse"
    TIMELINE_OBJECTION = "tidslinje · deltagarens invändning"
    TIMELINE_NOTE = "tidslinje · journalanteckning"
    # log review (the reviewer's own steps; the review of a list keeps its text "Loggranskning: …")
    LOG_PERSONNUMMER_LOOKUP = "loggranskning · sökning på personnummer"
    LOG_PERSON_REFUSED = "loggranskning · person utanför granskarens enhet"


def changed(**fields: tuple[Any, Any]) -> dict[str, dict[str, Any]]:
    """Details of a change: `changed(coach=(3, 7))` -> {"coach": {"old": 3, "new": 7}}."""
    return {name: {"old": old, "new": new} for name, (old, new) in fields.items()}
