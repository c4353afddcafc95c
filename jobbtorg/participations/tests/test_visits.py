"""Visits (issue 10 item 4): book, reschedule, cancel, held and no-show as one small state
machine (participations.rules.VISIT_TRANSITIONS), each through one service function."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobbtorg.activities.models import Deviation, DeviationKind
from jobbtorg.audit.models import AuditEntry
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.deadlines import rules as deadline_rules
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations import rules, services
from jobbtorg.participations.models import Appointment, VisitStatus
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.testing import factories as f
from jobbtorg.testing.dates import visit_slot
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def referred_today(coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today)
    deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, today)
    return p


def book(user, p, at, coach=None, place="Jobbtorg Järva"):
    return services.book(user, actor_for(user), p.pk, starts_at=at, place=place, coach_id=(coach or user).pk)


def past_visit(coach, hours_ago=1, **kwargs):
    p = kwargs.pop("participation", None) or f.ParticipationFactory(enrolled=True, coach=coach)
    return f.AppointmentFactory(
        participation=p, coach=coach, kind=Appointment.Kind.OTHER,
        starts_at=timezone.now() - datetime.timedelta(hours=hours_ago), **kwargs,
    )


def first_deadline(p) -> Deadline:
    return Deadline.objects.get(participation=p, kind=Kind.FIRST_APPOINTMENT, status=Deadline.Status.OPEN)


# --- the state table ------------------------------------------------------------------------------


def test_visit_state_table_booked_to_held_no_show_or_cancelled():
    allowed = rules.allowed_visit_actions(VisitStatus.BOOKED, lambda capability: True)
    assert set(allowed) == {"reschedule", "hold", "no_show", "cancel"}
    for done in (VisitStatus.HELD, VisitStatus.NO_SHOW, VisitStatus.CANCELLED):
        assert rules.allowed_visit_actions(done, lambda capability: True) == []
    assert rules.next_visit_status(VisitStatus.BOOKED, "reschedule") == VisitStatus.BOOKED
    with pytest.raises(DomainError):
        rules.next_visit_status(VisitStatus.CANCELLED, "hold")


# --- booking twice --------------------------------------------------------------------------------


def test_same_visit_cannot_be_booked_twice(coach, today):
    p = referred_today(coach, today)
    at = visit_slot(2)
    book(coach, p, at)
    with pytest.raises(DomainError) as exc:
        book(coach, p, at)
    assert exc.value.message_dict["appointment_at"] == ["Deltagaren har redan ett besök bokat den tiden."]
    # The coach cannot be in two visits at one time either.
    other = referred_today(coach, today)
    with pytest.raises(DomainError) as exc:
        book(coach, other, at)
    assert "Coachen har redan" in exc.value.message_dict["appointment_at"][0]
    assert Appointment.objects.filter(starts_at=at).count() == 1


def test_the_database_refuses_a_double_booking(coach, today):
    visit = f.AppointmentFactory(coach=coach)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.AppointmentFactory(participation=visit.participation, coach=f.UserFactory(coach=True), starts_at=visit.starts_at)


def test_a_cancelled_visit_frees_its_time(coach, today):
    p = referred_today(coach, today)
    at = visit_slot(2)
    visit = book(coach, p, at)
    services.cancel_visit(coach, actor_for(coach), visit.pk, version=visit.version, reason="Deltagaren sjuk")
    again = book(coach, p, at)
    assert again.pk != visit.pk and again.kind == Appointment.Kind.FIRST


# --- reschedule -----------------------------------------------------------------------------------


def test_reschedule_keeps_history(coach, other_coach, today):
    p = referred_today(coach, today)
    visit = book(coach, p, visit_slot(2))
    old_at = visit.starts_at
    new_at = visit_slot(3, hour=14)
    services.reschedule(
        coach, actor_for(coach), visit.pk, version=visit.version, starts_at=new_at, place="Rinkeby torg", coach_id=other_coach.pk
    )
    visit.refresh_from_db()
    assert (visit.starts_at, visit.place, visit.coach, visit.status) == (new_at, "Rinkeby torg", other_coach, VisitStatus.BOOKED)
    entry = TimelineEntry.objects.get(participation=p, kind="appointment_rescheduled")
    assert entry.data["old"]["starts_at"] == timezone.localtime(old_at).isoformat()
    assert entry.data["new"]["place"] == "Rinkeby torg"
    assert old_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in entry.text
    # The booking entry is still there, as it was: the history is not rewritten.
    assert TimelineEntry.objects.filter(participation=p, kind="appointment_booked").count() == 1
    # The first-visit deadline follows the first visit.
    assert first_deadline(p).due_date == timezone.localdate(new_at)


def test_reschedule_with_a_stale_version_is_a_conflict(coach, today):
    p = referred_today(coach, today)
    visit = book(coach, p, visit_slot(2))
    with pytest.raises(ConflictError):
        services.reschedule(
            coach, actor_for(coach), visit.pk, version=visit.version + 1, starts_at=visit_slot(3), place="X", coach_id=coach.pk
        )


# --- cancel ---------------------------------------------------------------------------------------


def test_cancelled_visit_stays_visible(coach, today):
    p = referred_today(coach, today)
    visit = book(coach, p, visit_slot(2))
    with pytest.raises(DomainError) as exc:
        services.cancel_visit(coach, actor_for(coach), visit.pk, version=visit.version, reason="  ")
    assert exc.value.message_dict["reason"] == ["Skriv varför besöket ställs in."]
    services.cancel_visit(coach, actor_for(coach), visit.pk, version=visit.version, reason="Deltagaren har fått jobb")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED and visit.cancel_reason == "Deltagaren har fått jobb"
    assert list(p.appointments.all()) == [visit]
    assert TimelineEntry.objects.filter(participation=p, kind="appointment_cancelled").exists()
    with pytest.raises(DomainError):
        services.mark_held(coach, actor_for(coach), visit.pk, version=visit.version)


def test_cancelled_first_visit_does_not_meet_first_visit_deadline(coach, today):
    p = referred_today(coach, today)
    rule_due = deadline_rules.due_date(Kind.FIRST_APPOINTMENT, today)
    visit = book(coach, p, visit_slot(1))
    assert first_deadline(p).due_date == timezone.localdate(visit.starts_at)
    services.cancel_visit(coach, actor_for(coach), visit.pk, version=visit.version, reason="Fel tid")
    # The clock runs from the referral again, and the next visit booked is the first visit.
    assert first_deadline(p).due_date == rule_due
    assert Deadline.objects.filter(participation=p, kind=Kind.FIRST_APPOINTMENT).count() == 1
    assert book(coach, p, visit_slot(3)).kind == Appointment.Kind.FIRST


# --- held and no-show -----------------------------------------------------------------------------


def test_held_is_registered_once_the_visit_has_begun(coach, today):
    p = referred_today(coach, today)
    future = book(coach, p, visit_slot(2))
    with pytest.raises(DomainError) as exc:
        services.mark_held(coach, actor_for(coach), future.pk, version=future.version)
    assert "inte börjat" in exc.value.message_dict["non_field_errors"][0]
    visit = past_visit(coach)
    services.mark_held(coach, actor_for(coach), visit.pk, version=visit.version)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD
    assert TimelineEntry.objects.filter(participation=visit.participation, kind="appointment_held").exists()


def test_no_show_becomes_deviation_to_district(coach, today):
    visit = past_visit(coach)
    p = visit.participation
    services.mark_no_show(coach, actor_for(coach), visit.pk, version=visit.version)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.NO_SHOW
    deviation = Deviation.objects.get(appointment=visit)
    assert (deviation.district_id, deviation.kind, deviation.attendance) == (
        p.home_district_id, DeviationKind.UNEXCUSED_ABSENCE, None,
    )
    # The same path as an unexcused absence: the district's acknowledgement clock and the timeline.
    assert Deadline.objects.filter(
        participation=p, kind=Kind.DEVIATION_ACKNOWLEDGEMENT, subject_id=deviation.pk, status="open", district=p.home_district
    ).exists()
    assert TimelineEntry.objects.filter(participation=p, kind="deviation_reported", data__appointment_id=visit.pk).exists()
    assert TimelineEntry.objects.filter(participation=p, kind="appointment_no_show").exists()


# --- refusals -------------------------------------------------------------------------------------


def test_other_units_coach_cannot_change_a_visit(coach, today):
    visit = past_visit(coach)
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    for call in (services.mark_no_show, services.mark_held):
        with pytest.raises((AccessDenied, PermissionDenied)):
            call(stranger, actor_for(stranger), visit.pk, version=visit.version)
    with pytest.raises((AccessDenied, PermissionDenied)):
        services.cancel_visit(stranger, actor_for(stranger), visit.pk, version=visit.version, reason="x")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.BOOKED and not Deviation.objects.exists()
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome="refused").exists()


def test_district_social_worker_cannot_book_a_later_visit_or_change_one(coach, social_worker, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    with pytest.raises((AccessDenied, PermissionDenied)):
        book(social_worker, p, visit_slot(2), coach=coach)
    assert not p.appointments.exists()
    visit = past_visit(coach, participation=p)
    with pytest.raises((AccessDenied, PermissionDenied)):
        services.mark_no_show(social_worker, actor_for(social_worker), visit.pk, version=visit.version)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.BOOKED


# --- the API --------------------------------------------------------------------------------------


def api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_visit_actions_declare_manage_visits():
    from jobbtorg.participations.api import ParticipationViewSet

    table = ParticipationViewSet.required_capabilities
    for name in ("visit_reschedule", "visit_cancel", "visit_held", "visit_no_show"):
        assert table[name] == "participations.manage_visits"


def test_api_cancel_and_no_show_through_the_service(coach, today):
    visit = past_visit(coach)
    p = visit.participation
    base = f"/api/v1/participations/{p.pk}/visits/{visit.pk}"
    response = api(coach).post(f"{base}/no-show/", {"version": visit.version}, format="json")
    assert response.status_code == 200, response.content
    shown = next(a for a in response.json()["appointments"] if a["id"] == visit.pk)
    assert "no_show" in str(shown["status"]) and shown["version"] == visit.version + 1
    assert Deviation.objects.filter(appointment=visit).exists()
    again = api(coach).post(f"{base}/cancel/", {"version": visit.version + 1, "reason": "x"}, format="json")
    assert again.status_code == 400  # a missed visit cannot be cancelled afterwards
    upcoming = book(coach, referred_today(coach, today), visit_slot(2))
    url = f"/api/v1/participations/{upcoming.participation_id}/visits/{upcoming.pk}/cancel/"
    assert api(coach).post(url, {"version": upcoming.version}, format="json").status_code == 400
    assert api(coach).post(url, {"version": upcoming.version, "reason": "Sjuk"}, format="json").status_code == 200
    upcoming.refresh_from_db()
    assert upcoming.status == VisitStatus.CANCELLED


def test_api_visit_of_another_participation_is_not_found(coach, today):
    visit = past_visit(coach)
    other = f.ParticipationFactory(enrolled=True, coach=coach)
    response = api(coach).post(f"/api/v1/participations/{other.pk}/visits/{visit.pk}/held/", {"version": 1}, format="json")
    assert response.status_code == 404


def test_api_refuses_the_district_a_visit_step(coach, social_worker):
    visit = past_visit(coach)
    url = f"/api/v1/participations/{visit.participation_id}/visits/{visit.pk}/no-show/"
    assert api(social_worker).post(url, {"version": visit.version}, format="json").status_code in (403, 404)
    assert not Deviation.objects.exists()
