"""The audit log is append-only (LEGAL.md): no code path changes or deletes an entry,
and on PostgreSQL not even a direct UPDATE/DELETE from the application's role."""

import pytest
from django.db import DatabaseError, connection, transaction

from jobbtorg.audit.models import AppendOnlyError, AuditEntry, Outcome
from jobbtorg.audit.services import Actor, record

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def stored():
    return record(Actor(user_id=7, username="coach1", role="coach"), "read", "Personsidan", 42)


def _unchanged(entry: AuditEntry) -> None:
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert (fresh.what, fresh.person_id, fresh.outcome) == ("Personsidan", 42, Outcome.ALLOWED)


def test_saving_an_existing_entry_is_refused(stored):
    stored.what = "Något annat"
    with pytest.raises(AppendOnlyError):
        stored.save()
    _unchanged(stored)


def test_deleting_an_entry_is_refused(stored):
    with pytest.raises(AppendOnlyError):
        stored.delete()
    _unchanged(stored)


def test_queryset_update_is_refused(stored):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=stored.pk).update(what="Något annat")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(outcome=Outcome.REFUSED)
    _unchanged(stored)


def test_queryset_delete_is_refused(stored):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=stored.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    _unchanged(stored)


def test_bulk_update_is_refused(stored):
    stored.what = "Något annat"
    # bulk_update runs in its own atomic block without a savepoint; keep the test's transaction usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([stored], ["what"])
    _unchanged(stored)


def test_appending_still_works(stored):
    record(Actor(user_id=7, username="coach1", role="coach"), "read", "Personsidan", 43)
    assert AuditEntry.objects.count() == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="The UPDATE/DELETE trigger exists on PostgreSQL only; SQLite has the model guards.")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET what = 'ändrad' WHERE id = %s",
        "UPDATE audit_auditentry SET outcome = 'refused'",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_auditentry",
    ],
    ids=["update-one", "update-all", "delete-one", "delete-all"],
)
def test_postgres_refuses_raw_update_and_delete(stored, sql):
    params = [stored.pk] if "%s" in sql else []
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    _unchanged(stored)


@pytest.mark.skipif(not ON_POSTGRES, reason="The trigger exists on PostgreSQL only.")
def test_postgres_triggers_are_installed_by_the_migrations_and_fire_always():
    """Issue 8 item 5: the triggers fire ALWAYS ('A'), also under session_replication_role = replica."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal"
            " ORDER BY tgname"
        )
        assert cursor.fetchall() == [
            ("audit_auditentry_append_only", "A"),
            ("audit_auditentry_database_time", "A"),
            ("audit_auditentry_no_truncate", "A"),
        ]
