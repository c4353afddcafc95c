from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "jobbtorg.plans"
    label = "plans"
