from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "jobbtorg.activities"
    label = "activities"

    def ready(self) -> None:
        # notifications sits below this app and reads its notice through the registry.
        from jobbtorg.activities.notices import unregistered_sessions
        from jobbtorg.notifications.sources import register

        register("activities", unregistered_sessions)
