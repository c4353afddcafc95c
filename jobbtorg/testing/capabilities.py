"""A user of a role at a place, without the database, for walking capability and state tables."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from jobbtorg.core.capabilities import may


def user_at(
    role: str, *, pk: int = 1, unit_id: int | None = None, district_id: int | None = None, provider_id: int | None = None
) -> Any:
    """What core.capabilities reads of a signed-in user: role, place and id."""
    return SimpleNamespace(
        pk=pk, role=role, is_authenticated=True, is_active=True,
        jobbtorg_unit_id=unit_id, district_id=district_id, provider_id=provider_id,
    )  # fmt: skip


def permits(user: Any, app: str, **facts: Any) -> Callable[[str], bool]:
    """The predicate a state table's `allowed` takes: may `user` use the app's capability on an
    object with these facts?"""
    return lambda capability: may(user, f"{app}.{capability}", **facts)
