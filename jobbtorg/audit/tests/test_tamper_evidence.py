"""Issue 8 item 5: the audit log is tamper-evident (docs/adr/0012).

A hash chain over the entries, checked by `manage.py verify_audit`; the database's time as the
entry's time; TRUNCATE refused and every trigger firing ALWAYS on PostgreSQL; the application
refuses to run as a PostgreSQL superuser in production. Tampering is simulated below the ORM's
guards: raw SQL on SQLite, and on PostgreSQL with the append-only trigger switched off inside the
test's transaction (the tests run as a superuser, as an attacker with that role would).
"""

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jobbtorg.audit import chain, checks
from jobbtorg.audit.models import Action, AuditChainHead, AuditEntry
from jobbtorg.audit.services import Actor, record, record_many

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's triggers and roles; SQLite has none")
ACTOR = Actor(user_id=7, username="coach1", role="coach", client_address="10.0.0.7")
OLD = datetime.datetime(2001, 1, 1, 12, 0, tzinfo=datetime.UTC)


def _five() -> list[int]:
    """Five chained entries (one record_many of two); their ids in order."""
    record(ACTOR, Action.READ, "Personsidan", 1, details={"skäl": "test", "värden": (1, 2)})
    record(ACTOR, Action.CHANGE, "ändring", 2, allowed=False)
    record_many(ACTOR, Action.LIST, "lista", [(3, False), (4, True)])
    record(ACTOR, Action.ACCESS, "skyddad identitet", 5, flagged=True, details={"gammal": "none", "ny": "protected"})
    return list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))


@contextlib.contextmanager
def _tampering() -> Iterator[Any]:
    """Raw SQL below the model's guards; on PostgreSQL the append-only trigger is switched off first."""
    with connection.cursor() as cursor:
        if ON_POSTGRES:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
        yield cursor
        if ON_POSTGRES:
            cursor.execute("ALTER TABLE audit_auditentry ENABLE ALWAYS TRIGGER audit_auditentry_append_only")


def _verify_fails_at(entry_id: int | None) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", batch_size=2)
    assert (f"entry {entry_id}:" if entry_id is not None else "chain head:") in str(exc.value)
    return str(exc.value)


def test_an_intact_chain_verifies_and_is_read_in_batches(capsys):
    """Issue 8 item 5: `manage.py verify_audit` walks the chain (batches of 2 here) and says it holds."""
    ids = _five()
    assert len(ids) == 5
    call_command("verify_audit", batch_size=2)
    assert "Audit chain intact: 5 entries" in capsys.readouterr().out
    first, second = AuditEntry.objects.order_by("pk")[:2]
    assert first.prev_hash == "" and second.prev_hash == first.entry_hash != ""
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.entries, head.last_hash) == (ids[-1], 5, AuditEntry.objects.get(pk=ids[-1]).entry_hash)


def test_an_altered_entry_in_the_middle_is_detected():
    """Issue 8 item 5: a changed row breaks the chain at that row."""
    ids = _five()
    with _tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET outcome = 'allowed' WHERE id = %s", [ids[1]])
    _verify_fails_at(ids[1])


def test_altered_details_are_detected():
    ids = _five()
    with _tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET person_id = 99 WHERE id = %s", [ids[4]])
    _verify_fails_at(ids[4])


def test_a_deleted_entry_in_the_middle_is_detected():
    """Issue 8 item 5: a removed row breaks the link of the row after it."""
    ids = _five()
    with _tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [ids[2]])
    assert "does not follow" in _verify_fails_at(ids[3])


