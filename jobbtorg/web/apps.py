from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jobbtorg.web"
    label = "web"
