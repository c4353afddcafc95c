from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "jobbtorg.referrals"
    label = "referrals"
