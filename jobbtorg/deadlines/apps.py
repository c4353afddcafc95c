from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "jobbtorg.deadlines"
    label = "deadlines"
