from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "jobbtorg.referrals"
    label = "referrals"
    verbose_name = _("Anvisningar")

    def ready(self) -> None:
        # notifications sits below this app and reads its notice through the registry.
        from jobbtorg.notifications.sources import register
        from jobbtorg.referrals.notices import returned

        register("referrals", returned)
