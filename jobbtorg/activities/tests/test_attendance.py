"""Attendance and deviations (DOMAIN §6, issue 3 part 6)."""

import pytest
from django.db import DatabaseError

from jobbtorg.activities import selectors, services
from jobbtorg.activities.models import ActivitySession, Attendance, Deviation
from jobbtorg.activities.tests.helpers import actor_for, days, new_activity, plan_day, reg
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_attendance_outside_activity_dates_refused(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-10, end=-2)
    message = f"Närvaro kan bara registreras för dagar inom insatsens period ({days(-10)} – {days(-2)})."
    for day in (days(-11), days(-1)):
        with pytest.raises(DomainError) as refused:
            services.register_day(coach, actor_for(coach), activity, day, "present")
        assert refused.value.message_dict == {"date": [message]}
        with pytest.raises(DomainError):
            services.plan_sessions(coach, actor_for(coach), [activity], services.SessionPlan(date=day))
    assert not ActivitySession.objects.exists()
    assert not Attendance.objects.exists()
    # Inside the period it works.
    assert services.register_day(coach, actor_for(coach), activity, days(-2), "present").status == "present"


def test_group_session_refuses_a_day_outside_one_participants_activity(coach, item):
    a = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-10, end=10)
    b = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-10, end=-1)
    with pytest.raises(DomainError) as refused:
        plan_day(coach, [a, b], days(0))
    assert "date" in refused.value.message_dict
    assert not ActivitySession.objects.exists()


def test_attendance_in_the_future_refused(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-1, end=10)
    attendance = plan_day(coach, [activity], days(2)).attendances.get()
    with pytest.raises(DomainError) as refused:
        services.register(coach, actor_for(coach), attendance, reg(attendance, "present"))
    assert "date" in refused.value.message_dict
    attendance.refresh_from_db()
    assert attendance.status is None


def test_missing_is_not_absent(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-10, end=10)
    services.plan_sessions(
        coach, actor_for(coach), [activity], services.SessionPlan(date=days(-3), last_date=days(-1), weekdays=range(7))
    )
    first, second, third = Attendance.objects.filter(activity=activity).order_by("date")
    services.register(coach, actor_for(coach), first, reg(first, "present"))

    rate = selectors.attendance_rate(activity)
    assert (rate.present, rate.absent, rate.non_cooperation, rate.missing) == (1, 0, 0, 2)
    assert rate.percent == 100  # the two unregistered days do not lower the rate
    missing = list(selectors.missing_registrations(coach, days(0)))
    assert [a.pk for a in missing] == [second.pk, third.pk]
    assert services.describe(second) == "Ej registrerad"
    assert not Deviation.objects.exists()  # missing never produces a deviation
    # A session not yet held is not missing either.
    plan_day(coach, [activity], days(3))
    assert selectors.attendance_rate(activity).missing == 2
    assert len(selectors.missing_registrations(coach, days(0))) == 2


def test_unexcused_absence_creates_deviation_to_home_district(coach, item):
    person = f.PersonFactory(home_district=f.district("bromma"))
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person=person, home_district=f.district("skarholmen"))
    activity = new_activity(coach, participation, item, start=-5, end=5)
    attendance = plan_day(coach, [activity], days(-1)).attendances.get()
    services.register(coach, actor_for(coach), attendance, reg(attendance, "absent", "unexcused"))

    deviation = Deviation.objects.get()
    assert deviation.attendance_id == attendance.pk
    assert deviation.district == participation.home_district  # the participation's home district
    assert deviation.kind == "unexcused_absence"
    assert (deviation.occurred_on, deviation.reported_on) == (days(-1), days(0))
    deadline = Deadline.objects.get(kind=Kind.DEVIATION_ACKNOWLEDGEMENT, subject_id=deviation.pk)
    assert deadline.status == Deadline.Status.OPEN and deadline.responsible == "district"
    assert TimelineEntry.objects.filter(kind="deviation_reported", participation=participation).exists()

    # Saving the same registration again does not report twice; a sick day reports nothing.
    services.register(coach, actor_for(coach), attendance, reg(Attendance.objects.get(pk=attendance.pk), "absent", "unexcused"))
    sick = plan_day(coach, [activity], days(-2)).attendances.get()
    services.register(coach, actor_for(coach), sick, reg(sick, "absent", "sick"))
    assert Deviation.objects.count() == 1

    non_cooperation = plan_day(coach, [activity], days(-3)).attendances.get()
    services.register(coach, actor_for(coach), non_cooperation, reg(non_cooperation, "non_cooperation", note="Vägrade delta."))
    assert Deviation.objects.get(attendance=non_cooperation).kind == "non_cooperation"


