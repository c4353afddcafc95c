"""Daily digest e-mails (issue 3 §11): one per user per day, counts only, no identities."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings

from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.notifications.models import DailyRun, DigestSent
from jobbtorg.notifications.scheduler import DailyJob, run_due_jobs
from jobbtorg.notifications.services import send_all_digests, send_digest
from jobbtorg.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_mail")]

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}}


def _coach_with_deadlines(protected=False):
    coach = f.UserFactory(coach=True, email="coach@example.se")
    person = f.PersonFactory(protected=protected, first_name="Hemligt", last_name="Namnsson")
    participation = f.ParticipationFactory(person=person, enrolled=True, coach=coach)
    deadlines.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=TODAY - dt.timedelta(days=2))
    deadlines.open_deadline(participation, Kind.ACTIVITY_FOLLOWUP, due=TODAY + dt.timedelta(days=1), subject_id=1)
    return coach, person


def test_digest_is_one_mail_per_user_with_counts():
    coach, _ = _coach_with_deadlines()
    with override_settings(SITE_URL="https://jobbtorg.example.se"):
        assert send_digest(coach, TODAY)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Aktivitetsplan upprättas: 1 försenade" in body
    assert "Uppföljning av insats: 1 att göra snart" in body


def test_digest_sent_only_once_per_day():
    coach, _ = _coach_with_deadlines()
    assert send_digest(coach, TODAY)
    assert not send_digest(coach, TODAY)
    assert len(mail.outbox) == 1
    assert DigestSent.objects.filter(user=coach, day=TODAY).count() == 1


def test_protected_identity_never_in_email():
    coach, person = _coach_with_deadlines(protected=True)
    send_all_digests(TODAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    for secret in (person.first_name, person.last_name, person.personnummer, person.personnummer[2:]):
        assert secret not in message.body and secret not in message.subject


def test_no_digest_when_nothing_due():
    f.UserFactory(coach=True, email="idle@example.se")
    assert send_all_digests(TODAY) == 0
    assert mail.outbox == []


def test_scheduler_enqueues_each_daily_job_once_per_day():
    calls = []
    job = DailyJob("test_job", 6, lambda: calls.append(1))
    early = dt.datetime(2026, 11, 23, 5, 0)
    late = dt.datetime(2026, 11, 23, 7, 0)
    assert run_due_jobs(early, [job]) == []
    assert run_due_jobs(late, [job]) == ["test_job"]
    assert run_due_jobs(late, [job]) == []
    assert calls == [1]
    assert DailyRun.objects.filter(name="test_job").count() == 1


def test_digest_mail_that_fails_leaves_no_marker_so_the_next_run_sends_it(monkeypatch):
    """issue 9 item 4: the mail leaves after the day's marker is committed; a mail that fails does not
    leave the day marked as sent (one digest a day, issue 3 §11, and not none)."""
    coach, _ = _coach_with_deadlines()

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("jobbtorg.notifications.services.send_mail", broken)
    with pytest.raises(OSError):
        send_digest(coach, TODAY)
    assert not DigestSent.objects.filter(user=coach, day=TODAY).exists()
    monkeypatch.undo()
    assert send_digest(coach, TODAY)
    assert len(mail.outbox) == 1
