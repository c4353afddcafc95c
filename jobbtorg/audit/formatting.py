"""How log entries are shown and exported: labels, entries in words, visits, and masking of
stray personnummer."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jobbtorg.accounts.models import Role
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action, AuditEntry, Outcome

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


# --- entries in words ("öppnade kartläggningen") ------------------------------------------------
# One table: what each action did (past tense; infinitive for a refusal), what an entry's stored
# text is about (an audit event, a data group, or the page's path), and whole phrases for the
# events that say it all. Every phrase is marked for translation and translated where shown.

VERBS: dict[str, tuple[str, str]] = {
    Action.READ: (gettext_noop("öppnade"), gettext_noop("öppna")),
    Action.SEARCH: (gettext_noop("fick sökträff på"), gettext_noop("söka fram")),
    Action.LIST: (gettext_noop("såg"), gettext_noop("lista")),  # "såg planen i en lista": LISTED
    Action.CREATE: (gettext_noop("registrerade"), gettext_noop("registrera")),
    Action.CHANGE: (gettext_noop("ändrade"), gettext_noop("ändra")),
    Action.EXPORT: (gettext_noop("exporterade"), gettext_noop("exportera")),
    Action.PRINT: (gettext_noop("skrev ut"), gettext_noop("skriva ut")),
    Action.ADMIN: (gettext_noop("ändrade"), gettext_noop("ändra")),
    Action.ACCESS: (gettext_noop("ändrade"), gettext_noop("ändra")),
}

# Whole phrases (done, refused) for events whose stored text starts with the event.
EVENT_PHRASES: dict[str, tuple[str, str]] = {
    AuditEvent.LOG_PERSONNUMMER_LOOKUP: (
        gettext_noop("sökte på personnummer i loggranskningen"),
        gettext_noop("sökte på personnummer i loggranskningen – nekades"),
    ),
    AuditEvent.LOG_PERSON_REFUSED: (
        gettext_noop("bad om loggen för en person"),
        gettext_noop("bad om loggen för en person utanför sin enhet – nekades"),
    ),
    AuditEvent.PROTECTION_LOWER_REFUSED: (
        gettext_noop("försökte sänka personens skyddsnivå – nekades"),
        gettext_noop("försökte sänka personens skyddsnivå – nekades"),
    ),
    AuditEvent.PROTECTION_RAISED: (
        gettext_noop("höjde personens skyddsnivå"),
        gettext_noop("försökte höja personens skyddsnivå – nekades"),
    ),
    AuditEvent.PROTECTION_LOWERED: (
        gettext_noop("sänkte personens skyddsnivå"),
        gettext_noop("försökte sänka personens skyddsnivå – nekades"),
    ),
    AuditEvent.PERSON_CREATED: (
        gettext_noop("registrerade personen"),
        gettext_noop("försökte registrera personen – nekades"),
    ),
    AuditEvent.PERSON_CHANGED: (
        gettext_noop("ändrade personens grunduppgifter"),
        gettext_noop("försökte ändra personens grunduppgifter – nekades"),
    ),
    AuditEvent.EMERGENCY_ACCESS_SIGNED: (
        gettext_noop("signerade en nödåtkomst"),
        gettext_noop("försökte signera en nödåtkomst – nekades"),
    ),
    AuditEvent.EMERGENCY_ACCESS: (
        gettext_noop("tog nödåtkomst till personen"),
        gettext_noop("försökte ta nödåtkomst – nekades"),
    ),
    AuditEvent.SUBSTITUTION: (gettext_noop("ändrade en vikarie"), gettext_noop("försökte ändra en vikarie – nekades")),
    AuditEvent.TIMELINE_CORRECTION: (
        gettext_noop("rättade en händelse i tidslinjen"),
        gettext_noop("försökte rätta tidslinjen – nekades"),
    ),
    AuditEvent.TIMELINE_OBJECTION: (
        gettext_noop("noterade deltagarens invändning"),
        gettext_noop("försökte notera en invändning – nekades"),
    ),
    "startsida": (
        gettext_noop("såg personen i en deltagarlista på startsidan"),
        gettext_noop("försökte öppna startsidan – nekades"),
    ),
    "loggexport": (gettext_noop("exporterade loggen"), gettext_noop("försökte exportera loggen – nekades")),
    "loggranskning": (gettext_noop("granskade loggen"), gettext_noop("försökte granska loggen – nekades")),
    "inloggning misslyckades": (gettext_noop("misslyckades att logga in"), gettext_noop("misslyckades att logga in")),
    "inloggning spärrad": (gettext_noop("spärrades från inloggning"), gettext_noop("spärrades från inloggning")),
}
# Longest first, so "nödåtkomst signerad" wins over "nödåtkomst".
_EVENT_KEYS = sorted(EVENT_PHRASES, key=len, reverse=True)

# What the entry is about: the first keyword found in its stored text (lower case), most specific
# first. Data groups of the services ("kartläggning · hälsa") and the pages' paths ("/planer/").
OBJECTS: tuple[tuple[str, str], ...] = (
    ("kartläggning · hälsa", gettext_noop("hälsouppgifterna i kartläggningen")),
    ("kartläggning", gettext_noop("kartläggningen")),
    ("/kartlaggning/", gettext_noop("kartläggningen")),
    ("godkännande", gettext_noop("beslutet om planen")),
    ("aktivitetsplan", gettext_noop("planen")),
    ("/planer/", gettext_noop("planen")),
    ("funktionsnedsättning", gettext_noop("uppgifterna om funktionsnedsättning")),
    ("/funktionsnedsattning/", gettext_noop("uppgifterna om funktionsnedsättning")),
    ("osa", gettext_noop("OSA-anställningen")),
    ("lönebidrag", gettext_noop("lönebidragsärendet")),
    ("kvalificering", gettext_noop("kvalificeringen för anställningsstöd")),
    ("arbetsmarknadshistorik", gettext_noop("arbetsmarknadshistoriken")),
    ("stödärende", gettext_noop("stödärendet")),
    ("/stod/", gettext_noop("stödärendet")),
    ("anvisning", gettext_noop("anvisningen")),
    ("närvaro", gettext_noop("närvaron")),
    ("avvikelse", gettext_noop("avvikelsen")),
    ("tillfällen", gettext_noop("insatsens tillfällen")),
    ("uppföljning", gettext_noop("uppföljningen")),
    ("insats", gettext_noop("insatsen")),
    ("tidslinje", gettext_noop("tidslinjen")),
    ("deltagande", gettext_noop("deltagandet")),
    ("/notiser/", gettext_noop("notiserna")),
    ("/atkomst/", gettext_noop("åtkomstinställningarna")),
    ("/logg/", gettext_noop("loggen")),
    ("användare", gettext_noop("en användare eller dess behörighet")),
    ("sök", gettext_noop("personen")),
    ("person", gettext_noop("personen")),
)
SOMETHING = gettext_noop("en sida")
DONE = gettext_noop("%(verb)s %(object)s")
LISTED = gettext_noop("såg %(object)s i en lista")
TRIED = gettext_noop("försökte %(verb)s %(object)s – nekades")


def describe(action: str, what: str, outcome: str) -> str:
    """An entry in words, in the user's language: "öppnade kartläggningen",
    "försökte öppna planen – nekades", "sökte på personnummer i loggranskningen".
    Never the stored text itself (no "GET /kartlaggning/1/")."""
    refused = outcome == Outcome.REFUSED
    text = (what or "").lower()
    for key in _EVENT_KEYS:
        if text.startswith(key):
            done, tried = EVENT_PHRASES[key]
            return _(tried if refused else done)
    if action == Action.LOGIN:
        return _("misslyckades att logga in")
    past, infinitive = VERBS.get(action, VERBS[Action.READ])
    if action == Action.ADMIN:
        thing = gettext_noop("en användare eller dess behörighet")
    elif action == Action.ACCESS:
        thing = gettext_noop("åtkomsten till personen")
    else:
        thing = next((noun for key, noun in OBJECTS if key in text), SOMETHING)
    if refused:
        return _(TRIED) % {"verb": _(infinitive), "object": _(thing)}
    if action == Action.LIST:
        return _(LISTED) % {"object": _(thing)}
    return _(DONE) % {"verb": _(past), "object": _(thing)}


# --- visits: entries grouped per user and session -----------------------------------------------
# The log holds no session key: a visit is one user's entries with no gap longer than this.
VISIT_GAP = datetime.timedelta(minutes=30)


@dataclass
class Visit:
    """One user's entries close together in time (newest first), shown under one header."""

    username: str
    acting_role: str
    entries: list[AuditEntry] = field(default_factory=list)

    @property
    def first(self) -> datetime.datetime:
        return self.entries[-1].at

    @property
    def last(self) -> datetime.datetime:
        return self.entries[0].at

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def refused(self) -> int:
        return sum(1 for e in self.entries if e.outcome == Outcome.REFUSED)


def visits(entries: Iterable[AuditEntry], gap: datetime.timedelta = VISIT_GAP) -> list[Visit]:
    """Entries (newest first) grouped into visits: the same user (id, or name for a background
    task) and role, each entry at most `gap` before the one after it. Entries of other users in
    between do not split a visit. Visits come in the order of their newest entry."""
    groups: list[Visit] = []
    open_visits: dict[tuple[object, str, str], Visit] = {}
    for entry in entries:
        key = (entry.user_id, entry.username, entry.acting_role)
        visit = open_visits.get(key)
        if visit is None or visit.entries[-1].at - entry.at > gap:
            visit = Visit(entry.username, entry.acting_role)
            groups.append(visit)
            open_visits[key] = visit
        visit.entries.append(entry)
    return groups
