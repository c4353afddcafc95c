"""Demo and browser-test data for the subsidy pages: lönebidrag cases with overdue steps.

Runs only on a demo installation (after `seed_demo`), never on real data. For each Jobbtorg
unit it opens `--per-unit` lönebidrag cases for open participations with a coach, through
the services (as each participation's coach), with interest notifications 4, 5, 6, ... days
ago: PDM's callback (due in 3 days) is then 1, 2, 3, ... days late. Prints, as JSON, how many
callbacks are overdue per unit, so a test can compare the board with it.
"""

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.models import Installation
from jobbtorg.organisation.models import Employer, JobbtorgUnit
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.people.models import ProtectionLevel
from jobbtorg.subsidies import services
from jobbtorg.subsidies.models import SubsidyCase


class Command(BaseCommand):
    help = "Skapar demoärenden om lönebidrag med försenade steg (bara i en demoinstallation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--per-unit", type=int, default=6, help="Ärenden per jobbtorg (förvalt 6).")

    def handle(self, *args: Any, per_unit: int, **options: Any) -> None:
        if not Installation.objects.filter(is_demo=True).exists():
            raise CommandError("Bara i en demoinstallation: kör seed_demo först.")
        if not 1 <= per_unit <= 100:
            raise CommandError("--per-unit ska vara 1–100.")
        today = timezone.localdate()
        actor = Actor.system("seed_subsidy_demo")
        employer, _created = Employer.objects.get_or_create(
            name="Demo Lönebidrag AB", defaults={"kind": Employer.Kind.COMPANY, "org_number": "556000-0000"}
        )
        overdue: dict[str, dict[str, int]] = {}
        for unit in JobbtorgUnit.objects.order_by("name"):
            candidates = (
                Participation.objects.filter(
                    unit=unit,
                    status__in=OPEN_STATUSES,
                    coach__isnull=False,
                    coach__jobbtorg_unit=unit,
                    person__protection_level=ProtectionLevel.NONE,
                )
                .exclude(pk__in=SubsidyCase.objects.values("participation_id"))
                .select_related("coach")
                .order_by("pk")
            )
            made = 0
            for participation in candidates[: per_unit * 2]:
                if made == per_unit:
                    break
                notified = today - datetime.timedelta(days=4 + made)
                try:
                    services.create_case(
                        participation.coach,  # type: ignore[arg-type]
                        actor,
                        services.NewCase(
                            participation_id=participation.pk,
                            subsidy_type="lonebidrag",
                            employer_id=employer.pk,
                            notified_on=notified,
                        ),
                        today=today,
                    )
                except (AccessDenied, DomainError):
                    continue
                made += 1
            if made:
                overdue[unit.name] = {"lb_2_callback": made}
        self.stdout.write(json.dumps(overdue, ensure_ascii=False))