def test_an_inserted_entry_in_the_middle_is_detected():
    """Issue 8 item 5: a row slipped in between two entries, even with a correct hash of its own."""
    base = [AuditEntry(pk=pk, username="coach1", acting_role="coach", action="read", what="x", outcome="allowed")
            for pk in (10, 20, 30)]  # fmt: skip
    chain.append(base)
    forged = {"at": base[0].at, "user_id": None, "username": "x", "acting_role": "coach", "person_id": 1,
              "action": "read", "what": "x", "outcome": "allowed", "client_address": None, "flagged": False, "details": {}}  # fmt: skip
    forged_hash = chain.digest(forged, base[0].entry_hash)
    with _tampering() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (id, at, username, acting_role, person_id, action, what, outcome, details,"
            " flagged, prev_hash, entry_hash) VALUES (15, %s, 'x', 'coach', 1, 'read', 'x', 'allowed', '{}', %s, %s, %s)",
            [base[0].at, False, base[0].entry_hash, forged_hash],
        )
    _verify_fails_at(20)


def test_removed_last_entries_and_an_emptied_log_are_detected():
    """The chain head remembers the last link: a cut tail or an emptied table shows too."""
    ids = _five()
    with _tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id >= %s", [ids[3]])
    assert "entries at the end were removed" in _verify_fails_at(None)
    with _tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    _verify_fails_at(None)


def test_a_backdated_time_is_replaced_by_the_database_time():
    """Issue 8 item 5: the entry's time is not a value the caller sends."""
    entry = AuditEntry(at=OLD, username="coach1", acting_role="coach", action="read", what="x", outcome="allowed")
    chain.append([entry])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.at > OLD + datetime.timedelta(days=365 * 20)
    assert chain.verify() == (1, None)


@needs_postgres
def test_postgres_sets_the_time_of_a_raw_backdated_insert():
    """Issue 8 item 5: on PostgreSQL a trigger writes now() whatever the INSERT says."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, username, acting_role, action, what, outcome, details, flagged,"
            " prev_hash, entry_hash) VALUES (%s, 'x', 'coach', 'read', 'x', 'allowed', '{}', false, '', '')"
            " RETURNING at, now()",
            [OLD],
        )
        at, now = cursor.fetchone()
    assert at == now


@needs_postgres
@pytest.mark.parametrize("table", ["audit_auditentry", "audit_auditchainhead"])
def test_postgres_refuses_truncate(table):
    """Issue 8 item 5: a statement-level trigger refuses TRUNCATE, even for a superuser."""
    record(ACTOR, Action.READ, "Personsidan", 1)
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
    assert chain.verify() == (1, None)


@needs_postgres
def test_postgres_triggers_fire_also_in_replica_mode():
    """Issue 8 item 5: session_replication_role = replica no longer switches the audit triggers off."""
    entry = record(ACTOR, Action.READ, "Personsidan", 1)
    for sql in ("DELETE FROM audit_auditentry", "TRUNCATE audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(sql)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@needs_postgres
def test_the_deploy_check_refuses_a_superuser():
    """Issue 8 item 5: `check --deploy` fails when the application connects as a superuser (the tests do)."""
    assert [m.id for m in checks.not_a_superuser()] == ["audit.E001"]


@needs_postgres
def test_a_production_process_refuses_to_connect_as_a_superuser(settings):
    """Issue 8 item 5: at run time too (gunicorn runs no checks), with AUDIT_REFUSE_SUPERUSER."""
    settings.AUDIT_REFUSE_SUPERUSER = True
    fresh = connection.copy()
    try:
        with pytest.raises(ImproperlyConfigured, match="superuser"):
            fresh.ensure_connection()
        assert fresh.connection is None
    finally:
        fresh.close()
    settings.AUDIT_REFUSE_SUPERUSER = False
    fresh = connection.copy()
    try:
        fresh.ensure_connection()
    finally:
        fresh.close()


def test_the_superuser_check_is_quiet_on_sqlite_and_the_engine_check_wants_the_audit_backend(settings):
    if not ON_POSTGRES:
        assert checks.not_a_superuser() == []
    assert checks.audit_engine() == []
    settings.DATABASES = {**settings.DATABASES, "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}
    assert [m.id for m in checks.audit_engine()] == ["audit.E002"]
