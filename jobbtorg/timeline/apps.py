from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "jobbtorg.timeline"
    label = "timeline"
