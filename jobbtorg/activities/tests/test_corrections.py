"""Attendance corrections (issue 10 item 3): a day has one registration, registering it again
corrects it, and a corrected deviation is told to the district."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction

from jobbtorg.activities import selectors, services
from jobbtorg.activities.models import ActivitySession, Attendance, Deviation
from jobbtorg.activities.tests.helpers import actor_for, client_for, days, new_activity, plan_day
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError
from jobbtorg.notifications.models import Message
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_registering_a_day_again_corrects_that_day(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    first = services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    again = services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "sick")

    assert again.pk == first.pk
    assert again.version == first.version + 1
    assert list(Attendance.objects.filter(activity=activity).values_list("status", "absence_reason")) == [("absent", "sick")]
    assert ActivitySession.objects.count() == 1
    rate = selectors.attendance_rate(activity)
    assert (rate.registered, rate.missing) == (1, 0)  # "1 av 1", never "0 av 2" for one day
    corrected = TimelineEntry.objects.get(kind="attendance_corrected")
    assert "rättad: Närvarande → Frånvarande – Sjuk" in corrected.text


def test_registering_a_planned_day_again_corrects_the_planned_row(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    planned = plan_day(coach, [activity], days(-2)).attendances.get()
    services.register_day(coach, actor_for(coach), activity, days(-2), "present")
    services.register_day(coach, actor_for(coach), activity, days(-2), "non_cooperation", note="Kom inte till passet.")
    assert list(Attendance.objects.filter(activity=activity).values_list("pk", "status")) == [(planned.pk, "non_cooperation")]


def test_correcting_a_day_with_a_stale_version_is_refused(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    first = services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "sick")
    with pytest.raises(ConflictError):
        services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "unexcused", expected_version=first.version)
    assert Attendance.objects.get().absence_reason == "sick"
    assert not Deviation.objects.exists()


def test_planning_a_day_already_there_adds_no_second_place(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    other = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5)
    services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    group = plan_day(coach, [activity, other], days(-1))
    assert list(group.attendances.values_list("activity_id", flat=True)) == [other.pk]
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_one_attendance_per_activity_and_day_is_a_database_rule(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    attendance = services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    session = ActivitySession.objects.create(catalogue_item=item, date=days(-1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, activity=activity, date=attendance.date)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_merging_duplicate_days_keeps_the_latest_registration(coach, participation, item, monkeypatch):
    """The data migration's merge: the latest registration of a day stays, its deviation with it."""
    migration = importlib.import_module("jobbtorg.activities.migrations.0004_i10_attend_one_attendance_per_day")
    activity = new_activity(coach, participation, item, start=-5, end=5)
    older = services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "unexcused")
    constraint = next(c for c in Attendance._meta.constraints if c.name == "attendance_one_per_activity_and_day")
    # The table as before the migration (SQLite remakes it from the model's constraints).
    monkeypatch.setattr(Attendance._meta, "constraints", [c for c in Attendance._meta.constraints if c is not constraint])
    with connection.schema_editor() as editor:
        editor.remove_constraint(Attendance, constraint)
    try:
        newer = Attendance.objects.create(
            session=ActivitySession.objects.create(catalogue_item=item, date=days(-1)),
            activity=activity,
            date=days(-1),
            status="present",
            registered_at=older.registered_at + datetime.timedelta(hours=1),
        )
        unregistered = Attendance.objects.create(
            session=ActivitySession.objects.create(catalogue_item=item, date=days(-1)), activity=activity, date=days(-1)
        )
        migration.merge_duplicates(django_apps, None)
    finally:
        monkeypatch.undo()
        with connection.schema_editor() as editor:
            editor.add_constraint(Attendance, constraint)

    assert list(Attendance.objects.filter(activity=activity).values_list("pk", flat=True)) == [newer.pk]
    assert not ActivitySession.objects.filter(attendances__isnull=True).exists()
    deviation = Deviation.objects.get()
    assert deviation.attendance_id == newer.pk and deviation.withdrawn_on is not None
    assert not Attendance.objects.filter(pk__in=[older.pk, unregistered.pk]).exists()


def _unexcused(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "unexcused")
    return activity, Deviation.objects.get()


