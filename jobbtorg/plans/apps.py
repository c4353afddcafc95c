from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "jobbtorg.plans"
    label = "plans"
    verbose_name = _("Aktivitetsplaner")

    def ready(self) -> None:
        # notifications sits below this app and reads its notice through the registry.
        from jobbtorg.notifications.sources import register
        from jobbtorg.plans.notices import returned_plans

        register("plans", returned_plans)
