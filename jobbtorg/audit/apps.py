from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jobbtorg.audit"
    label = "audit"
