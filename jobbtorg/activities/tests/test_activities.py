"""Activities (DOMAIN §4.5, issue 3 part 5): dates, provider, capacity, follow-up, locking, access."""

import datetime

import pytest

from jobbtorg.access.testing import stand_in
from jobbtorg.activities import services
from jobbtorg.activities.models import Activity, ActivityStatus, Attendance, CatalogueItem
from jobbtorg.activities.tests.helpers import actor_for, days, new_activity, plan_day
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_activity_end_before_start_refused(coach, participation, item):
    with pytest.raises(DomainError) as refused:
        new_activity(coach, participation, item, start=5, end=4)
    assert refused.value.message_dict == {"end_date": ["Ange ett slutdatum som är efter startdatum"]}
    assert not Activity.objects.exists()
    assert not Deadline.objects.exists()
    assert not TimelineEntry.objects.filter(kind="activity_created").exists()


def test_activity_needs_start_and_end(coach, participation, item):
    data = services.ActivityData(catalogue_item=item, start_date=None, end_date=None)
    with pytest.raises(DomainError) as refused:
        services.create_activity(coach, actor_for(coach), participation, data)
    assert set(refused.value.message_dict) == {"start_date", "end_date"}


def test_activity_followup_due_at_end(coach, participation, item):
    activity = new_activity(coach, participation, item, start=0, end=20)
    deadline = Deadline.objects.get(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=activity.pk)
    assert deadline.due_date == days(20)
    assert deadline.status == Deadline.Status.OPEN
    assert deadline.participation_id == participation.pk
    entry = TimelineEntry.objects.get(kind="activity_created")
    assert entry.author == coach and entry.data["activity_id"] == activity.pk
    assert AuditEntry.objects.filter(user_id=coach.pk, action="create", person_id=participation.person_id).exists()

    # Moving the end date moves the follow-up with it.
    services.update_activity(
        coach,
        actor_for(coach),
        activity,
        services.ActivityData(item, activity.start_date, days(30)),
        activity.version,
    )
    deadline.refresh_from_db()
    assert deadline.due_date == days(30)


def test_followup_end_completes_deadline_and_ends_activity(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-30, end=-1)
    data = services.FollowUpData(followed_up_on=days(0), result="Klar med arbetsträningen.", decision="end")
    services.follow_up(coach, actor_for(coach), activity, data, activity.version)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ENDED and activity.closed_on == days(0)
    assert activity.end_date == days(-1)  # ended after its end: the dates stay
    assert Deadline.objects.get(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=activity.pk).status == Deadline.Status.DONE
    with pytest.raises(DomainError):
        services.follow_up(coach, actor_for(coach), activity, data, activity.version)


def test_followup_continue_extends_and_opens_new_followup(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-30, end=0)
    data = services.FollowUpData(followed_up_on=days(0), result="Går bra.", decision="continue", new_end_date=days(30))
    services.follow_up(coach, actor_for(coach), activity, data, activity.version)
    activity.refresh_from_db()
    assert activity.end_date == days(30) and activity.status == ActivityStatus.OPEN
    deadlines = Deadline.objects.filter(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=activity.pk).order_by("id")
    assert [(d.status, d.due_date) for d in deadlines] == [(Deadline.Status.DONE, days(0)), (Deadline.Status.OPEN, days(30))]


def test_replace_creates_linked_successor(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-30, end=10)
    # A planned, unregistered session after the new end is no fact and goes away.
    plan_day(coach, [activity], days(5))
    other = CatalogueItem.objects.get(name="Praktik som första steg till ett arbete")
    provider = f.ProviderFactory()
    data = services.FollowUpData(
        followed_up_on=days(0),
        result="Arbetsträningen ger inte resultat; praktik hos arbetsgivare i stället.",
        decision="replace",
        successor=services.ActivityData(other, days(1), days(60), provider=provider),
    )
    followup = services.follow_up(coach, actor_for(coach), activity, data, activity.version)
    activity.refresh_from_db()
    successor = followup.successor
    assert successor.predecessor_id == activity.pk
    assert list(activity.successors.all()) == [successor]
    assert (successor.catalogue_item, successor.provider, successor.start_date, successor.end_date) == (
        other,
        provider,
        days(1),
        days(60),
    )
    assert activity.status == ActivityStatus.REPLACED
    assert activity.end_date == days(0)  # cut short on the day of the follow-up
    assert not Attendance.objects.filter(activity=activity, date__gt=days(0)).exists()
    assert Deadline.objects.get(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=successor.pk).due_date == days(60)
    assert Deadline.objects.get(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=activity.pk).status == Deadline.Status.DONE
    assert TimelineEntry.objects.filter(kind="activity_followed_up", data__successor_id=successor.pk).exists()


