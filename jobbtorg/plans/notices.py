"""The coach's notice of plans the district sent back (registered in notifications.sources)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role, User
from jobbtorg.notifications.sources import Notice
from jobbtorg.plans.selectors import returned_plans_for_coach


def returned_plans(user: User, today: datetime.date) -> list[Notice]:
    if user.role != Role.COACH:
        return []
    count = returned_plans_for_coach(user).order_by().count()
    label = _("Planer som stadsdelen skickat tillbaka")
    return [Notice(label, 0, count, f"{reverse('start')}#returned-plans-heading")] if count else []
