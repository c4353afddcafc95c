from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jobbtorg.people"
    label = "people"
