"""Writing audit entries. Every read, list, search, create, change and export of
personal data calls `record` (or `record_many` for a list), allowed or refused.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jobbtorg.audit.models import Action, AuditEntry, Outcome


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
    what: str,
    person_id: int | None,
    *,
    allowed: bool = True,
    protected: bool = False,
    flagged: bool = False,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry. `flagged` puts it in the log review whatever the outcome; `details` holds
    old and new values or a stated reason (JSON-serialisable, no free text about health)."""
    fields = _fields(actor, action, what, person_id, allowed, protected)
    fields["flagged"] = fields["flagged"] or flagged
    fields["details"] = details or {}
    return AuditEntry.objects.create(**fields)


def record_many(actor: Actor, action: str, what: str, people: Iterable[tuple[int, bool]]) -> None:
    """One entry per person shown in a list or search result: (person_id, is_protected)."""
    AuditEntry.objects.bulk_create(
        [AuditEntry(**_fields(actor, action, what, pid, True, protected)) for pid, protected in people]
    )


def _fields(actor: Actor, action: str, what: str, person_id: int | None, allowed: bool, protected: bool) -> dict[str, Any]:
    if action not in Action.values:
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
