"""manage.py create_api_token <username> [--rotate]: issue an API token for an integration."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobbtorg.accounts.api import issue_token
from jobbtorg.accounts.models import User


class Command(BaseCommand):
    help = "Skapar (eller visar) API-token för en användare. --rotate ersätter en befintlig token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Ersätt befintlig token (den gamla slutar gälla).")

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användaren {username!r} finns inte.")
        if not user.is_active:
            raise CommandError(f"Användaren {username!r} är inaktiverad.")
        token, created = issue_token(user, rotate=rotate)
        if created:
            self.stderr.write(f"Ny token för {username} ({user.get_role_display()}).")
        else:
            self.stderr.write(f"Befintlig token för {username}. Använd --rotate för att byta den.")
        # The token alone on stdout, so scripts can capture it.
        self.stdout.write(token.key)
