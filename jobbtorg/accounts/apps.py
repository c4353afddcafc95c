from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jobbtorg.accounts"
    label = "accounts"
