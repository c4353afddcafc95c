from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "jobbtorg.subsidies"
    label = "subsidies"
