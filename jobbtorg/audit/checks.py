"""System checks for the audit log's guarantees (docs/adr/0012, docs/operations.md).

- audit.E001 (deploy): the application connects to PostgreSQL as a superuser, who can switch the
  audit triggers off. The backend also refuses such a connection at run time in production
  (settings.AUDIT_REFUSE_SUPERUSER), since gunicorn runs no checks.
- audit.E002: the database engine is not one of jobbtorg.audit.backends, so audit entries noted
  inside a transaction would never be written.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

AUDIT_ENGINES = ("jobbtorg.audit.backends.postgresql", "jobbtorg.audit.backends.sqlite3")


@register(Tags.security)
def audit_engine(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    engine = settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"]
    if engine in AUDIT_ENGINES:
        return []
    return [
        Error(
            f"The database engine {engine} does not append audit entries noted inside a transaction.",
            hint=f"Use one of {', '.join(AUDIT_ENGINES)} (settings.AUDIT_BACKENDS).",
            id="audit.E002",
        )
    ]


@register(Tags.security, deploy=True)
def not_a_superuser(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return []
    from jobbtorg.audit.backends.postgresql.base import is_superuser

    try:
        superuser = is_superuser(connection)
    except DatabaseError as exc:
        return [Warning(f"Could not ask PostgreSQL which role the application runs as: {exc}", id="audit.W001")]
    if not superuser:
        return []
    return [
        Error(
            "The application connects to PostgreSQL as a superuser, who can disable the audit log's triggers.",
            hint="Connect as the application role with only SELECT and INSERT on audit_auditentry "
            "(docs/operations.md, Database roles).",
            id="audit.E001",
        )
    ]
