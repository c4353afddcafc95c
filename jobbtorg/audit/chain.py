"""The hash chain over the audit log (docs/adr/0012).

Each entry's `entry_hash` is SHA-256 over the previous entry's hash and a canonical
JSON form of the entry's content (time, who, role, person, action, what, outcome,
address, flag, details). Entries are appended in one order: the writer locks the one
`AuditChainHead` row, takes the database time, chains the new entries from the head's
hash, inserts them and moves the head, all in one short transaction. Nothing ever reads
the audit table to find the previous hash, so appending costs the same at any size.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jobbtorg.audit.models import AuditChainHead, AuditEntry
from jobbtorg.core import bulk

HEAD_PK = 1
COPY_FROM = 200  # entries in one append from which COPY beats one INSERT statement
CONTENT_FIELDS = (
    "at",
    "user_id",
    "username",
    "acting_role",
    "person_id",
    "action",
    "what",
    "outcome",
    "client_address",
    "flagged",
    "details",
)


def canonical_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def digest(values: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of one entry given as field values (a model's or a `.values()` row's)."""
    content = [
        canonical_time(values["at"]),
        values["user_id"],
        values["username"],
        values["acting_role"],
        values["person_id"],
        values["action"],
        values["what"],
        values["outcome"],
        str(values["client_address"]) if values["client_address"] else None,
        bool(values["flagged"]),
        values["details"] or {},
    ]
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def _values(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


def entry_time(database_now: datetime.datetime | None) -> datetime.datetime:
    """The time new entries get. On PostgreSQL the database's `now()`, read with the locked head: the
    same value the insert trigger writes into `at`. SQLite has no trigger and shares the machine's
    clock with the application, so there the application's time is used (docs/adr/0012)."""
    return database_now if database_now is not None else timezone.now()


_HEAD_SQL = "SELECT last_hash, last_id, entries{now} FROM audit_auditchainhead WHERE id = %s{lock}"


def _locked_head() -> tuple[str, int, int, datetime.datetime | None]:
    """(last hash, last id, entries, time): the head row, locked until the transaction ends."""
    postgres = connection.vendor == "postgresql"
    sql = _HEAD_SQL.format(now=", now()" if postgres else "", lock=" FOR UPDATE" if postgres else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEAD_PK])
        row = cursor.fetchone()
        if row is None:
            AuditChainHead.objects.bulk_create([AuditChainHead(pk=HEAD_PK)], ignore_conflicts=True)
            cursor.execute(sql, [HEAD_PK])
            row = cursor.fetchone()
    # SQLite: the write transaction (BEGIN IMMEDIATE) already excludes other writers.
    return row[0], row[1], row[2], (row[3] if postgres else None)


def append(entries: list[AuditEntry]) -> None:
    """Chain and insert `entries` in one short transaction (serialised on the head row)."""
    if not entries:
        return
    # No savepoint inside a transaction that is already open (a test's): a failed append marks it
    # for rollback instead, and the ordinary append costs two statements besides its INSERT.
    with transaction.atomic(savepoint=False):
        prev, last_id, count, database_now = _locked_head()
        now = entry_time(database_now)
        for entry in entries:
            entry.at = now
            entry.prev_hash = prev
            entry.entry_hash = prev = digest(_values(entry), prev)
        if len(entries) >= COPY_FROM:
            bulk.insert_objects(entries)  # an import's thousands of entries: COPY (docs/adr/0020)
        else:
            AuditEntry.objects.bulk_create(entries)
        AuditChainHead.objects.filter(pk=HEAD_PK).update(
            last_hash=prev, last_id=entries[-1].pk or last_id, entries=count + len(entries)
        )


class Break:
    """The first broken link found by `verify`."""

    def __init__(self, entry_id: int | None, reason: str) -> None:
        self.entry_id = entry_id
        self.reason = reason

    def __str__(self) -> str:
        where = f"entry {self.entry_id}" if self.entry_id is not None else "chain head"
        return f"{where}: {self.reason}"


def _rows(batch_size: int) -> Iterator[dict[str, Any]]:
    """Every entry in id order, `batch_size` at a time (keyset pagination: constant memory)."""
    last = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(pk__gt=last)
            .order_by("pk")
            .values("pk", "prev_hash", "entry_hash", *CONTENT_FIELDS)[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1]["pk"]


def verify(batch_size: int = 5000, progress: Any = None) -> tuple[int, Break | None]:
    """Walk the chain; return (entries checked, first break or None)."""
    prev = ""
    count = 0
    last_id = 0
    rows: Iterable[dict[str, Any]] = _rows(batch_size)
    for row in rows:
        if row["prev_hash"] != prev:
            return count, Break(
                row["pk"], "does not follow the entry before it (an entry before it was removed, changed or inserted)"
            )
        if digest(row, prev) != row["entry_hash"]:
            return count, Break(row["pk"], "its content does not match its hash (the entry was changed or inserted)")
        prev = row["entry_hash"]
        last_id = row["pk"]
        count += 1
        if progress is not None and count % batch_size == 0:
            progress(count)
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None:
        if count:
            return count, Break(None, "missing, but the log has entries")
        return count, None
    if (head.last_hash, head.last_id, head.entries) != (prev, last_id, count):
        return count, Break(
            None,
            f"says {head.entries} entries ending with entry {head.last_id}, the log has {count} ending with "
            f"entry {last_id} (entries at the end were removed, or the log was emptied)",
        )
    return count, None
