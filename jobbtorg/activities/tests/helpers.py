"""Helpers for the activities tests: dates relative to today, and the services called as a user."""

import datetime

from django.test import RequestFactory
from django.utils import timezone

from jobbtorg.activities import services
from jobbtorg.audit.services import Actor


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def actor_for(user) -> Actor:
    request = RequestFactory().get("/")
    request.user = user
    return Actor.from_request(request)


def new_activity(coach, participation, item, start=-3, end=27, provider=None):
    """An activity created through the service (deadline, timeline and audit included)."""
    data = services.ActivityData(catalogue_item=item, start_date=days(start), end_date=days(end), provider=provider)
    return services.create_activity(coach, actor_for(coach), participation, data)


def plan_day(user, activities, day):
    """One session on `day` for the activities (a group session when several)."""
    return services.plan_sessions(user, actor_for(user), activities, services.SessionPlan(date=day))[0]


def reg(attendance, status, reason="", note=""):
    return services.Registration(attendance.pk, status, reason, note, attendance.version)


def client_for(user):
    """A test client logged in as `user`. UserFactory sets the password after saving
    (skip_postgeneration_save), so the row is saved first to match the session's hash."""
    from django.test import Client

    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    return client