def test_deviation_rolls_back_with_the_registration(coach, participation, item, monkeypatch):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    attendance = plan_day(coach, [activity], days(-1)).attendances.get()

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(services.deadlines, "open_deadline", broken)
    with pytest.raises(DatabaseError):
        services.register(coach, actor_for(coach), attendance, reg(attendance, "absent", "unexcused"))
    assert not Deviation.objects.exists()
    assert Attendance.objects.get(pk=attendance.pk).status is None


def test_correction_withdraws_the_deviation(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    attendance = plan_day(coach, [activity], days(-1)).attendances.get()
    services.register(coach, actor_for(coach), attendance, reg(attendance, "absent", "unexcused"))
    attendance.refresh_from_db()
    services.register(coach, actor_for(coach), attendance, reg(attendance, "absent", "sick"))
    deviation = Deviation.objects.get()
    assert deviation.withdrawn_on == days(0)
    assert Deadline.objects.get(subject_id=deviation.pk, kind=Kind.DEVIATION_ACKNOWLEDGEMENT).status == "cancelled"
    assert list(selectors.deviation_inbox(participation.home_district)) == []
    assert TimelineEntry.objects.filter(kind="attendance_corrected").exists()


def test_only_home_district_acknowledges_deviation(coach, participation, item, social_worker):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    attendance = plan_day(coach, [activity], days(-1)).attendances.get()
    services.register(coach, actor_for(coach), attendance, reg(attendance, "absent", "unexcused"))
    deviation = Deviation.objects.get()
    other_district = f.UserFactory(social_worker=True, district=f.district("bromma"))

    for user in (other_district, coach, f.UserFactory(provider_staff=True)):
        with pytest.raises(AccessDenied):
            services.acknowledge_deviation(user, actor_for(user), deviation, "Nej", None)
        refusal = AuditEntry.objects.get(user_id=user.pk, outcome=Outcome.REFUSED)
        assert refusal.person_id == participation.person_id and refusal.flagged
    deviation.refresh_from_db()
    assert deviation.acknowledged_on is None and deviation.district_note == ""

    services.acknowledge_deviation(social_worker, actor_for(social_worker), deviation, "Samtal bokat med den enskilde.", None)
    deviation.refresh_from_db()
    assert deviation.acknowledged_on == days(0) and deviation.acknowledged_by == social_worker
    assert deviation.district_note == "Samtal bokat med den enskilde."
    assert Deadline.objects.get(kind=Kind.DEVIATION_ACKNOWLEDGEMENT, subject_id=deviation.pk).status == "done"
    entry = TimelineEntry.objects.get(kind="deviation_acknowledged")
    assert entry.author == social_worker and entry.author_role == "social_worker"  # recorded as the district's
    assert "Stadsdelens beslut/åtgärd: Samtal bokat" in entry.text
    with pytest.raises(DomainError):
        services.acknowledge_deviation(social_worker, actor_for(social_worker), deviation, "", None)


def test_acknowledge_with_stale_version_conflicts(coach, participation, item, social_worker):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    attendance = plan_day(coach, [activity], days(-1)).attendances.get()
    services.register(coach, actor_for(coach), attendance, reg(attendance, "absent", "unexcused"))
    deviation = Deviation.objects.get()
    with pytest.raises(ConflictError):
        services.acknowledge_deviation(social_worker, actor_for(social_worker), deviation, "", deviation.version + 1)


def test_group_registration_is_all_or_nothing(coach, item):
    activities = [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5) for _ in range(3)
    ]
    session = plan_day(coach, activities, days(-1))
    assert session.is_group
    a, b, c = session.attendances.order_by("id")

    # Row c is invalid (absence without reason): nothing is saved, not even a and b.
    rows = [reg(a, "present"), reg(b, "absent", "unexcused"), reg(c, "absent")]
    with pytest.raises(services.GroupRegistrationError) as refused:
        services.register_group(coach, actor_for(coach), session, rows)
    assert refused.value.row_errors == {c.pk: {"absence_reason": ["Ange orsak till frånvaron."]}}
    assert set(Attendance.objects.filter(session=session).values_list("status", flat=True)) == {None}
    assert not Deviation.objects.exists()

    # A stale version on the last row also rolls back the rows already written.
    stale = services.Registration(c.pk, "present", version=c.version + 5)
    with pytest.raises(ConflictError):
        services.register_group(coach, actor_for(coach), session, [reg(a, "present"), reg(b, "absent", "unexcused"), stale])
    assert set(Attendance.objects.filter(session=session).values_list("status", flat=True)) == {None}
    assert not Deviation.objects.exists()
    assert not TimelineEntry.objects.filter(kind="attendance_registered").exists()

    saved = services.register_group(
        coach, actor_for(coach), session, [reg(a, "present"), reg(b, "absent", "unexcused"), reg(c, "absent", "sick")]
    )
    assert len(saved) == 3
    assert Deviation.objects.get().attendance_id == b.pk


