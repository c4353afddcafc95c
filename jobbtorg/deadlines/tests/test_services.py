"""Stored deadlines: start, complete, pause and resume, closure (DOMAIN §4, §7)."""

import datetime as dt

import pytest

from jobbtorg.deadlines import services
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.deadlines.selectors import overdue_per_coach, worklist
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def participation():
    return f.ParticipationFactory(enrolled=True, coach=f.UserFactory(coach=True))


def test_open_deadline_computes_due_from_rule(participation):
    deadline = services.open_deadline(participation, Kind.PLAN_DRAWN_UP, dt.date(2026, 11, 19))
    assert deadline.due_date == dt.date(2026, 11, 26)
    assert deadline.responsible == "coach"


def test_open_deadline_is_idempotent(participation):
    first = services.open_deadline(participation, Kind.PLAN_DRAWN_UP, dt.date(2026, 11, 19))
    again = services.open_deadline(participation, Kind.PLAN_DRAWN_UP, dt.date(2026, 11, 19))
    assert first.pk == again.pk


def test_interruption_pauses_and_restart_moves_due_date(participation):
    services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=dt.date(2026, 11, 26))
    services.pause(participation, dt.date(2026, 11, 24))
    deadline = Deadline.objects.get()
    assert services.state(deadline, dt.date(2026, 12, 10)) == "paused"
    services.resume(participation, dt.date(2026, 12, 8))
    deadline.refresh_from_db()
    assert deadline.paused_on is None
    assert deadline.due_date == dt.date(2026, 12, 10)


def test_deadline_opened_during_interruption_starts_paused(participation):
    services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=dt.date(2026, 11, 26))
    services.pause(participation, dt.date(2026, 11, 24))
    other = services.open_deadline(participation, Kind.ACTIVITY_FOLLOWUP, due=dt.date(2026, 11, 30), subject_id=5)
    assert other.paused_on == dt.date(2026, 11, 24)


def test_closure_cancels_running_clocks_but_keeps_followups(participation):
    services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=TODAY)
    services.open_deadline(participation, Kind.FOLLOWUP_2_MONTHS, TODAY)
    services.cancel_at_closure(participation, TODAY)
    assert set(Deadline.objects.filter(status="open").values_list("kind", flat=True)) == {"followup_2_months"}


def test_state_overdue_due_upcoming(participation):
    deadline = services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=TODAY - dt.timedelta(days=1))
    assert services.state(deadline, TODAY) == "overdue"
    deadline.due_date = TODAY + dt.timedelta(days=1)
    assert services.state(deadline, TODAY) == "due"
    deadline.due_date = TODAY + dt.timedelta(days=30)
    assert services.state(deadline, TODAY) == "upcoming"
    services.complete(participation, Kind.PLAN_DRAWN_UP, TODAY)
    deadline.refresh_from_db()
    assert services.state(deadline, TODAY) == "done"


def test_coach_worklist_shows_only_own_caseload(participation):
    services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=TODAY)
    other = f.ParticipationFactory(enrolled=True, coach=f.UserFactory(coach=True))
    services.open_deadline(other, Kind.PLAN_DRAWN_UP, due=TODAY)
    assert [d.participation_id for d in worklist(participation.coach, TODAY)] == [participation.pk]


def test_district_worklist_shows_district_deadlines_only(participation):
    services.open_deadline(participation, Kind.PLAN_APPROVAL, due=TODAY, subject_id=1)
    services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=TODAY)
    social_worker = f.UserFactory(social_worker=True)
    assert [d.kind for d in worklist(social_worker, TODAY)] == ["plan_approval"]
    elsewhere = f.UserFactory(social_worker=True, district=f.district("bromma"))
    assert list(worklist(elsewhere, TODAY)) == []


def test_worklist_query_count_is_constant(django_assert_max_num_queries, participation):
    coach = participation.coach
    for _ in range(30):
        p = f.ParticipationFactory(enrolled=True, coach=coach)
        services.open_deadline(p, Kind.PLAN_DRAWN_UP, due=TODAY)
    with django_assert_max_num_queries(1):
        rows = [(d.participation.person.last_name, d.label) for d in worklist(coach, TODAY)]
    assert len(rows) == 30


def test_overdue_per_coach_counts_in_database(participation):
    services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=TODAY - dt.timedelta(days=3))
    rows = overdue_per_coach(participation.unit_id, TODAY)
    assert rows[0]["overdue"] == 1