def test_correcting_unexcused_absence_withdraws_deviation(coach, participation, item):
    activity, deviation = _unexcused(coach, participation, item)
    services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    deviation.refresh_from_db()
    assert deviation.withdrawn_on == days(0)
    assert list(selectors.deviation_inbox(participation.home_district)) == []
    assert TimelineEntry.objects.filter(kind="deviation_withdrawn").count() == 1


def test_correcting_to_another_deviation_updates_it(coach, participation, item):
    activity, deviation = _unexcused(coach, participation, item)
    services.register_day(coach, actor_for(coach), activity, days(-1), "non_cooperation", note="Kom inte till passet.")
    deviation.refresh_from_db()
    assert (deviation.kind, deviation.withdrawn_on) == ("non_cooperation", None)
    assert Deviation.objects.count() == 1


def test_correction_tells_district_deviation_corrected(
    coach, participation, item, social_worker, django_capture_on_commit_callbacks
):
    other_district = f.UserFactory(social_worker=True, district=f.district("bromma"))
    with django_capture_on_commit_callbacks(execute=True):
        activity, deviation = _unexcused(coach, participation, item)
    assert not Message.objects.exists()  # the report itself reaches the district as a deadline

    with django_capture_on_commit_callbacks(execute=True):
        services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "sick")

    message = Message.objects.get()
    assert message.user_id == social_worker.pk and message.user_id != other_district.pk
    assert message.text.startswith("Avvikelsen rättad: Ogiltig frånvaro")
    assert "Avvikelsen är återkallad." in message.text
    assert f"person-id {participation.person_id}" in message.text
    assert participation.person.last_name not in message.text  # no name in a message
    assert message.url == "/insatser/avvikelser/?visa=rattade"

    # The link leads to the district's corrected reports, with what the day is now.
    html = client_for(social_worker).get(message.url).content.decode()
    assert f"Rättad {days(0):%Y-%m-%d}, återkallad" in html and "Frånvarande – Sjuk" in html
    assert "Kvittera<" not in html


def test_correction_tells_district_even_after_it_acknowledged(
    coach, participation, item, social_worker, django_capture_on_commit_callbacks
):
    activity, deviation = _unexcused(coach, participation, item)
    services.acknowledge_deviation(social_worker, actor_for(social_worker), deviation, "", deviation.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.register_day(coach, actor_for(coach), activity, days(-1), "non_cooperation", note="Kom inte till passet.")
    text = Message.objects.get(user=social_worker).text
    assert "Avvikelsen gäller nu Bristande medverkan och väntar på kvittering." in text
    assert "Ni hade redan kvitterat den." in text


def test_correction_refused_for_a_coach_of_another_unit(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    with pytest.raises(AccessDenied):
        services.register_day(stranger, actor_for(stranger), activity, days(-1), "absent", "unexcused")
    assert Attendance.objects.get().status == "present"
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome=Outcome.REFUSED).exists()


def test_registering_a_day_again_via_the_api_corrects_it(coach, participation, item):
    from rest_framework.test import APIClient

    activity = new_activity(coach, participation, item, start=-5, end=5)
    client = APIClient()
    client.force_authenticate(coach)
    body = {"activity": activity.pk, "date": days(-1).isoformat(), "status": "present"}
    first = client.post("/api/v1/attendance/", body, format="json").json()
    second = client.post(
        "/api/v1/attendance/", {**body, "status": "absent", "absence_reason": "sick", "version": first["version"]}, format="json"
    )
    assert second.json()["id"] == first["id"]
    stale = client.post("/api/v1/attendance/", {**body, "version": first["version"]}, format="json")
    assert stale.status_code == 409
    assert list(Attendance.objects.values_list("status", "absence_reason")) == [("absent", "sick")]


def test_correction_of_a_protected_persons_deviation_tells_only_those_who_may_see(
    coach, item, social_worker, django_capture_on_commit_callbacks
):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person__protected=True)
    activity = new_activity(coach, participation, item, start=-5, end=5)
    services.register_day(coach, actor_for(coach), activity, days(-1), "absent", "unexcused")
    with django_capture_on_commit_callbacks(execute=True):
        services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    assert Deviation.objects.get().withdrawn_on == days(0)
    assert not Message.objects.filter(user=social_worker).exists()  # not named on the person