def test_replace_with_bad_successor_saves_nothing(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-30, end=10)
    data = services.FollowUpData(
        followed_up_on=days(0),
        result="Byter.",
        decision="replace",
        successor=services.ActivityData(item, days(10), days(5)),
    )
    with pytest.raises(DomainError) as refused:
        services.follow_up(coach, actor_for(coach), activity, data, activity.version)
    assert refused.value.message_dict == {"successor_end_date": ["Ange ett slutdatum som är efter startdatum"]}
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.OPEN and activity.end_date == days(10)
    assert Activity.objects.count() == 1
    assert Deadline.objects.get(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=activity.pk).status == Deadline.Status.OPEN


def test_capacity_full_refused(coach, item):
    item.capacity = 2
    item.save()
    for _ in range(2):
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=0, end=30)
    third = f.ParticipationFactory(enrolled=True, coach=coach)
    with pytest.raises(DomainError) as refused:
        new_activity(coach, third, item, start=10, end=40)
    assert refused.value.message_dict["start_date"] == [
        "Insatsen är fullbokad under perioden (2 platser). Välj andra datum eller en annan insats."
    ]
    assert not Activity.objects.filter(participation=third).exists()
    # After the others end there is room again.
    assert new_activity(coach, third, item, start=31, end=40).pk


def test_provider_must_offer_the_item(coach, participation, item):
    offering, other = f.ProviderFactory(), f.ProviderFactory()
    item.providers.add(offering)
    with pytest.raises(DomainError) as refused:
        new_activity(coach, participation, item, provider=other)
    assert refused.value.message_dict == {"provider": ["Välj en anordnare som erbjuder den här insatsen."]}
    assert new_activity(coach, participation, item, provider=offering).provider == offering


def test_edit_with_stale_version_conflicts(coach, participation, item):
    activity = new_activity(coach, participation, item)
    stale = activity.version
    services.update_activity(coach, actor_for(coach), activity, services.ActivityData(item, days(-3), days(40)), stale)
    with pytest.raises(ConflictError):
        services.update_activity(
            coach, actor_for(coach), Activity.objects.get(pk=activity.pk), services.ActivityData(item, days(-3), days(50)), stale
        )
    assert Activity.objects.get(pk=activity.pk).end_date == days(40)


def test_edit_refused_when_registered_attendance_falls_outside(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-10, end=10)
    session = plan_day(coach, [activity], days(-5))
    attendance = session.attendances.get()
    services.register(coach, actor_for(coach), attendance, services.Registration(attendance.pk, "present"))
    with pytest.raises(DomainError) as refused:
        services.update_activity(
            coach, actor_for(coach), Activity.objects.get(pk=activity.pk), services.ActivityData(item, days(-2), days(10)), None
        )
    assert "end_date" in refused.value.message_dict


def test_only_coaches_of_the_unit_create_activities_and_refusals_are_audited(participation, item, social_worker):
    other_unit_coach = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    for user in (social_worker, other_unit_coach, f.UserFactory(provider_staff=True)):
        with pytest.raises(AccessDenied):
            new_activity(user, participation, item)
        assert AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED, person_id=participation.person_id).exists()
    assert not Activity.objects.exists()
    same_unit_coach = f.UserFactory(coach=True)
    stand_in(same_unit_coach, participation.coach)  # a colleague reaches the person as substitute (issue 8 item 6)
    assert new_activity(same_unit_coach, participation, item).pk


def test_closed_or_interrupted_participation_gets_no_activities(coach, item):
    closed = f.ParticipationFactory(closed=True, coach=coach)
    with pytest.raises(DomainError) as refused:
        new_activity(coach, closed, item)
    assert "participation" in refused.value.message_dict


def test_database_refuses_end_before_start_even_without_the_service(participation, item):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            participation=participation,
            catalogue_item=item,
            start_date=datetime.date(2026, 5, 2),
            end_date=datetime.date(2026, 5, 1),
        )


def test_closure_ends_open_activities_and_their_planned_sessions(coach, participation, item, provider, provider_staff):
    from jobbtorg.access.policy import check_person

    activity = new_activity(coach, participation, item, start=-10, end=10, provider=provider)
    plan_day(coach, [activity], days(3))
    assert services.end_activities_at_closure(coach, participation, days(0)) == 1
    activity.refresh_from_db()
    assert (activity.status, activity.end_date, activity.closed_on) == (ActivityStatus.ENDED, days(0), days(0))
    assert not Attendance.objects.filter(activity=activity).exists()
    assert Deadline.objects.get(kind=Kind.ACTIVITY_FOLLOWUP, subject_id=activity.pk).status == Deadline.Status.CANCELLED
    assert not check_person(provider_staff, participation.person, today=days(1)).allowed
