"""Issue 8 item 3: an audit entry outlives the caller's rolled-back transaction (docs/adr/0012).

Refusals and reads are appended also when the transaction they were recorded in rolls back;
allowed creates and changes only when it commits; every entry once. The transactional tests see
real commits and rollbacks; the others run inside pytest-django's test transaction, where the
caller's block is a savepoint. The transactional tests restore the migrations' rows
(serialized_rollback) like every other transactional test of the suite: a flush without it
recreates content types that the next restore would insert again.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from jobbtorg.audit import chain
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor, record, record_many

ACTOR = Actor(user_id=7, username="coach1", role="coach", client_address="10.0.0.7")


class Boom(Exception):
    pass


def _rolled_back(body) -> None:
    with pytest.raises(Boom), transaction.atomic():
        body()
        raise Boom


def _entries() -> list[tuple[str, str, int | None]]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "outcome", "person_id"))


def _record_all() -> None:
    record(ACTOR, Action.READ, "Personsidan", 1, allowed=False)
    record(ACTOR, Action.CHANGE, "ändring", 2)
    record(ACTOR, Action.CHANGE, "ändring", 3, allowed=False)
    record_many(ACTOR, Action.LIST, "lista", [(4, False), (5, True)])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refusals_and_reads_survive_a_real_rollback_and_a_rolled_back_change_is_dropped():
    """Issue 8 item 3: a refusal recorded inside a transaction that rolls back is still in the log."""
    _rolled_back(_record_all)

    assert not connection.in_atomic_block
    assert _entries() == [
        ("read", Outcome.REFUSED, 1),
        ("change", Outcome.REFUSED, 3),
        ("list", Outcome.ALLOWED, 4),
        ("list", Outcome.ALLOWED, 5),
    ]
    assert chain.verify()[1] is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entries_of_a_committed_transaction_are_written_once():
    """Issue 8 item 3: no duplicate when the caller's transaction commits."""
    with transaction.atomic():
        _record_all()
        assert not AuditEntry.objects.exists(), "noted in the journal, appended when the block ends"

    assert _entries() == [
        ("read", Outcome.REFUSED, 1),
        ("change", Outcome.ALLOWED, 2),
        ("change", Outcome.REFUSED, 3),
        ("list", Outcome.ALLOWED, 4),
        ("list", Outcome.ALLOWED, 5),
    ]
    assert chain.verify() == (5, None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_savepoint_inside_a_committed_transaction():
    with transaction.atomic():
        record(ACTOR, Action.CHANGE, "före", 1)
        _rolled_back(lambda: (record(ACTOR, Action.SEARCH, "sök", 2, allowed=False), record(ACTOR, Action.CHANGE, "inre", 3)))
        record(ACTOR, Action.CHANGE, "efter", 4)

    assert _entries() == [("change", "allowed", 1), ("search", "refused", 2), ("change", "allowed", 4)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refusal_recorded_after_a_database_error_in_the_transaction_is_kept():
    """The journal writes nothing inside the caller's transaction, so an aborted one can not lose it."""
    with pytest.raises(Boom), transaction.atomic():
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")  # on PostgreSQL the transaction is now aborted
        record(ACTOR, Action.READ, "Personsidan", 9, allowed=False)
        raise Boom

    assert _entries() == [("read", "refused", 9)]


def test_inside_a_test_transaction_a_rolled_back_block_keeps_its_refusal(db):
    """Issue 8 item 3, in an ordinary (non-transactional) test: the block is a savepoint."""
    _rolled_back(_record_all)

    assert _entries() == [("read", "refused", 1), ("change", "refused", 3), ("list", "allowed", 4), ("list", "allowed", 5)]


def test_inside_a_test_transaction_entries_are_written_once_when_the_block_ends(db):
    with transaction.atomic():
        with transaction.atomic():
            record(ACTOR, Action.CHANGE, "inre", 1)
        assert not AuditEntry.objects.exists()
    record(ACTOR, Action.READ, "utanför", 2)

    assert _entries() == [("change", "allowed", 1), ("read", "allowed", 2)]
    assert chain.verify() == (2, None)


def test_outside_a_transaction_the_entry_is_written_at_once(db):
    entry = record(ACTOR, Action.READ, "Personsidan", 1)
    assert entry.pk is not None and AuditEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash
