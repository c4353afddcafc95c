"""Side effects that leave the transaction (e-mail, tasks) run after it commits (docs/adr/0017).

A mail sent or a task enqueued inside a transaction that then rolls back tells the world about a
change that never happened; a task can also start before the row it needs is visible. Services
call `after_commit(fn)` instead of calling fn directly.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


def in_callers_transaction(conn: BaseDatabaseWrapper) -> bool:
    """Whether the caller has an atomic block open. A TestCase's own blocks do not count, nor a
    block without a savepoint nested in them (e.g. the one `m2m.remove()` opens): such a block
    ends with no hook to append the journal, and the test's transaction is the real one."""
    return conn.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) or (index > 0 and not block.savepoint)
        for index, block in enumerate(conn.atomic_blocks)
    )


def after_commit(fn: Callable[[], object], using: str = DEFAULT_DB_ALIAS) -> None:
    """Run `fn` when the caller's transaction commits (never if it rolls back); at once when
    there is none. In a test, the TestCase's own transaction counts as none, as for the audit
    journal (audit.services), so a test sees the effect of what it called."""
    if in_callers_transaction(connections[using]):
        transaction.on_commit(fn, using=using)
    else:
        fn()
