from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "jobbtorg.followup"
    label = "followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        # The figures register themselves in the registry when their module is imported.
        from jobbtorg.followup import figures  # noqa: F401
        from jobbtorg.notifications.scheduler import DailyJob, register_job

        def refresh_facts() -> object:
            from jobbtorg.followup.tasks import refresh_facts

            return refresh_facts.enqueue()

        register_job(DailyJob("followup_facts", 2, refresh_facts))
