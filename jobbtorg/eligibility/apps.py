from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "jobbtorg.eligibility"
    label = "eligibility"
