from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jobbtorg.accounts"
    label = "accounts"
    verbose_name = _("Användare och behörigheter")

    def ready(self) -> None:
        # Administration is audited where it is saved (accounts.audit explains why).
        from jobbtorg.accounts import audit

        audit.connect()
