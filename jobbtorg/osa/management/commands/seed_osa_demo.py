"""Demo data for OSA: one employment of 24 months (6 + 12 + 6) for a resident of the demo OSA
officer's district, so the 24-month rule can be shown (and is, by the browser test).

    manage.py seed_osa_demo [--user osa]

Goes through osa.services like a person would, so the rules, deadlines and audit apply.
Prints the new case's id.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobbtorg.accounts.models import Role, User
from jobbtorg.audit.services import Actor
from jobbtorg.core.workdays import add_months
from jobbtorg.organisation.models import AFUnit, Employer
from jobbtorg.osa import services
from jobbtorg.people.models import Person, ProtectionLevel


class Command(BaseCommand):
    help = "Skapar en OSA-anställning på 24 månader för demoanvändarens stadsdel och skriver ut dess id."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", default="osa", help="OSA-handläggarens användarnamn (förvalt: osa)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], role=Role.OSA_OFFICER).first()
        if user is None or not user.district_id:
            raise CommandError("Ingen OSA-handläggare med det användarnamnet.")
        person = (
            Person.objects.filter(
                home_district_id=user.district_id, protection_level=ProtectionLevel.NONE, osa_cases__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if person is None:
            raise CommandError("Ingen person i stadsdelen att registrera OSA för. Kör seed_demo först.")
        employer, _created = Employer.objects.get_or_create(
            name="Stockholms stad – Trafikkontoret", defaults={"kind": Employer.Kind.CITY_ADMINISTRATION}
        )
        af_unit = AFUnit.objects.order_by("pk").first()
        today = timezone.localdate()
        start = add_months(today, -20)
        actor = Actor(user.pk, user.username, user.role)
        case = services.create_case(
            user, actor, person.pk, employer_id=employer.pk, workplace="Parkenheten", grounds=["lss"],
            assessed_on=start - datetime.timedelta(days=14), assessed_by_district="Hassan Warsame",
            assessed_by_af="Arbetsförmedlare (demo)", af_unit_id=af_unit.pk if af_unit else None,
            assessment_outcome="in_target_group", start_date=start, months=6,
        )  # fmt: skip
        for months in (12, 6):
            case.refresh_from_db()
            services.extend(user, actor, case.pk, version=case.version, months=months)
        self.stdout.write(str(case.pk))
