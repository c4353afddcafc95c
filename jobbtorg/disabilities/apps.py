from django.apps import AppConfig


class DisabilitiesConfig(AppConfig):
    name = "jobbtorg.disabilities"
    label = "disabilities"
