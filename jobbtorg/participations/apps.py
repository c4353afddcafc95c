from django.apps import AppConfig


class ParticipationsConfig(AppConfig):
    name = "jobbtorg.participations"
    label = "participations"
