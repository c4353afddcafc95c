"""The activity, session, attendance and deviation factories and their named states build."""

import pytest
from django.utils import timezone

from jobbtorg.access.policy import check_person
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_activity_states():
    today = timezone.localdate()
    assert f.ActivityFactory(running=True).start_date <= today <= f.ActivityFactory().end_date
    assert f.ActivityFactory(ended=True).end_date < today
    assert f.ActivityFactory(not_started=True).start_date > today


def test_attendance_states_and_session():
    assert f.AttendanceFactory().status is None
    assert f.AttendanceFactory(present=True).status == "present"
    assert f.AttendanceFactory(sick=True).absence_reason == "sick"
    unexcused = f.AttendanceFactory(unexcused=True)
    assert (unexcused.status, unexcused.absence_reason) == ("absent", "unexcused")
    assert unexcused.session.catalogue_item == unexcused.activity.catalogue_item
    assert unexcused.date == unexcused.session.date
    assert f.AttendanceFactory(non_cooperation=True).note
    assert f.ActivitySessionFactory(group=True).is_group


def test_deviation_states():
    deviation = f.DeviationFactory()
    assert deviation.district == deviation.participation.home_district
    assert deviation.acknowledged_on is None
    assert f.DeviationFactory(acknowledged=True).acknowledged_on


def test_provider_activity_factory_gives_provider_access_while_running():
    provider = f.ProviderFactory()
    staff = f.UserFactory(provider_staff=True, provider=provider)
    running = f.ActivityFactory(provider=provider)
    ended = f.ActivityFactory(provider=provider, ended=True)
    assert check_person(staff, running.participation.person).allowed
    assert not check_person(staff, ended.participation.person).allowed
