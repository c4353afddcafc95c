"""The daily digest: one e-mail per user per day with what is due, never one mail per event.

The exception: a lowered protection level is told at once (`protection_lowered`), in the app
and by e-mail, because it changes who can reach a person's address.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobbtorg.accounts.models import User
from jobbtorg.core.capabilities import holds, roles_holding
from jobbtorg.core.transactions import after_commit
from jobbtorg.deadlines.rules import RULES, Kind
from jobbtorg.deadlines.selectors import counts_by_kind
from jobbtorg.notifications.models import DigestSent, DistrictNews, Message, outcome_label
from jobbtorg.participations.models import Participation

logger = logging.getLogger(__name__)


def digest_lines(user: User, today: datetime.date) -> list[str]:
    """Counts per kind of deadline, in Swedish, and the district's news since the last digest.
    No personal data of participants."""
    lines = []
    for kind, counts in sorted(counts_by_kind(user, today).items()):
        label = _(RULES[Kind(kind)].label)
        if counts["overdue"]:
            lines.append(_("%(label)s: %(n)d försenade") % {"label": label, "n": counts["overdue"]})
        if counts["due"]:
            lines.append(_("%(label)s: %(n)d att göra snart") % {"label": label, "n": counts["due"]})
    return lines + news_lines(user, today)


# --- news to the home district (issue 10 item 5) -------------------------------------------------


def tell_district(participation_id: int, kind: str, occurred_on: datetime.date, outcome: str = "") -> DistrictNews | None:
    """Tell the participant's home district that the participation was interrupted, restarted or
    closed (with the outcome). Called by participations.services after the change commits
    (core.transactions.after_commit); the district reads it in its inbox and digest."""
    participation = Participation.objects.filter(pk=participation_id).only("home_district_id").first()
    if participation is None or participation.home_district_id is None:
        return None
    return DistrictNews.objects.create(district_id=participation.home_district_id, participation_id=participation_id,
                                       kind=kind, occurred_on=occurred_on, outcome=outcome)


def _news_since(user: User, today: datetime.date) -> datetime.datetime:
    """News is in the digest once: since the user's previous digest, else since yesterday began."""
    previous = DigestSent.objects.filter(user=user, day__lt=today).order_by("-day").values_list("sent_at", flat=True).first()
    if previous is not None:
        return previous
    start = datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start)


def news_lines(user: User, today: datetime.date) -> list[str]:
    """The district's news since the last digest as counts, closures by outcome. No names: a
    protected identity can not leak through the e-mail (LEGAL.md)."""
    district_id = getattr(user, "district_id", None)
    if not district_id or not holds(user, "notifications.district_news"):
        return []
    rows = (DistrictNews.objects.filter(district_id=district_id, created_at__gt=_news_since(user, today))
            .values_list("kind", "outcome").order_by())
    counts: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for kind, outcome in rows:
        counts[kind] = counts.get(kind, 0) + 1
        if kind == DistrictNews.Kind.CLOSED and outcome:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    lines = []
    if counts.get(DistrictNews.Kind.INTERRUPTED):
        lines.append(_("Invånare som fått avbrott på jobbtorget: %(n)d") % {"n": counts[DistrictNews.Kind.INTERRUPTED]})
    if counts.get(DistrictNews.Kind.RESTARTED):
        lines.append(_("Invånare som gjort nystart på jobbtorget: %(n)d") % {"n": counts[DistrictNews.Kind.RESTARTED]})
    if counts.get(DistrictNews.Kind.CLOSED):
        detail = ", ".join(f"{outcome_label(code)}: {n}" for code, n in sorted(outcomes.items()))
        line = _("Invånare som avslutats på jobbtorget: %(n)d") % {"n": counts[DistrictNews.Kind.CLOSED]}
        lines.append(f"{line} ({detail})" if detail else line)
    return lines


def send_digest(user: User, today: datetime.date) -> bool:
    """Send today's digest to `user` unless already sent or there is nothing to say."""
    if not user.email or not holds(user, "notifications.digest"):
        return False
    with override("sv"):
        lines = digest_lines(user, today)
        if not lines:
            return False
        subject = _("Jobbtorg: att göra %(day)s") % {"day": today.isoformat()}
        body = "\n".join(
            [_("Hej!"), "", _("Det här väntar på dig i Jobbtorg idag:"), "", *[f"- {line}" for line in lines], "",
             _("Logga in för att se detaljerna: %(url)s") % {"url": settings.SITE_URL}]
        )
        try:
            with transaction.atomic():
                sent = DigestSent.objects.create(user=user, day=today, item_count=len(lines))
        except IntegrityError:
            return False  # another worker sent it

    def mail() -> None:
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:
            # Not sent: drop the day's marker so that the next run tries again, then report.
            DigestSent.objects.filter(pk=sent.pk).delete()
            raise

    after_commit(mail)  # the mail leaves only once the day's marker is committed
    return True


def send_all_digests(today: datetime.date) -> int:
    sent = 0
    for user in User.objects.filter(is_active=True, role__in=roles_holding("notifications.digest")).exclude(email="").iterator():
        sent += send_digest(user, today)
    return sent


def protection_lowered(person_id: int, recipient_ids: list[int], old_level: str, new_level: str) -> int:
    """Tell the named staff and the coach that a person's protection was lowered (issue 8 item 2).

    Called after the change is committed (transaction.on_commit). An in-app message and, for
    those with an e-mail address, an e-mail; both name the person by id and link to the
    person page (which checks access again), never by name or personnummer. Returns the
    number of people told.
    """
    from jobbtorg.people.models import ProtectionLevel

    users = list(User.objects.filter(pk__in=recipient_ids, is_active=True))
    if not users:
        return 0
    path = reverse("people:detail", kwargs={"person_id": person_id})
    with override("sv"):
        old_label, new_label = ProtectionLevel(old_level).label, ProtectionLevel(new_level).label
        text = _("Skyddsnivån för person-id %(id)d har sänkts från %(old)s till %(new)s.") % {
            "id": person_id,
            "old": old_label,
            "new": new_label,
        }
        Message.objects.bulk_create([Message(user=user, text=text, url=path) for user in users])
        subject = _("Jobbtorg: skyddsnivån för en person har sänkts")
        body = "\n".join(
            [
                _("Hej!"),
                "",
                text,
                _("Du får det här meddelandet eftersom du är namngiven på personen eller coach för personens deltagande."),
                "",
                _("Logga in för att se detaljerna: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + path},
            ]
        )
        for user in users:
            if user.email:
                try:
                    send_mail(subject, body, None, [user.email])
                except Exception:  # the change is committed and the in-app message stored: log, go on
                    logger.exception("protection notice e-mail to user %s failed", user.pk)
    return len(users)



def tell(user_ids: list[int], text: str, url: str) -> int:
    """A one-off in-app message to the named staff (e.g. the district told that a deviation it
    was sent was corrected, issue 10 item 3). Called after the change is committed; like every
    message the text names no person, only an id, and `url` leads to a page that checks access
    again. Returns the number of people told."""
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).only("pk"))
    Message.objects.bulk_create([Message(user=user, text=text[:300], url=url) for user in users])
    return len(users)
