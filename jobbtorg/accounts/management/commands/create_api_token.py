"""manage.py create_api_token <username> [--rotate | --revoke]: issue an API token for an integration.

The key is printed once, alone on stdout (scripts capture it); only its hash is stored, so
it can not be shown again. The expiry date and other messages go to stderr. Every issue,
rotation and revocation is written to the audit log, naming the operating-system user who
ran the command.
"""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jobbtorg.accounts.models import ApiToken, User
from jobbtorg.accounts.services import TokenExists, issue_token, revoke_token
from jobbtorg.audit.services import Actor


def _when(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def command_actor() -> Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        who = "okänd"
    return Actor.system(f"manage.py create_api_token ({who})")


class Command(BaseCommand):
    help = (
        "Utfärdar en API-token för en användare och skriver ut nyckeln (visas bara nu). "
        "--rotate ersätter en giltig token, --revoke återkallar den."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true", help="Ersätt befintlig token (den gamla slutar gälla direkt).")
        group.add_argument("--revoke", action="store_true", help="Återkalla användarens token (den slutar gälla direkt).")

    def handle(self, *args: Any, username: str, rotate: bool, revoke: bool, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användaren {username!r} finns inte.")
        if revoke:
            token = ApiToken.objects.filter(user=user).first()
            if token is None:
                raise CommandError(f"Användaren {username} har ingen API-token.")
            revoke_token(token, command_actor())
            self.stderr.write(f"API-token {token.prefix}… för {username} är återkallad.")
            return
        if not user.is_active:
            raise CommandError(f"Användaren {username!r} är inaktiverad.")
        try:
            issued = issue_token(user, command_actor(), rotate=rotate)
        except TokenExists as exists:
            raise CommandError(
                f"Användaren {username} har redan en giltig API-token ({exists.token.prefix}…, giltig till "
                f"{_when(exists.token.expires)}). Nyckeln visas bara när den utfärdas: byt den med --rotate."
            ) from exists
        replaced = " Den förra token slutade gälla nu." if issued.replaced else ""
        self.stderr.write(
            f"Ny API-token för {username} ({user.get_role_display()}), giltig till {_when(issued.token.expires)}.{replaced} "
            "Spara nyckeln nu: den visas inte igen."
        )
        # The key alone on stdout, so scripts can capture it.
        self.stdout.write(issued.key)
