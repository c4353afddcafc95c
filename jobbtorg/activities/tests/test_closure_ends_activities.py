"""Closing a participation ends its open activities in the same transaction (DOMAIN §4.5, §7)."""

import datetime as dt

import pytest
from django.utils import timezone

from jobbtorg.activities.services import end_activities_at_closure
from jobbtorg.audit.services import Actor
from jobbtorg.deadlines.models import Deadline
from jobbtorg.participations import rules, services
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_closure_ends_open_activities_and_cancels_their_followups():
    coach = f.UserFactory(coach=True)
    participation = f.ParticipationFactory(enrolled=True, coach=coach)
    activity = f.ActivityFactory(participation=participation)
    Deadline.objects.create(
        participation=participation, kind="activity_followup", subject_id=activity.pk,
        due_date=activity.end_date, responsible="coach",
    )
    today = timezone.localdate()
    outcome = rules.Outcome(reason="moved")
    services.close(coach, Actor(coach.pk, coach.username, coach.role),
                   participation.pk, version=participation.version, closed_on=today, outcome=outcome,
                   end_activities=end_activities_at_closure)
    activity.refresh_from_db()
    assert activity.status == "ended"
    assert activity.end_date <= today + dt.timedelta(days=0)
    assert not Deadline.objects.filter(kind="activity_followup", subject_id=activity.pk, status="open").exists()
