"""Enrolment, interruption/restart and closure (DOMAIN §4, §7; issue 3 parts 2, 7, 8, 9).

Every refusal is checked to leave the participation as it was.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobbtorg.activities.services import end_activities_at_closure
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.core.workdays import add_months, add_working_days
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations import services
from jobbtorg.participations.models import (
    Interruption,
    Participation,
    PostClosureFollowUp,
    Status,
)
from jobbtorg.participations.rules import Outcome as ClosureOutcome
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.testing import factories as f
from jobbtorg.testing.dates import visit_slot
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def referred(coach, today, days_ago=20):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - days_ago * DAY)
    deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, due=today - (days_ago - 3) * DAY)
    return p


def arrive(coach, p, on):
    return services.record_arrival(coach, actor_for(coach), p.pk, version=p.version, arrived_on=on)


def deadline(p, kind) -> Deadline:
    return Deadline.objects.get(participation=p, kind=kind)


def unchanged(p: Participation) -> bool:
    fresh = Participation.objects.get(pk=p.pk)
    return fresh.version == p.version and fresh.status == p.status


# --- coach assignment ---------------------------------------------------------------------------


def test_manager_assigns_a_coach_of_the_unit(manager, coach, other_coach, today):
    p = referred(coach, today)
    services.assign_coach(manager, actor_for(manager), p.pk, version=p.version, coach_id=other_coach.pk)
    p.refresh_from_db()
    assert p.coach == other_coach and p.coach_assigned_on == today and p.coach_assigned_by == manager
    assert TimelineEntry.objects.filter(participation=p, kind="coach_assigned").exists()
    assert AuditEntry.objects.filter(person_id=p.person_id, action=Action.CHANGE, outcome=Outcome.ALLOWED).exists()


def test_coach_of_another_unit_can_not_be_assigned(manager, coach, today):
    p = referred(coach, today)
    elsewhere = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"))
    with pytest.raises(DomainError) as exc:
        services.assign_coach(manager, actor_for(manager), p.pk, version=p.version, coach_id=elsewhere.pk)
    assert "coach" in exc.value.message_dict
    assert unchanged(p)


def test_only_the_unit_manager_assigns_coaches(coach, today):
    p = referred(coach, today)
    with pytest.raises(PermissionDenied):
        services.assign_coach(coach, actor_for(coach), p.pk, version=p.version, coach_id=coach.pk)
    other_manager = f.UserFactory(unit_manager=True, jobbtorg_unit=f.unit("sydost"))
    with pytest.raises(AccessDenied):
        services.assign_coach(other_manager, actor_for(other_manager), p.pk, version=p.version, coach_id=coach.pk)
    assert AuditEntry.objects.filter(user_id=other_manager.pk, outcome=Outcome.REFUSED).exists()
    assert unchanged(p)


# --- arrival and the 18-month count -------------------------------------------------------------


def test_arrival_activates_and_starts_plan_and_limit_clocks(coach, today):
    p = referred(coach, today)
    arrive(coach, p, today)
    p.refresh_from_db()
    assert p.status == Status.ACTIVE and p.arrived_on == today
    assert deadline(p, Kind.FIRST_APPOINTMENT).status == Deadline.Status.DONE
    assert deadline(p, Kind.PLAN_DRAWN_UP).due_date == add_working_days(today, 5)
    assert deadline(p, Kind.PARTICIPATION_LIMIT).due_date == add_months(today, 18)
    assert deadline(p, Kind.PARTICIPATION_LIMIT_WARNING).due_date == add_months(today, 17)
    assert TimelineEntry.objects.filter(participation=p, kind="participant_arrived").exists()


def test_arrival_before_referral_or_in_the_future_refused(coach, today):
    p = referred(coach, today)
    for day in (p.referred_on - DAY, today + DAY):
        with pytest.raises(DomainError) as exc:
            arrive(coach, p, day)
        assert "arrived_on" in exc.value.message_dict
    assert unchanged(p)
    assert not Deadline.objects.filter(participation=p, kind=Kind.PLAN_DRAWN_UP).exists()


def test_18_month_limit_counts_only_active_time(coach, today):
    person = f.PersonFactory()
    first_arrival = today - 400 * DAY
    earlier = f.ParticipationFactory(
        person=person, closed=True, referred_on=first_arrival, arrived_on=first_arrival, closed_on=first_arrival + 182 * DAY
    )
    # 30 days of illness inside the earlier participation do not count; neither do the 200+ days between.
    Interruption.objects.create(
        participation=earlier, reason="illness", start_date=first_arrival + 10 * DAY, end_date=first_arrival + 40 * DAY,
        started_by=coach,
    )
    p = f.ParticipationFactory(person=person, referred=True, coach=coach, referred_on=today - 2 * DAY, previous=earlier)
    arrive(coach, p, today - 2 * DAY)

    used = 182 - 30 + 2
    limit_days = (add_months(first_arrival, 18) - first_arrival).days
    assert deadline(p, Kind.PARTICIPATION_LIMIT).due_date == today + (limit_days - used) * DAY
    warning_days = (add_months(first_arrival, 17) - first_arrival).days
    assert deadline(p, Kind.PARTICIPATION_LIMIT_WARNING).due_date == today + (warning_days - used) * DAY


# --- enrolment checklist -----------------------------------------------------------------------


def test_af_registration_recorded_with_date(coach, today):
    p = referred(coach, today)
    with pytest.raises(DomainError) as exc:
        services.record_af_registration(coach, actor_for(coach), p.pk, version=p.version, registered=True, registered_on=None)
    assert "af_registered_on" in exc.value.message_dict
    services.record_af_registration(coach, actor_for(coach), p.pk, version=p.version, registered=True, registered_on=today)
    p.refresh_from_db()
    assert p.af_registered is True and p.af_registered_on == today
    services.record_af_registration(coach, actor_for(coach), p.pk, version=p.version, registered=False, registered_on=today)
    p.refresh_from_db()
    assert p.af_registered is False and p.af_registered_on is None


def test_information_checklist_needs_all_three_and_arrival(coach, today):
    p = referred(coach, today)
    with pytest.raises(DomainError) as exc:
        services.sign_off_information(
            coach, actor_for(coach), p.pk, version=p.version, rights=True, duty=True, consequences=True, signed_on=today
        )
    assert "non_field_errors" in exc.value.message_dict
    arrive(coach, p, today)
    p.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.sign_off_information(
            coach, actor_for(coach), p.pk, version=p.version, rights=True, duty=False, consequences=True, signed_on=today
        )
    assert set(exc.value.message_dict) == {"informed_duty"}
    services.sign_off_information(
        coach, actor_for(coach), p.pk, version=p.version, rights=True, duty=True, consequences=True, signed_on=today
    )
    p.refresh_from_db()
    assert p.information_complete and p.information_signed_by == coach


def test_job_guarantee_offer_completes_its_deadline(coach, today):
    p = referred(coach, today)
    with pytest.raises(DomainError):
        services.record_job_guarantee_offer(coach, actor_for(coach), p.pk, version=p.version, offered_on=today, text="Jobb")
    deadlines.open_deadline(p, Kind.JOB_GUARANTEE_OFFER, p.referred_on)
    services.record_job_guarantee_offer(coach, actor_for(coach), p.pk, version=p.version, offered_on=today, text="Lagerjobb")
    assert deadline(p, Kind.JOB_GUARANTEE_OFFER).status == Deadline.Status.DONE


# --- interruption and restart -----------------------------------------------------------------


def active(coach, today, arrived_days_ago=10):
    p = referred(coach, today, days_ago=arrived_days_ago + 2)
    arrive(coach, p, today - arrived_days_ago * DAY)
    p.refresh_from_db()
    return p


def test_interruption_pauses_plan_deadline(coach, today):
    p = active(coach, today)
    due_before = deadline(p, Kind.PLAN_DRAWN_UP).due_date
    start = today - 8 * DAY
    services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=start, reason="illness")
    p.refresh_from_db()
    assert p.status == Status.INTERRUPTED
    assert deadline(p, Kind.PLAN_DRAWN_UP).paused_on == start
    assert deadline(p, Kind.PARTICIPATION_LIMIT).paused_on == start

    services.restart(coach, actor_for(coach), p.pk, version=p.version, on=today - 3 * DAY)
    p.refresh_from_db()
    plan = deadline(p, Kind.PLAN_DRAWN_UP)
    assert p.status == Status.ACTIVE and plan.paused_on is None
    assert plan.due_date == due_before + 5 * DAY  # the clock resumes where it stopped
    assert Interruption.objects.get(participation=p).end_date == today - 3 * DAY


def test_restart_recomputes_the_18_month_dates(coach, today):
    p = active(coach, today)
    limit_before = deadline(p, Kind.PARTICIPATION_LIMIT).due_date
    services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=today - 8 * DAY, reason="parental_leave")
    p.refresh_from_db()
    services.restart(coach, actor_for(coach), p.pk, version=p.version, on=today - 2 * DAY)
    assert deadline(p, Kind.PARTICIPATION_LIMIT).due_date == limit_before + 6 * DAY
    assert deadline(p, Kind.PARTICIPATION_LIMIT_WARNING).due_date == add_months(today - 10 * DAY, 17) + 6 * DAY


def test_interruption_reason_other_needs_text(coach, today):
    p = active(coach, today)
    with pytest.raises(DomainError) as exc:
        services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=today, reason="other")
    assert "reason_text" in exc.value.message_dict
    assert unchanged(p) and not Interruption.objects.exists()


def test_interruption_before_arrival_or_in_future_refused(coach, today):
    p = active(coach, today)
    for start in (today - 11 * DAY, today + DAY):
        with pytest.raises(DomainError):
            services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=start, reason="illness")
    assert unchanged(p)


def test_cannot_interrupt_closed_participation(coach, today):
    p = f.ParticipationFactory(closed=True, coach=coach)
    with pytest.raises(DomainError) as exc:
        services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=today, reason="illness")
    assert "avslutat" in exc.value.messages[0]
    assert not Interruption.objects.exists()


def test_restart_before_interruption_start_refused(coach, today):
    p = active(coach, today)
    services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=today - 5 * DAY, reason="illness")
    p.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.restart(coach, actor_for(coach), p.pk, version=p.version, on=today - 6 * DAY)
    assert "end_date" in exc.value.message_dict
    assert unchanged(p)
    assert Interruption.objects.get().end_date is None


def test_interruption_end_before_start_is_a_database_rule(coach, today):
    p = active(coach, today)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interruption.objects.create(participation=p, reason="illness", start_date=today, end_date=today - DAY, started_by=coach)


# --- closure ---------------------------------------------------------------------------------------


def close(coach, p, **outcome):
    closed_on = outcome.pop("closed_on", None) or p.arrived_on or p.referred_on
    return services.close(
        coach, actor_for(coach), p.pk, version=p.version, closed_on=closed_on, outcome=ClosureOutcome(**outcome),
        end_activities=end_activities_at_closure,
    )


def test_closure_without_reason_is_refused(coach, today):
    p = active(coach, today)
    with pytest.raises(DomainError) as exc:
        close(coach, p)
    assert "reason" in exc.value.message_dict
    assert unchanged(p)
    assert not PostClosureFollowUp.objects.exists()


def test_closure_without_reason_is_impossible_in_the_database(coach, today):
    p = active(coach, today)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=p.pk).update(status=Status.CLOSED, closed_on=today)


def test_work_closure_needs_form_extent_subsidy_and_duration(coach, today):
    p = active(coach, today)
    with pytest.raises(DomainError) as exc:
        close(coach, p, reason="work", employment_form="permanent")
    assert set(exc.value.message_dict) == {"employment_extent", "wage_subsidy", "employment_lasts_a_month"}
    with pytest.raises(DomainError) as exc:
        close(coach, p, reason="studies")
    assert set(exc.value.message_dict) == {"study_level"}
    with pytest.raises(DomainError) as exc:
        close(coach, p, reason="transfer")
    assert set(exc.value.message_dict) == {"transfer_to"}
    with pytest.raises(DomainError) as exc:
        close(coach, p, reason="other")
    assert set(exc.value.message_dict) == {"text"}
    assert unchanged(p)


def test_closure_stores_outcome_cancels_clocks_and_starts_followups(coach, today):
    p = active(coach, today)
    close(
        coach, p, closed_on=today, reason="work", employment_form="fixed_term", employment_extent="part_time",
        wage_subsidy="nystartsjobb", employment_lasts_a_month=True, study_level="komvux",
    )
    p.refresh_from_db()
    assert p.status == Status.CLOSED and p.closed_on == today and p.closed_by == coach
    assert (p.employment_form, p.employment_extent, p.wage_subsidy) == ("fixed_term", "part_time", "nystartsjobb")
    assert p.study_level == ""  # an answer that does not belong to the reason is not stored
    assert deadline(p, Kind.PLAN_DRAWN_UP).status == Deadline.Status.CANCELLED
    assert deadline(p, Kind.PARTICIPATION_LIMIT).status == Deadline.Status.CANCELLED
    two = deadline(p, Kind.FOLLOWUP_2_MONTHS)
    eight = deadline(p, Kind.FOLLOWUP_8_MONTHS)
    assert (two.due_date, eight.due_date) == (add_months(today, 2), add_months(today, 8))
    assert two.paused_on is None and eight.status == Deadline.Status.OPEN
    points = dict(PostClosureFollowUp.objects.filter(participation=p).values_list("point", "due_on"))
    assert points == {"2_months": add_months(today, 2), "8_months": add_months(today, 8)}
    entry = TimelineEntry.objects.get(participation=p, kind="participation_closed")
    assert entry.data["counts_as_work_or_studies"] is True


def test_closure_during_interruption_ends_it_and_followups_run(coach, today):
    p = active(coach, today)
    services.interrupt(coach, actor_for(coach), p.pk, version=p.version, start=today - 5 * DAY, reason="illness")
    p.refresh_from_db()
    close(coach, p, closed_on=today, reason="interrupted_no_return")
    assert Interruption.objects.get(participation=p).end_date == today
    assert deadline(p, Kind.FOLLOWUP_2_MONTHS).paused_on is None


def test_closing_twice_refused(coach, today):
    p = active(coach, today)
    close(coach, p, closed_on=today, reason="moved")
    p.refresh_from_db()
    with pytest.raises(DomainError):
        close(coach, p, closed_on=today, reason="moved")


def test_followup_is_recorded_after_its_due_date_and_completes_deadline(coach, today):
    p = f.ParticipationFactory(
        closed=True, coach=coach, referred_on=today - 200 * DAY, arrived_on=today - 190 * DAY, closed_on=today - 70 * DAY
    )
    deadlines.open_deadline(p, Kind.FOLLOWUP_2_MONTHS, p.closed_on)
    due = add_months(p.closed_on, 2)
    followup = PostClosureFollowUp.objects.create(participation=p, point="2_months", due_on=due)
    early = PostClosureFollowUp.objects.create(participation=p, point="8_months", due_on=add_months(p.closed_on, 8))

    with pytest.raises(DomainError) as exc:
        services.record_followup(coach, actor_for(coach), early.pk, version=early.version, reduction_kr=0, sustained=True)
    assert "tidigast" in exc.value.messages[0]
    with pytest.raises(DomainError) as exc:
        services.record_followup(coach, actor_for(coach), followup.pk, version=followup.version, reduction_kr=500, sustained=None)
    assert "outcome_sustained" in exc.value.message_dict

    services.record_followup(
        coach, actor_for(coach), followup.pk, version=followup.version, reduction_kr=12500, sustained=True, note="Har kvar jobbet"
    )
    followup.refresh_from_db()
    assert followup.assistance_reduction_kr == 12500 and followup.outcome_sustained and followup.recorded_by == coach
    assert deadline(p, Kind.FOLLOWUP_2_MONTHS).status == Deadline.Status.DONE
    assert "12\u00a0500 kr" in TimelineEntry.objects.get(participation=p, kind="followup_recorded").text


# --- concurrency, audit, timeline -----------------------------------------------------------------


def test_concurrent_edit_gets_conflict(coach, manager, other_coach, today):
    p = referred(coach, today)
    read_version = p.version
    # The manager confirms the coach meanwhile (the coach keeps the person: issue 8 item 6).
    services.assign_coach(manager, actor_for(manager), p.pk, version=read_version, coach_id=coach.pk)
    entries = TimelineEntry.objects.count()
    with pytest.raises(ConflictError) as exc:
        arrive(coach, p, today)  # still holding the version read before the manager's save
    assert "Någon annan har ändrat" in exc.value.messages[0]
    fresh = Participation.objects.get(pk=p.pk)
    assert fresh.status == Status.REFERRED and fresh.arrived_on is None
    assert TimelineEntry.objects.count() == entries
    assert not Deadline.objects.filter(participation=p, kind=Kind.PLAN_DRAWN_UP).exists()


def test_protected_person_only_reached_by_own_coach(coach, other_coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, person__protected=True, referred_on=today - 3 * DAY)
    with pytest.raises(AccessDenied):
        arrive(other_coach, p, today)
    arrive(coach, p, today)
    entry = AuditEntry.objects.filter(person_id=p.person_id, user_id=coach.pk).latest("id")
    assert entry.flagged  # protected identities are flagged for review


def test_unit_books_the_first_appointment_after_an_import(coach, manager, today):
    p = f.ParticipationFactory(referred=True, referred_on=today)
    deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, today)  # the rule's 5 working days
    at = visit_slot(3)
    services.book(manager, actor_for(manager), p.pk, starts_at=at, place="Jobbtorg Järva", coach_id=coach.pk)
    assert deadline(p, Kind.FIRST_APPOINTMENT).due_date == timezone.localdate(at)
    assert p.appointments.get().kind == "first"
    with pytest.raises(DomainError) as exc:
        services.book(manager, actor_for(manager), p.pk, starts_at=at.replace(year=1), place="", coach_id=None)
    assert set(exc.value.message_dict) == {"appointment_at", "appointment_place", "appointment_coach"}


def test_unassigned_list_never_shows_protected_people(manager, coach, today):
    from jobbtorg.participations.selectors import unassigned

    visible = f.ParticipationFactory(referred=True, coach=coach)
    f.ParticipationFactory(referred=True, coach=coach, person__protected=True)
    assert list(unassigned(manager)) == [visible]
