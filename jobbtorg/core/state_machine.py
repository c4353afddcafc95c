"""State machines as data (ADR 0014), plain Python without the ORM.

Each app's rules.py declares its machine as a table: (status, action) → Step(next status,
capability). The capability names an entry of that app's CAPABILITIES table, so "who may
take this step" and "from where" are read from one place. The same two functions answer
the page (which actions to offer) and the service (refuse any other).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from jobbtorg.core.errors import DomainError


@dataclass(frozen=True)
class Step:
    target: str
    capability: str


Table = Mapping[tuple[str, str], Step]


def allowed(table: Table, status: str, may: Callable[[str], bool]) -> list[str]:
    """The actions this table allows from `status` to a user; `may(capability)` answers for the user."""
    return [action for (source, action), step in table.items() if source == status and may(step.capability)]


def capability(table: Table, action: str) -> str:
    """The capability an action needs (the same from every status it leaves)."""
    return next(step.capability for (_source, name), step in table.items() if name == action)


def next_status(table: Table, status: str, action: str, refused: str, field: str | None = "non_field_errors") -> str:
    """The status after `action`, or a DomainError with the Swedish `refused` message (on `field`,
    or as a plain message when None)."""
    step = table.get((status, action))
    if step is None:
        raise DomainError({field: [refused]} if field else refused)
    return step.target
