"""Database backends that keep the audit journal's promise (docs/adr/0012).

`ENGINE` in settings.DATABASES names `jobbtorg.audit.backends.postgresql` or
`jobbtorg.audit.backends.sqlite3`: Django's own backends plus two hooks where the
caller's outermost transaction block has ended, commit or rollback, so that the
audit entries noted during it are appended (jobbtorg.audit.services):

- `set_autocommit(True)`: Django calls it when the outermost atomic block exits.
  The journal is settled *before* Django runs (or, after a rollback, has dropped)
  the commit hooks, and appended once autocommit is back on.
- `savepoint_commit`: in a test wrapped in a TestCase transaction the caller's
  outermost block is a savepoint; Django releases it on commit and after a
  rollback to it alike.
"""

from typing import Any

_JOURNAL = "_audit_journal"


class AuditJournalMixin:
    """Appends the audit journal when the caller's outermost block ends."""

    in_atomic_block: bool

    def set_autocommit(self, autocommit: bool, force_begin_transaction_with_broken_autocommit: bool = False) -> None:
        settled: list[Any] = []
        if autocommit and not self.in_atomic_block and getattr(self, _JOURNAL, None):
            from jobbtorg.audit import services

            settled = services.settle(self)  # type: ignore[arg-type]
        super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)  # type: ignore[misc]
        if settled:
            from jobbtorg.audit import services

            services.append_settled(settled)

    def savepoint_commit(self, sid: str) -> None:
        super().savepoint_commit(sid)  # type: ignore[misc]
        if self.in_atomic_block and getattr(self, _JOURNAL, None):
            from jobbtorg.audit import services
            from jobbtorg.core.transactions import in_callers_transaction

            if not in_callers_transaction(self):  # type: ignore[arg-type]
                services.append_settled(services.settle(self))  # type: ignore[arg-type]
