"""The social worker's notice of referrals the Jobbtorg sent back (registered in notifications.sources)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role, User
from jobbtorg.notifications.sources import Notice
from jobbtorg.referrals.selectors import returned_referrals


def returned(user: User, today: datetime.date) -> list[Notice]:
    if user.role != Role.SOCIAL_WORKER:
        return []
    count = returned_referrals(user).order_by().count()
    label = _("Anvisningar som jobbtorget skickat tillbaka")
    return [Notice(label, 0, count, reverse("start"))] if count else []