def test_group_registration_by_provider_staff_is_access_checked(coach, item, provider, provider_staff):
    activities = [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5, provider=provider)
        for _ in range(2)
    ]
    session = plan_day(provider_staff, activities, days(0))
    rows = [reg(a, "present") for a in session.attendances.all()]
    assert len(services.register_group(provider_staff, actor_for(provider_staff), session, rows)) == 2

    stranger = f.UserFactory(provider_staff=True)
    with pytest.raises(AccessDenied):
        services.register_group(stranger, actor_for(stranger), session, rows)
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome=Outcome.REFUSED).exists()
    other_coach = f.UserFactory(coach=True)  # same unit, but not the participants' coach
    with pytest.raises(AccessDenied):
        services.register_group(other_coach, actor_for(other_coach), session, rows)


def test_group_session_needs_one_offer_and_one_provider(coach, item, provider):
    other_item = f.CatalogueItemFactory()
    a = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5)
    b = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), other_item, start=-5, end=5)
    c = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5, provider=provider)
    for pair in ([a, b], [a, c]):
        with pytest.raises(DomainError) as refused:
            plan_day(coach, pair, days(0))
        assert "activities" in refused.value.message_dict


def test_attendance_rate_per_participant_and_activity(coach, participation, item):
    first = new_activity(coach, participation, item, start=-20, end=-11)
    second = new_activity(coach, participation, f.CatalogueItemFactory(), start=-10, end=5)
    other = new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach, referred_on=days(-20)), item, start=-20, end=5)

    def register(activity, day, status, reason=""):
        services.register_day(
            coach, actor_for(coach), activity, days(day), status, reason, "Text" if status == "non_cooperation" else ""
        )

    for day, status, reason in [(-20, "present", ""), (-19, "present", ""), (-18, "absent", "sick"), (-17, "present", "")]:
        register(first, day, status, reason)
    for day, status, reason in [(-10, "present", ""), (-9, "non_cooperation", ""), (-8, "absent", "unexcused")]:
        register(second, day, status, reason)
    register(other, -5, "absent", "unexcused")
    plan_day(coach, [second], days(-1))  # one session not registered

    assert selectors.attendance_rate(first).percent == 75  # 3 of 4
    second_rate = selectors.attendance_rate(second)
    assert (second_rate.present, second_rate.registered, second_rate.missing, second_rate.percent) == (1, 3, 1, 33)
    total = selectors.attendance_rate(participation)
    assert (total.present, total.absent, total.non_cooperation, total.missing) == (4, 2, 1, 1)
    assert total.percent == 57  # 4 of 7; the missing session is not in the denominator
    assert selectors.attendance_rate(other).percent == 0
    # The annotated list computes the same numbers in one query.
    annotated = {a.pk: selectors.rate_of(a) for a in selectors.with_attendance_counts(participation.activities.all())}
    assert annotated[first.pk] == selectors.attendance_rate(first)
    assert annotated[second.pk] == second_rate
