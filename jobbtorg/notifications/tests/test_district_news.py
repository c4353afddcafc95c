"""News to the home district (issue 10 item 5): told when its resident is interrupted, restarted or
closed (with the outcome), in its inbox and its digest; no name in the e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jobbtorg.activities.services import end_activities_at_closure
from jobbtorg.core.errors import DomainError
from jobbtorg.notifications import selectors
from jobbtorg.notifications.models import DigestSent, DistrictNews
from jobbtorg.notifications.services import news_lines, send_digest
from jobbtorg.participations import services as participations
from jobbtorg.participations.rules import Outcome
from jobbtorg.participations.tests.fixtures import actor_for, login
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _resident(coach, *, protected=False):
    today = timezone.localdate()
    person = f.PersonFactory(protected=protected, first_name="Hemligt", last_name="Namnsson")
    return f.ParticipationFactory(person=person, enrolled=True, coach=coach, referred_on=today - dt.timedelta(days=40),
                                  arrived_on=today - dt.timedelta(days=38))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services hand to after_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _interrupt_restart_close(coach, p):
    today = timezone.localdate()
    participations.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=today - dt.timedelta(days=10),
                             reason="illness")
    p.refresh_from_db()
    participations.restart(coach, actor_for(coach), p.pk, version=p.version, on=today - dt.timedelta(days=5))
    p.refresh_from_db()
    participations.close(coach, actor_for(coach), p.pk, version=p.version, closed_on=today,
                         outcome=Outcome(reason="moved"), end_activities=end_activities_at_closure)


def test_district_told_of_interruption_restart_and_closure(client, committed):
    coach = f.UserFactory(coach=True)
    social_worker = f.UserFactory(social_worker=True, email="sara@example.se")
    other_district = f.UserFactory(social_worker=True, district=f.district("bromma"), email="bo@example.se")
    p = _resident(coach)
    with committed():
        _interrupt_restart_close(coach, p)
    news = DistrictNews.objects.filter(participation=p).order_by("id")
    assert [(n.kind, n.outcome) for n in news] == [("interrupted", ""), ("restarted", ""), ("closed", "moved")]
    assert {n.district_id for n in news} == {p.home_district_id}
    # The inbox: the district start page lists each with the outcome of the closure.
    html = login(client, social_worker).get(reverse("start")).content.decode()
    assert 'id="news-heading"' in html
    assert "Namnsson" in html and "Avbrott" in html and "Nystart" in html and "Avslut (Flyttat)" in html
    assert [n.kind for n in selectors.district_news(other_district, timezone.localdate())] == []
    # The digest: counts with the outcome, no name.
    assert send_digest(social_worker, timezone.localdate())
    body = mail.outbox[0].body
    assert "avbrott på jobbtorget: 1" in body and "nystart på jobbtorget: 1" in body
    assert "avslutats på jobbtorget: 1 (Flyttat: 1)" in body
    assert "Namnsson" not in body and p.person.personnummer not in body
    assert not send_digest(other_district, timezone.localdate())


def test_protected_resident_is_counted_but_never_named(client, committed):
    coach = f.UserFactory(coach=True)
    social_worker = f.UserFactory(social_worker=True, email="sara@example.se")
    p = _resident(coach, protected=True)
    with committed():
        _interrupt_restart_close(coach, p)
    lines = news_lines(social_worker, timezone.localdate())
    assert len(lines) == 3
    send_digest(social_worker, timezone.localdate())
    message = mail.outbox[0]
    for secret in (p.person.first_name, p.person.last_name, p.person.personnummer):
        assert secret not in message.body and secret not in message.subject
    assert "Namnsson" not in login(client, social_worker).get(reverse("start")).content.decode()


def test_news_is_in_the_digest_once(committed):
    coach = f.UserFactory(coach=True)
    social_worker = f.UserFactory(social_worker=True, email="sara@example.se")
    p = _resident(coach)
    with committed():
        _interrupt_restart_close(coach, p)
    today = timezone.localdate()
    DigestSent.objects.create(user=social_worker, day=today - dt.timedelta(days=1))
    DistrictNews.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    assert news_lines(social_worker, today) == []


def test_a_refused_closure_tells_nobody(committed):
    coach = f.UserFactory(coach=True)
    p = _resident(coach)
    with committed(), pytest.raises(DomainError):
        participations.close(coach, actor_for(coach), p.pk, version=p.version, closed_on=timezone.localdate(),
                             outcome=Outcome(reason=""), end_activities=end_activities_at_closure)
    assert not DistrictNews.objects.exists()
