"""Writing audit entries. Every read, list, search, create, change and export of
personal data calls `record` (or `record_many` for a list), allowed or refused.

Durability (docs/adr/0012): an entry is never lost with the caller's transaction.
- Outside a transaction `record` appends at once (its own short transaction).
- Inside the caller's transaction it only notes the entry in a journal on the
  connection; nothing is written there, so the caller never holds the chain lock and
  an aborted transaction can not swallow the entry. When the caller's outermost
  block ends (jobbtorg.audit.backends), the journal is appended in autocommit:
  everything when the block committed; refusals and reads (which happened whatever
  became of the transaction) also when it rolled back; allowed creates and changes
  that were rolled back are dropped, since they did not happen.
Each entry is written once. In a test wrapped in a TestCase transaction, the test's
own blocks count as "no transaction": entries are appended at once, inside the test.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from jobbtorg.audit import chain
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.transactions import in_callers_transaction

# Allowed entries of these actions stand whatever becomes of the caller's transaction: the data was shown.
_HAPPENED_ANYWAY = frozenset({Action.READ, Action.SEARCH, Action.LIST, Action.EXPORT, Action.PRINT, Action.LOGIN})
_JOURNAL = "_audit_journal"
_ACTIONS = frozenset(Action.values)  # read once: Action.values builds a new list on every call


@dataclass(frozen=True)
class Actor:
    """Who acts, as what, from where: taken from a request or given by a task."""

    user_id: int | None
    username: str
    role: str
    client_address: str | None = None

    @classmethod
    def from_request(cls, request: Any) -> "Actor":
        user = request.user
        return cls(
            user_id=user.pk,
            username=user.get_username(),
            role=getattr(user, "role", ""),
            client_address=client_address(request),
        )

    @classmethod
    def system(cls, name: str = "system") -> "Actor":
        return cls(user_id=None, username=name, role="system")


def client_address(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def record(
    actor: Actor,
    action: str,
    what: "AuditEvent | str",
    person_id: int | None,
    *,
    allowed: bool = True,
    protected: bool = False,
    flagged: bool = False,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry. `what` is an audit.events.AuditEvent (text only where a call site has not moved
    yet); `flagged` puts it in the log review whatever the outcome; `details` holds old and new
    values (audit.events.changed) or a stated reason (JSON-serialisable, no free text about health)."""
    fields = _fields(actor, action, what, person_id, allowed, protected)
    fields["flagged"] = fields["flagged"] or flagged
    # Stored as it will be read back (tuples become lists ...), so that the hash matches.
    fields["details"] = json.loads(json.dumps(details or {}))
    entry = AuditEntry(**fields)
    _submit([entry], survives=not allowed or action in _HAPPENED_ANYWAY)
    return entry


def record_many(actor: Actor, action: str, what: str, people: Iterable[tuple[int, bool]]) -> None:
    """One entry per person shown in a list or search result: (person_id, is_protected)."""
    entries = [AuditEntry(**_fields(actor, action, what, pid, True, protected)) for pid, protected in people]
    _submit(entries, survives=action in _HAPPENED_ANYWAY)


# --- durability: the journal -------------------------------------------------------------------


class _Marker:
    """Registered with on_commit for a journalled entry. Django drops it when the savepoint or
    transaction the entry was recorded in rolls back; whether it is still registered when the
    outermost block ends tells whether the entry's transaction committed. Running it does nothing."""

    def __call__(self) -> None:
        return None


@dataclass
class _Pending:
    entries: list[AuditEntry]
    survives: bool
    marker: _Marker = field(default_factory=_Marker)


def _submit(entries: list[AuditEntry], *, survives: bool) -> None:
    if not entries:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    if in_callers_transaction(conn):
        pending = _Pending(entries, survives)
        journal: list[_Pending] | None = getattr(conn, _JOURNAL, None)
        if journal is None:
            journal = []
            setattr(conn, _JOURNAL, journal)
        journal.append(pending)
        transaction.on_commit(pending.marker)
        return
    if getattr(conn, _JOURNAL, None):
        # Left over from a block that ended without the backend's hooks (atomic(savepoint=False)).
        chain.append(settle(conn))
    chain.append(entries)


def settle(conn: BaseDatabaseWrapper) -> list[AuditEntry]:
    """The journalled entries to append now that the caller's outermost block has ended, in the
    order they were recorded; the journal is emptied. Called by jobbtorg.audit.backends before
    the connection's commit hooks run."""
    pending: list[_Pending] = getattr(conn, _JOURNAL, None) or []
    if not pending:
        return []
    setattr(conn, _JOURNAL, [])
    # Django keeps (savepoint ids, function, robust) per hook; the stubs know only the first two.
    committed = {id(hook[1]) for hook in conn.run_on_commit if isinstance(hook[1], _Marker)}
    conn.run_on_commit = [hook for hook in conn.run_on_commit if not isinstance(hook[1], _Marker)]
    return [e for p in pending if id(p.marker) in committed or p.survives for e in p.entries]


def append_settled(entries: list[AuditEntry]) -> None:
    if entries:
        chain.append(entries)


def _fields(actor: Actor, action: str, what: str, person_id: int | None, allowed: bool, protected: bool) -> dict[str, Any]:
    if action not in _ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "acting_role": actor.role,
        "person_id": person_id,
        "action": action,
        "what": what[:200],
        "outcome": Outcome.ALLOWED if allowed else Outcome.REFUSED,
        "client_address": actor.client_address,
        "flagged": protected or not allowed,
    }


def record_capability_refusal(sender: Any, request: Any, capability: str, **kwargs: Any) -> None:
    """An endpoint refused a role without the capability (core.capabilities): one refused entry.

    No person is named: the refusal comes before any object is read."""
    action = Action.READ if request.method in ("GET", "HEAD") else Action.CHANGE
    record(Actor.from_request(request), action, f"{request.method} {request.path} · {capability}", None, allowed=False)
