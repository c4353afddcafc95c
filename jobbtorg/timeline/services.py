"""Appending to the timeline. Every service that changes a participation calls `append`
inside its own transaction, so the event and the change land together or not at all.
"""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import User
from jobbtorg.core.errors import DomainError
from jobbtorg.participations.models import Participation
from jobbtorg.people.models import Person
from jobbtorg.timeline.models import Objection, TimelineEntry


def append(
    *,
    kind: str,
    text: str,
    author: User | None,
    participation: Participation | None = None,
    person: Person | None = None,
    occurred_on: datetime.date | None = None,
    data: dict[str, Any] | None = None,
    corrects: TimelineEntry | None = None,
) -> TimelineEntry:
    """Append one signed entry. `person` defaults to the participation's person."""
    if person is None:
        if participation is None:
            raise ValueError("append needs a participation or a person")
        person = participation.person
    return TimelineEntry.objects.create(
        person=person,
        participation=participation,
        kind=kind,
        text=text,
        author=author,
        author_name=(author.get_full_name() or author.get_username()) if author else "system",
        author_role=getattr(author, "role", "system") if author else "system",
        occurred_on=occurred_on or timezone.localdate(),
        data=data or {},
        corrects=corrects,
    )


def correct(entry: TimelineEntry, text: str, author: User) -> TimelineEntry:
    """A correction is a new entry pointing at the old one; the old one stays as it was."""
    if not text.strip():
        raise DomainError({"text": [_("Skriv vad rättelsen gäller.")]})
    return append(
        kind="entry_corrected",
        text=text,
        author=author,
        participation=entry.participation,
        person=entry.person,
        data={"corrects_kind": entry.kind},
        corrects=entry,
    )


def add_objection(entry: TimelineEntry, text: str, author: User) -> Objection:
    """Note that the participant says the entry is wrong."""
    if not text.strip():
        raise DomainError({"text": [_("Skriv deltagarens invändning.")]})
    return Objection.objects.create(
        entry=entry, text=text, recorded_by=author, recorded_by_name=author.get_full_name() or author.get_username()
    )
