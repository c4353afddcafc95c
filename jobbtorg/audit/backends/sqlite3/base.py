"""SQLite with the audit journal hooks (jobbtorg.audit.backends)."""

from django.db.backends.sqlite3 import base

from jobbtorg.audit.backends import AuditJournalMixin


class DatabaseWrapper(AuditJournalMixin, base.DatabaseWrapper):
    pass
