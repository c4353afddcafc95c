from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jobbtorg.notifications"
    label = "notifications"
