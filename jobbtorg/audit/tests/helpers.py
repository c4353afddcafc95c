"""Helpers for the audit tests: Stockholm times, and entries written at a given time."""

import contextlib
import datetime
from collections.abc import Iterator
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.audit.services import Actor, record

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: str, time: str = "10:00") -> datetime.datetime:
    """A Stockholm time: at("2025-03-10", "23:30")."""
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=STOCKHOLM)


def entry(
    user,
    when: datetime.datetime,
    person_id: int | None = 1,
    *,
    action: str = Action.READ,
    what: str = "Personsidan",
    allowed: bool = True,
    protected: bool = False,
) -> AuditEntry:
    """An audit entry written by `user` at `when`. The time normally comes from the database's clock
    (docs/adr/0012): here the clock is replaced and, on PostgreSQL, the trigger that sets it is
    switched off inside the test's transaction."""
    actor = Actor(user_id=user.pk, username=user.username, role=user.role, client_address="10.0.0.7")
    with backdated():
        with mock.patch("jobbtorg.audit.chain.entry_time", return_value=when):
            return record(actor, action, what, person_id, allowed=allowed, protected=protected)


@contextlib.contextmanager
def backdated() -> Iterator[None]:
    """Let the entries written inside keep the time the test gives them (tests only)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_database_time")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry ENABLE ALWAYS TRIGGER audit_auditentry_database_time")


def queries_for(client, url: str) -> int:
    """How many SQL statements one GET of `url` runs (the response body fully read)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def login(client, user) -> None:
    """Log `user` in. UserFactory skips the save after set_password (skip_postgeneration_save),
    so the stored password would not match the session hash; store it first."""
    user.save(update_fields=["password"])
    client.force_login(user)
