from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "jobbtorg.organisation"
    label = "organisation"
