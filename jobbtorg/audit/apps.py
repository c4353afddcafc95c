from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jobbtorg.audit"
    label = "audit"

    def ready(self) -> None:
        from jobbtorg.audit import checks  # noqa: F401  (registers the system checks)
