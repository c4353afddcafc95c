"""manage.py print_demo_logins --port P: show where Jobbtorg runs and the demo logins.

Prints only the demo users that exist (seed_demo creates them); on an
installation without them it says so and prints no password.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobbtorg.accounts.models import Role, User
from jobbtorg.demo.users import DEMO_PASSWORD, DEMO_USERNAMES


class Command(BaseCommand):
    help = "Skriver ut adressen och demoanvändarnas inloggningar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        found = {
            user.username: user
            for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related("jobbtorg_unit", "district", "provider")
        }
        self.stdout.write(f"Jobbtorg: {url}")
        if not found:
            self.stdout.write("Inga demoanvändare finns. Skapa dem med `manage.py seed_demo`.")
            return
        roles = dict(Role.choices)
        rows = [("Användarnamn", "Namn", "Roll", "Enhet")]
        for username in DEMO_USERNAMES:
            user = found.get(username)
            if user is not None:
                rows.append((username, user.get_full_name(), str(roles.get(user.role, user.role)), user.unit_name or "–"))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write(f"Demoanvändare – lösenord för alla: {DEMO_PASSWORD}")
        for index, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
