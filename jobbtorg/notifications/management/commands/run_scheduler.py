"""Enqueue the daily jobs when they are due; runs beside the task worker (make run)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobbtorg.notifications.scheduler import run_due_jobs


class Command(BaseCommand):
    help = "Lägger dagliga jobb (t.ex. sammanfattningsmejl) i kön när det är dags."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Kör en gång och avsluta.")
        parser.add_argument("--interval", type=int, default=60, help="Sekunder mellan kontrollerna.")

    def handle(self, *args, **options):
        while True:
            started = run_due_jobs(timezone.localtime())
            for name in started:
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
