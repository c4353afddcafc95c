"""The one write path for the timeline (LEGAL.md, SoL 14 kap. 3 och 6 §§).

`append` is called by every service that changes a participation, inside its own transaction,
so the event and the change land together or not at all; that service has checked access.

`correct` and `add_objection` are the timeline's own changes, asked for from the person page.
They own access, permission, transaction and audit, like participations.services: the
relation to the person (access.policy.check_person) and the right to annotate the entry
(timeline.selectors) are checked before the transaction, and a refusal is audited there so
the log keeps it; a user without access gets AccessDenied (shown as 404, the same as for a
person that does not exist), one without the right PermissionDenied (403).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import may
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import Participation
from jobbtorg.people.models import Person
from jobbtorg.timeline import rules, selectors
from jobbtorg.timeline.kinds import EventKind, event_kind
from jobbtorg.timeline.models import Objection, TimelineEntry

# The audit entry's "what" per annotation.
CORRECTION = AuditEvent.TIMELINE_CORRECTION
OBJECTION = AuditEvent.TIMELINE_OBJECTION
NOTE = AuditEvent.TIMELINE_NOTE


def append(
    *,
    kind: EventKind | str,
    text: str,
    author: User | None,
    participation: Participation | None = None,
    person: Person | None = None,
    occurred_on: datetime.date | None = None,
    data: dict[str, Any] | None = None,
    corrects: TimelineEntry | None = None,
) -> TimelineEntry:
    """Append one signed entry. `person` defaults to the participation's person; `kind` must be
    one of timeline.kinds.EventKind (ValueError otherwise), so no event is stored untyped."""
    if person is None:
        if participation is None:
            raise ValueError("append needs a participation or a person")
        person = participation.person
    return TimelineEntry.objects.create(
        person=person,
        participation=participation,
        kind=event_kind(kind).value,
        text=text,
        author=author,
        author_name=(author.get_full_name() or author.get_username()) if author else "system",
        author_role=getattr(author, "role", "system") if author else "system",
        occurred_on=occurred_on or timezone.localdate(),
        data=data or {},
        corrects=corrects,
    )


@dataclass(frozen=True)
class Annotating:
    """An entry the user may annotate, with its person (for the page and the audit entry)."""

    person: Person
    entry: TimelineEntry


def authorise(user: User, actor: Actor, person_id: int, entry_id: int, what: str, action: str) -> Annotating:
    """The person exists and the user may see them, read the case file and annotate this entry
    (a correction also needs an entry that is not the district's own). Refusals are audited.

    Call it before any transaction: a refusal raised inside one would roll back with it.
    """
    person = Person.objects.select_related("home_district").filter(pk=person_id).first()
    entry = (
        TimelineEntry.objects.select_related("participation__unit", "corrects").filter(pk=entry_id, person_id=person_id).first()
        if person is not None
        else None
    )
    if person is None or entry is None:
        record(actor, action, what, person.pk if person else None, allowed=False)
        raise AccessDenied()
    if not check_person(user, person).allowed or not selectors.may_read(user):
        record(actor, action, what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    may = selectors.may_correct if what == CORRECTION else selectors.may_annotate
    if not may(user, entry, selectors.coach_participation_ids(user, person)):
        record(actor, action, what, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att göra det här för händelsen."))
    return Annotating(person, entry)


def show(user: User, actor: Actor, person_id: int, entry_id: int, what: str) -> Annotating:
    """The entry with its form: a read of the person, audited as such."""
    found = authorise(user, actor, person_id, entry_id, what, Action.READ)
    record(actor, Action.READ, what, found.person.pk, protected=found.person.is_protected)
    return found


def correct(user: User, actor: Actor, person_id: int, entry_id: int, text: str) -> TimelineEntry:
    """A correction is a new entry pointing at the old one; the old one stays as it was."""
    found = authorise(user, actor, person_id, entry_id, CORRECTION, Action.CHANGE)
    if not text.strip():
        raise DomainError({"text": [_("Skriv vad rättelsen gäller.")]})
    entry = found.entry
    with transaction.atomic():
        new = append(
            kind=EventKind.ENTRY_CORRECTED,
            text=text,
            author=user,
            participation=entry.participation,
            person=entry.person,
            data={"corrects_kind": entry.kind},
            corrects=entry,
        )
        record(
            actor, Action.CHANGE, CORRECTION, found.person.pk, protected=found.person.is_protected,
            details={"entry": entry.pk, "new": new.pk},
        )
    return new


def note_target(user: User, actor: Actor, person_id: int) -> Participation:
    """The participation the user's case note on this person goes on (the note form's page, a read
    of the person, audited). A person out of reach is AccessDenied; no casework, PermissionDenied."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not check_person(user, person).allowed or not selectors.may_read(user):
        record(actor, Action.READ, NOTE, person.pk if person else None, allowed=False,
               protected=bool(person and person.is_protected))
        raise AccessDenied()
    participation = selectors.note_participation(user, person)
    if participation is None:
        record(actor, Action.READ, NOTE, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att skriva anteckningar om personen."))
    record(actor, Action.READ, NOTE, person.pk, protected=person.is_protected)
    return participation


def add_note(
    user: User, actor: Actor, participation_id: int, *, note_type: str, occurred_on: datetime.date | None, text: str
) -> TimelineEntry:
    """A case note (journalanteckning), typed and dated with the day it happened. Like every entry
    it is never changed: a correction is a new entry (`correct`)."""
    participation = Participation.objects.select_related("person", "unit").filter(pk=participation_id).first()
    person = participation.person if participation else None
    if participation is None or person is None or not check_person(user, person).allowed or not selectors.may_read(user):
        record(actor, Action.CHANGE, NOTE, person.pk if person else None, allowed=False,
               protected=bool(person and person.is_protected))
        raise AccessDenied()
    if not may(user, "timeline.write_note", **participation_rules.facts(participation)):
        record(actor, Action.CHANGE, NOTE, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att skriva anteckningar i det här deltagandet."))
    errors = rules.validate_note(
        note_type=note_type, occurred_on=occurred_on, text=text, referred_on=participation.referred_on,
        today=timezone.localdate(),
    )
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        entry = append(
            kind=EventKind.NOTE_RECORDED,
            text=text.strip(),
            author=user,
            participation=participation,
            occurred_on=occurred_on,
            data={"note_type": note_type},
        )
        record(actor, Action.CHANGE, NOTE, person.pk, protected=person.is_protected, details={"new": entry.pk})
    return entry


def add_objection(user: User, actor: Actor, person_id: int, entry_id: int, text: str) -> Objection:
    """Note that the participant says the entry is wrong (14 kap. 6 § SoL); the entry is untouched."""
    found = authorise(user, actor, person_id, entry_id, OBJECTION, Action.CHANGE)
    if not text.strip():
        raise DomainError({"text": [_("Skriv deltagarens invändning.")]})
    with transaction.atomic():
        objection = Objection.objects.create(
            entry=found.entry, text=text, recorded_by=user, recorded_by_name=user.get_full_name() or user.get_username()
        )
        record(
            actor, Action.CHANGE, OBJECTION, found.person.pk, protected=found.person.is_protected,
            details={"entry": found.entry.pk, "new": objection.pk},
        )
    return objection
