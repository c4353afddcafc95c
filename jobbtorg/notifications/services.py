"""The daily digest: one e-mail per user per day with what is due, never one mail per event."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobbtorg.accounts.models import Role, User
from jobbtorg.deadlines.rules import RULES, Kind
from jobbtorg.deadlines.selectors import counts_by_kind
from jobbtorg.notifications.models import DigestSent

DIGEST_ROLES = (Role.COACH, Role.SOCIAL_WORKER, Role.UNIT_MANAGER)


def digest_lines(user: User, today: datetime.date) -> list[str]:
    """Counts per kind of deadline, in Swedish. No personal data of participants."""
    lines = []
    for kind, counts in sorted(counts_by_kind(user, today).items()):
        label = RULES[Kind(kind)].label
        if counts["overdue"]:
            lines.append(_("%(label)s: %(n)d försenade") % {"label": label, "n": counts["overdue"]})
        if counts["due"]:
            lines.append(_("%(label)s: %(n)d att göra snart") % {"label": label, "n": counts["due"]})
    return lines


def send_digest(user: User, today: datetime.date) -> bool:
    """Send today's digest to `user` unless already sent or there is nothing to say."""
    if not user.email or user.role not in DIGEST_ROLES:
        return False
    with override("sv"):
        lines = digest_lines(user, today)
        if not lines:
            return False
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=today, item_count=len(lines))
                body = "\n".join(
                    [_("Hej!"), "", _("Det här väntar på dig i Jobbtorg idag:"), "", *[f"- {line}" for line in lines], "",
                     _("Logga in för att se detaljerna: %(url)s") % {"url": settings.SITE_URL}]
                )
                send_mail(_("Jobbtorg: att göra %(day)s") % {"day": today.isoformat()}, body, None, [user.email])
        except IntegrityError:
            return False  # another worker sent it
    return True


def send_all_digests(today: datetime.date) -> int:
    sent = 0
    for user in User.objects.filter(is_active=True, role__in=DIGEST_ROLES).exclude(email="").iterator():
        sent += send_digest(user, today)
    return sent
