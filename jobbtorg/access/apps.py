from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "jobbtorg.access"
    label = "access"
