"""manage.py check_invariants: run the domain's invariants (jobbtorg.demo.invariants) over the database.

Prints each violated rule with a count and a few row ids (never names); exits non-zero when
any is violated. Meant for the demo database after `seed_demo`, and as a read-only check of
a real one (e.g. after a data migration).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobbtorg.demo import invariants


class Command(BaseCommand):
    help = "Kontrollerar domänens invarianter (anvisning, tidsfrister, händelser, planer, avslut) i databasen."

    def handle(self, *args: Any, **options: Any) -> None:
        found = invariants.run(timezone.localdate())
        for violation in found:
            self.stdout.write(str(violation))
        if found:
            raise CommandError(f"{len(found)} av {len(invariants.CHECKS)} invarianter bryts.")
        self.stdout.write(f"Alla {len(invariants.CHECKS)} invarianter håller.")
