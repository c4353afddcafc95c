"""PostgreSQL with the audit journal hooks (jobbtorg.audit.backends), the superuser refusal
and a test flush that the audit table's TRUNCATE trigger lets through in test databases."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base, operations

from jobbtorg.audit.backends import AuditJournalMixin

SUPERUSER_REFUSED = (
    "Jobbtorg refuses to run as a PostgreSQL superuser in production: a superuser can disable the "
    "audit log's triggers. Connect as the application role (docs/operations.md, Database roles)."
)


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False) -> list[str]:
        statements: list[str] = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if statements and "audit_auditentry" in tables:
            # The TRUNCATE trigger (audit migration 0005) lets this through only in a database named test_*.
            statements.insert(0, "SET LOCAL jobbtorg.audit_truncate = 'test';")
        return statements


class DatabaseWrapper(AuditJournalMixin, base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def init_connection_state(self) -> None:
        super().init_connection_state()
        if getattr(settings, "AUDIT_REFUSE_SUPERUSER", False) and is_superuser(self.connection):
            # Close it, or the next query would find a connection and skip this check.
            self.connection.close()
            self.connection = None
            raise ImproperlyConfigured(SUPERUSER_REFUSED)


def is_superuser(dbapi_connection: Any) -> bool:
    """Whether the session's role is a superuser (a psycopg connection, or Django's wrapper)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        return bool(cursor.fetchone()[0] == "on")
