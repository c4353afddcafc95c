from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jobbtorg.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Administration is audited where it is saved (accounts.audit explains why).
        from jobbtorg.accounts import audit

        audit.connect()
