"""In-app notifications: what needs the user's attention now, as counts per kind with a link
to the list where the work is done. The same counts as the daily e-mail digest
(deadlines.selectors.counts_by_kind), plus what the apps above register in
notifications.sources (returned plans, sessions without registered attendance, referrals sent
back). Counts and links only: no personal data.
"""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.core.capabilities import holds
from jobbtorg.deadlines.rules import RULES, Kind
from jobbtorg.deadlines.selectors import counts_by_kind, worklist
from jobbtorg.notifications.models import DistrictNews
from jobbtorg.notifications.sources import Notice, registered

# How far back the district's inbox shows news of its residents.
NEWS_DAYS = 14


def has_notifications(user: User) -> bool:
    return holds(user, "notifications.digest")


# The menu badge says "99+" past this: it runs on every page, so it counts at most BADGE_MAX + 1
# rows instead of a whole district's backlog (bench/README.md).
BADGE_MAX = 99


def badge_count(user: User, today: datetime.date) -> int:
    """The number in the main menu: deadlines overdue or due soon, at most BADGE_MAX + 1 (shown
    as "99+"). One COUNT query over a LIMIT."""
    if not has_notifications(user):
        return 0
    return worklist(user, today).order_by()[: BADGE_MAX + 1].count()


def _deadline_url(user: User, kind: str) -> str:
    start = reverse("start")
    if user.role == Role.COACH:
        return f"{start}?frist={kind}#deadlines-heading"
    if user.role == Role.SOCIAL_WORKER:
        if kind == Kind.PLAN_APPROVAL:
            return reverse("plans:queue")
        if kind == Kind.DEVIATION_ACKNOWLEDGEMENT:
            return reverse("activities:deviations")
        return start
    if user.role == Role.OSA_OFFICER:
        return reverse("osa:index")
    return f"{start}#caseload-heading"


def notices(user: User, today: datetime.date) -> list[Notice]:
    """Everything that needs the user's attention now, most urgent first."""
    if not has_notifications(user):
        return []
    items = [
        Notice(gettext(RULES[Kind(kind)].label), counts["overdue"], counts["due"], _deadline_url(user, kind))
        for kind, counts in counts_by_kind(user, today).items()
    ]
    for source in registered():
        items.extend(source(user, today))
    news = district_news(user, today).order_by().count()
    if news:
        items.append(Notice(gettext("Nytt om stadsdelens invånare"), 0, news, f"{reverse('start')}#news-heading"))
    return sorted(items, key=lambda n: (-n.overdue, -n.due, n.label))


def district_news(user: User, today: datetime.date) -> QuerySet[DistrictNews]:
    """The user's district's news of the last NEWS_DAYS days (interruptions, restarts, closures with
    outcome), newest first; only persons the user may see, so a protected identity stays out of the
    list. One query (select_related)."""
    district_id = getattr(user, "district_id", None)
    if not district_id or not holds(user, "notifications.district_news"):
        return DistrictNews.objects.none()
    since = today - datetime.timedelta(days=NEWS_DAYS)
    return (
        DistrictNews.objects.filter(district_id=district_id, occurred_on__gte=since,
                                    participation__person__in=visible_persons(user))
        .select_related("participation__person", "participation__unit")
        .order_by("-occurred_on", "-created_at", "-id")
    )
