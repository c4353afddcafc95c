from typing import Any

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "jobbtorg.activities"
    label = "activities"

    def ready(self) -> None:
        from jobbtorg.participations.signals import participation_closed

        participation_closed.connect(_end_activities, dispatch_uid="activities_end_at_closure")


def _end_activities(sender: Any, *, user: Any, participation: Any, closed_on: Any, **kwargs: Any) -> None:
    """Closure ends every open activity (DOMAIN §4.5: every activity is limited in time)."""
    from jobbtorg.activities.services import end_activities_at_closure

    end_activities_at_closure(user, participation, closed_on)
