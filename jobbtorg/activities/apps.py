from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "jobbtorg.activities"
    label = "activities"
