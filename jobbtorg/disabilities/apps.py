from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisabilitiesConfig(AppConfig):
    name = "jobbtorg.disabilities"
    label = "disabilities"
    verbose_name = _("Funktionsnedsättning")
