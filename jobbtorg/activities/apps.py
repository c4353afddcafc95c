from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "jobbtorg.activities"
    label = "activities"
    verbose_name = _("Insatser och närvaro")

    def ready(self) -> None:
        # notifications sits below this app and reads its notice through the registry.
        from jobbtorg.activities.notices import unregistered_sessions
        from jobbtorg.notifications.sources import register

        register("activities", unregistered_sessions)
