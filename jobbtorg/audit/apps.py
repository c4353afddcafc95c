from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jobbtorg.audit"
    label = "audit"

    def ready(self) -> None:
        from jobbtorg.audit import checks  # noqa: F401  (registers the system checks)
        from jobbtorg.audit.services import record_capability_refusal
        from jobbtorg.core.capabilities import capability_refused

        capability_refused.connect(record_capability_refusal, dispatch_uid="audit-capability-refused")
