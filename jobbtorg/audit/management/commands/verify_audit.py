"""`manage.py verify_audit`: walk the audit log's hash chain and report the first broken link.

Reads the log in id order, a batch at a time (constant memory), recomputes each entry's hash
from its content and the previous hash, and compares the end with the chain head, so that a
changed, inserted or deleted entry, a removed tail and an emptied log all show. Exit status 0
when the chain holds, 1 (with the entry's id) when it is broken. Run it as the application role
from a timer, and keep its last line (entries and last hash) outside the database
(docs/operations.md).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobbtorg.audit import chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit status 1 at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="Entries read per query (default 5000).")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        progress = (lambda n: self.stdout.write(f"{n} entries checked")) if verbose else None
        count, broken = chain.verify(batch_size=max(1, options["batch_size"]), progress=progress)
        if broken is not None:
            raise CommandError(f"Audit chain broken after {count} good entries: {broken}")
        head = chain.AuditChainHead.objects.filter(pk=chain.HEAD_PK).first()
        last_hash = head.last_hash if head else ""
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} entries, last hash {last_hash or '-'}"))
