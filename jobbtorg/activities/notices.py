"""The coach's notice of sessions without registered attendance (registered in notifications.sources)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.selectors import missing_registrations
from jobbtorg.notifications.sources import Notice


def unregistered_sessions(user: User, today: datetime.date) -> list[Notice]:
    if user.role != Role.COACH:
        return []
    count = missing_registrations(user, today).order_by().count()
    label = _("Tillfällen utan registrerad närvaro")
    return [Notice(label, 0, count, reverse("activities:missing"))] if count else []
