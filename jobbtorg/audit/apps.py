from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jobbtorg.audit"
    label = "audit"
    verbose_name = _("Loggar")

    def ready(self) -> None:
        from jobbtorg.audit import checks  # noqa: F401  (registers the system checks)
        from jobbtorg.audit.services import record_capability_refusal
        from jobbtorg.core.capabilities import capability_refused

        capability_refused.connect(record_capability_refusal, dispatch_uid="audit-capability-refused")
