from django.apps import AppConfig


class OsaConfig(AppConfig):
    name = "jobbtorg.osa"
    label = "osa"
