"""manage.py seed_demo --participants N --seed S [--if-empty]: load the synthetic demo population.

See jobbtorg.demo.seed for what is made. `--if-empty` does nothing when any
person exists, so `make run` can call it every time and keep what is there.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobbtorg.demo.seed import BATCH_SIZE, SeedError, describe, seed
from jobbtorg.people.models import Person


class Command(BaseCommand):
    help = "Skapar en syntetisk demopopulation (deltagare, deltaganden, insatser) och demoanvändarna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=3000, help="Antal deltagare (standard 3000).")
        parser.add_argument("--seed", type=int, default=1, help="Slumpfrö: samma frö ger samma personer.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Gör ingenting om det redan finns personer i databasen."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rader per transaktion.")
        parser.add_argument("--no-progress", action="store_true", help="Ingen förloppsindikator på stderr.")
        parser.add_argument(
            "--bulk-create",
            action="store_true",
            help="Skriv med Djangos bulk_create även på PostgreSQL (långsammare än COPY, samma rader).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["participants"] < 0 or options["batch_size"] < 1:
            raise CommandError("Ange --participants >= 0 och --batch-size >= 1.")
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write(
                f"Det finns redan {Person.objects.count()} personer – demodata lämnas som de är (--if-empty)."
            )
            return
        try:
            result = seed(
                options["participants"],
                options["seed"],
                batch_size=options["batch_size"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
                use_copy=not options["bulk_create"],
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            for line in describe(result):
                self.stdout.write(line)
