import datetime
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OsaConfig(AppConfig):
    name = "jobbtorg.osa"
    label = "osa"
    verbose_name = _("OSA – skyddat arbete hos offentlig arbetsgivare")

    def ready(self) -> None:
        """OSA follow-ups are deadlines of the case: the officer's badge and digest reach the cases
        of the district responsible today (osa.access.officer_scope), as the case list does."""
        from jobbtorg.accounts.models import Role
        from jobbtorg.deadlines.rules import Responsible
        from jobbtorg.deadlines.selectors import register_subject_scope
        from jobbtorg.osa.access import officer_scope
        from jobbtorg.osa.models import OsaCase

        def reached(user: Any, today: datetime.date) -> Any:
            scope = officer_scope(user, today)
            return None if scope is None else OsaCase.objects.filter(scope).values("pk")

        register_subject_scope(Role.OSA_OFFICER, Responsible.OSA, reached)
