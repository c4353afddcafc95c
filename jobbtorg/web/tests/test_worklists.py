"""Deadlines and the to-do boxes on each role's start page (issue 3 part 9): the coach's
"Att göra idag", the social worker's inbox, the manager's unit page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.deadlines.rules import Kind
from jobbtorg.deadlines.services import open_deadline
from jobbtorg.participations.models import Status
from jobbtorg.testing.factories import (
    ActivityPlanFactory,
    AppointmentFactory,
    AttendanceFactory,
    DeviationFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def listed_ids(user, what_contains=""):
    qs = AuditEntry.objects.filter(user_id=user.pk, action=Action.LIST)
    if what_contains:
        qs = qs.filter(what__contains=what_contains)
    return set(qs.values_list("person_id", flat=True))


# --- coach ---------------------------------------------------------------------------------------


def test_coach_sees_own_overdue_deadline_first(login):
    coach = UserFactory(coach=True)
    due = ParticipationFactory(enrolled=True, coach=coach, person__last_name="Snartsson")
    late = ParticipationFactory(enrolled=True, coach=coach, person__last_name="Senadottir")
    open_deadline(due, Kind.PLAN_DRAWN_UP, due=today() + DAY)
    open_deadline(late, Kind.ACTIVITY_FOLLOWUP, due=today() - 3 * DAY)

    response = login(coach).get("/")

    html = response.content.decode()
    rows = response.context["deadline_rows"]
    assert [r.person.last_name for r in rows] == ["Senadottir", "Snartsson"]
    assert [r.state for r in rows] == ["overdue", "due"]
    # The state is a word, not only a colour; the date has its week number; the name links to the person.
    assert "Försenad" in html and "Att göra nu" in html
    assert f'href="/personer/{late.person.pk}/"' in html
    late_day = today() - 3 * DAY
    assert f"{late_day:%Y-%m-%d}</time> <span class=\"week\">v. {late_day.isocalendar().week}</span>" in html
    assert "Uppföljning av insats" in html
    assert html.index("Senadottir") < html.index("Snartsson")
    assert response.context["overdue_count"] == 1
    assert {late.person.pk, due.person.pk} <= listed_ids(coach, "tidsfrister")


def test_coach_deadline_list_shows_only_own_and_can_be_filtered_by_kind(login):
    coach = UserFactory(coach=True)
    other = UserFactory(coach=True)  # same unit
    mine = ParticipationFactory(enrolled=True, coach=coach)
    theirs = ParticipationFactory(enrolled=True, coach=other, person__last_name="Annanscoach")
    open_deadline(mine, Kind.PLAN_DRAWN_UP, due=today())
    open_deadline(mine, Kind.ACTIVITY_FOLLOWUP, due=today() - DAY)
    open_deadline(theirs, Kind.PLAN_DRAWN_UP, due=today() - DAY)
    # A district deadline is not the coach's to act on.
    open_deadline(mine, Kind.PLAN_APPROVAL, due=today() - DAY)
    client = login(coach)

    rows = client.get("/").context["deadline_rows"]
    assert {r.deadline.kind for r in rows} == {Kind.PLAN_DRAWN_UP, Kind.ACTIVITY_FOLLOWUP}
    assert all(r.person.pk == mine.person.pk for r in rows)

    response = client.get("/?frist=plan_drawn_up")
    assert [r.deadline.kind for r in response.context["deadline_rows"]] == [Kind.PLAN_DRAWN_UP]
    assert 'value="plan_drawn_up" selected' in response.content.decode()
    # An unknown kind in the URL shows everything.
    assert len(client.get("/?frist=nonsense").context["deadline_rows"]) == 2


def test_paused_deadline_is_not_on_the_list(login):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach)
    deadline = open_deadline(participation, Kind.PLAN_DRAWN_UP, due=today() - DAY)
    deadline.paused_on = today() - 2 * DAY
    deadline.save()
    assert login(coach).get("/").context["deadline_rows"] == []


def test_coach_todo_has_returned_plans_missing_attendance_and_appointments(login):
    coach = UserFactory(coach=True)
    plan = ActivityPlanFactory(returned=True, participation__coach=coach, participation__person__last_name="Återsänd")
    attendance = AttendanceFactory(
        activity__participation=ParticipationFactory(enrolled=True, coach=coach, person__last_name="Ejregistrerad"),
        session__date=today() - DAY,
    )
    visit = AppointmentFactory(
        participation=ParticipationFactory(coach=coach, person__last_name="Besökare"),
        coach=coach,
        starts_at=timezone.now().replace(hour=14, minute=5),
    )

    response = login(coach).get("/")

    html = response.content.decode()
    assert "Planer som stadsdelen skickat tillbaka" in html and "Återsänd" in html
    assert "Närvaro som inte är registrerad" in html and "Ejregistrerad" in html
    assert response.context["missing_total"] == 1
    assert "Dagens besök" in html and "Besökare" in html
    listed = listed_ids(coach)
    assert {plan.participation.person_id, attendance.activity.participation.person_id, visit.participation.person_id} <= listed
    # Today's to-do comes before the caseload list.
    assert html.index("Tidsfrister") < html.index("Dagens besök") < html.index("Mina deltagare")


def test_protected_person_never_on_another_coachs_list(login):
    coach = UserFactory(coach=True)
    colleague = UserFactory(coach=True)  # same unit: a unit-wide relation does not reach protected people
    protected = ParticipationFactory(enrolled=True, coach=coach, person__protected=True, person__last_name="Skyddadsson")
    open_deadline(protected, Kind.PLAN_DRAWN_UP, due=today() - DAY)
    # The colleague is (wrongly) recorded as responsible in a second participation: still not shown
    # unless the person is visible to them.
    other = ParticipationFactory(
        enrolled=True, coach=colleague, person=protected.person, status=Status.CLOSED, closed_on=today() - 400 * DAY,
        referred_on=today() - 500 * DAY, arrived_on=today() - 490 * DAY,
    )
    open_deadline(other, Kind.FOLLOWUP_8_MONTHS, due=today() - DAY)

    own = login(coach).get("/")
    assert "Skyddadsson" in own.content.decode()

    theirs = login(colleague).get("/")
    assert theirs.context["deadline_rows"] == []
    assert "Skyddadsson" not in theirs.content.decode()
    assert protected.person.pk not in listed_ids(colleague)


def test_coach_start_page_query_count_is_constant(login):
    """Deadlines, missing attendance, returned plans and appointments: 3 rows cost as 30."""
    coach = UserFactory(coach=True)
    client = login(coach)

    def rows(n):
        for _ in range(n):
            p = ParticipationFactory(enrolled=True, coach=coach, coach_id=coach.pk)
            open_deadline(p, Kind.PLAN_DRAWN_UP, due=today() - DAY)
            open_deadline(p, Kind.ACTIVITY_FOLLOWUP, due=today() + DAY)
            AttendanceFactory(activity__participation=p, session__date=today() - DAY)
            AppointmentFactory(participation=p, coach=coach, starts_at=timezone.now())
            ActivityPlanFactory(returned=True, participation=p)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/")
        assert response.status_code == 200
        return len(ctx), response

    rows(3)
    client.get("/")
    few, response = measure()
    assert len(response.context["deadline_rows"]) == 6
    rows(27)
    many, response = measure()
    assert len(response.context["deadline_rows"]) == 50
    assert response.context["deadline_total"] == 60
    assert many == few


# --- social worker -------------------------------------------------------------------------------


def test_social_worker_inbox_shows_plan_waiting_with_waiting_time(login):
    worker = UserFactory(social_worker=True)  # Rinkeby-Kista
    older = ActivityPlanFactory(
        submitted=True,
        submitted_on=today() - 7 * DAY,
        submitted_at=timezone.now() - 7 * DAY,
        participation__person__last_name="Äldstasson",
    )
    newer = ActivityPlanFactory(submitted=True, participation__person__last_name="Nyaresson")

    response = login(worker).get("/")

    html = response.content.decode()
    assert "Planer att godkänna" in html
    assert html.index("Äldstasson") < html.index("Nyaresson")  # oldest first
    assert "arbetsdagar" in html  # waiting time in working days
    assert "Rinkeby-Kista: inkorg" in html
    # The inbox comes before the residents' list.
    assert html.index("Planer att godkänna") < html.index("Stadsdelens deltagare")
    assert {older.participation.person_id, newer.participation.person_id} <= listed_ids(worker)


def test_social_worker_inbox_shows_deviations_and_returned_referrals(login):
    worker = UserFactory(social_worker=True)
    deviation = DeviationFactory(
        attendance__activity__participation=ParticipationFactory(enrolled=True, person__last_name="Frånvarosson")
    )
    hidden = DeviationFactory(
        attendance__activity__participation=ParticipationFactory(enrolled=True, person__protected=True,
                                                                 person__last_name="Skyddadsson")
    )
    open_deadline(deviation.participation, Kind.DEVIATION_ACKNOWLEDGEMENT, due=today() - DAY)

    response = login(worker).get("/")

    html = response.content.decode()
    assert "Avvikelser att kvittera" in html and "Frånvarosson" in html
    assert "Skyddadsson" not in html
    assert response.context["hidden_deviations"] == 1
    assert "Återsända anvisningar" in html
    assert response.context["overdue_count"] == 1
    assert "Stadsdelen kvitterar avvikelse: 1" in html
    assert deviation.participation.person_id in listed_ids(worker, "avvikelser")
    assert hidden.participation.person_id not in listed_ids(worker)


def test_social_worker_inbox_query_count_is_constant(login):
    worker = UserFactory(social_worker=True)
    client = login(worker)

    def rows(n):
        for _ in range(n):
            plan = ActivityPlanFactory(submitted=True)
            DeviationFactory(attendance__activity__participation=plan.participation)
            open_deadline(plan.participation, Kind.PLAN_APPROVAL, due=today() - DAY)

    rows(3)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    rows(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert len(response.context["deviations"]) == 10
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- unit manager --------------------------------------------------------------------------------


def test_manager_sees_overdue_per_coach_and_flows(login):
    manager = UserFactory(unit_manager=True, first_name="Chef")
    slow = UserFactory(coach=True, first_name="Långsam", last_name="Coach")
    quick = UserFactory(coach=True, first_name="Snabb", last_name="Coach")
    for _ in range(2):
        p = ParticipationFactory(enrolled=True, coach=slow)
        open_deadline(p, Kind.PLAN_DRAWN_UP, due=today() - DAY)
    p = ParticipationFactory(enrolled=True, coach=quick, arrived_on=today())
    open_deadline(p, Kind.PLAN_DRAWN_UP, due=today() + DAY)
    ParticipationFactory(referred_on=today())
    ParticipationFactory(closed=True, closed_on=today())

    response = login(manager).get("/")

    coaches = {c.pk: c for c in response.context["coaches"]}
    assert coaches[slow.pk].overdue == 2 and coaches[quick.pk].overdue == 0
    assert coaches[quick.pk].due_soon == 1
    assert response.context["overdue_total"] == 2
    flows = response.context["flows"]
    assert flows["referred"] >= 1 and flows["enrolled"] >= 1 and flows["closed"] == 1
    html = response.content.decode()
    assert "Deltagare och tidsfrister per coach" in html
    assert "Försenade tidsfrister" in html
    assert "In: anvisade" in html and "Ut: avslutade" in html


def test_manager_page_names_no_protected_person(login):
    manager = UserFactory(unit_manager=True)
    coach = UserFactory(coach=True)
    p = ParticipationFactory(enrolled=True, coach=coach, person__protected=True, person__last_name="Skyddadsson")
    open_deadline(p, Kind.PLAN_DRAWN_UP, due=today() - DAY)
    response = login(manager).get("/")
    # The overdue deadline is counted for the coach, the person is never named.
    assert {c.pk: c.overdue for c in response.context["coaches"]}[coach.pk] == 1
    assert "Skyddadsson" not in response.content.decode()
    assert p.person.pk not in listed_ids(manager)


def test_manager_page_query_count_is_constant(login):
    manager = UserFactory(unit_manager=True)
    client = login(manager)

    def rows(n):
        for _ in range(n):
            p = ParticipationFactory(enrolled=True, coach=UserFactory(coach=True))
            open_deadline(p, Kind.PLAN_DRAWN_UP, due=today() - DAY)

    rows(3)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    rows(27)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


def test_osa_officer_start_page_shows_the_osa_partial_not_the_social_workers_inbox(login):
    officer = UserFactory(osa_officer=True)
    response = login(officer).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Planer att godkänna" not in html
    assert 'id="osa-start-h"' in html  # osa/_officer_start.html
