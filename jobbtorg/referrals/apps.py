from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "jobbtorg.referrals"
    label = "referrals"

    def ready(self) -> None:
        # notifications sits below this app and reads its notice through the registry.
        from jobbtorg.notifications.sources import register
        from jobbtorg.referrals.notices import returned

        register("referrals", returned)
