from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "jobbtorg.assessments"
    label = "assessments"
