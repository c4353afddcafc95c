"""The city-wide lönebidrag board (issue 4 part 3): per unit × step, open, overdue and how late —
aggregated in the database, with no names ever; the drill-down list only for users with person access."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.subsidies import selectors
from jobbtorg.subsidies.models import StepStatus, SubsidyStep
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db


def overdue_case(coach, days_late: int, today, protected=False, unit="jarva", last_name=None):
    """A lönebidrag case whose PDM callback (due notification + 3 days) is `days_late` days late."""
    person = f.PersonFactory(protected=protected, **({"last_name": last_name} if last_name else {}))
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person=person, unit=f.unit(unit))
    return f.SubsidyCaseFactory(
        participation=participation, lonebidrag=True, notified_on=today - datetime.timedelta(days=3 + days_late)
    )


def row(rows, unit_name, kind):
    return next(r for r in rows if r.unit_name == unit_name and r.kind == kind)


def test_board_counts_open_overdue_median_and_max(coach, today):
    for late in (1, 2, 10):
        overdue_case(coach, late, today)
    overdue_case(coach, -1, today)  # due tomorrow: open, not overdue
    rows = selectors.board(today)
    callback = row(rows, "Jobbtorg Järva", StepKind.LB_2_CALLBACK)
    assert (callback.open, callback.overdue) == (4, 3)
    assert callback.median_days_late == 2
    assert callback.max_days_late == 10


def test_board_median_of_even_count(coach, today):
    for late in (1, 3, 5, 20):
        overdue_case(coach, late, today)
    callback = row(selectors.board(today), "Jobbtorg Järva", StepKind.LB_2_CALLBACK)
    assert callback.median_days_late == 4  # (3 + 5) / 2


def test_board_per_unit(coach, other_unit_coach, today):
    overdue_case(coach, 2, today)
    overdue_case(other_unit_coach, 7, today, unit="sydost")
    rows = selectors.board(today)
    assert row(rows, "Jobbtorg Järva", StepKind.LB_2_CALLBACK).max_days_late == 2
    sydost = [r for r in rows if r.unit_name != "Jobbtorg Järva" and r.kind == StepKind.LB_2_CALLBACK]
    assert len(sydost) == 1 and sydost[0].max_days_late == 7


def test_board_skips_paused_and_done_steps(coach, today):
    case = overdue_case(coach, 5, today)
    SubsidyStep.objects.filter(case=case, kind=StepKind.LB_2_CALLBACK).update(status=StepStatus.DONE, done_on=today)
    rows = selectors.board(today)
    assert not any(r.kind == StepKind.LB_2_CALLBACK for r in rows)


def test_board_queries_constant(coach, today):
    def run():
        return selectors.board(today)

    overdue_case(coach, 1, today)
    with CaptureQueriesContext(connection) as few:
        run()
    for late in range(30):
        overdue_case(coach, late, today)
    with CaptureQueriesContext(connection) as many:
        run()
    assert len(few) == len(many) == 3


def test_board_never_shows_names(client, coach, manager, analyst, today):
    overdue_case(coach, 4, today, last_name="Synligsson")
    overdue_case(coach, 6, today, protected=True, last_name="Skyddadsson")
    for user in (manager, coach, analyst):
        login(client, user)
        response = client.get("/stod/lonebidrag/tavla/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Synligsson" not in body and "Skyddadsson" not in body
        assert "Jobbtorg Järva" in body


def test_board_refused_for_social_worker(client):
    login(client, f.UserFactory(social_worker=True))
    assert client.get("/stod/lonebidrag/tavla/").status_code == 403


def test_board_page_queries_constant(client, manager, coach, today):
    login(client, manager)
    overdue_case(coach, 1, today)
    client.get("/stod/lonebidrag/tavla/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/stod/lonebidrag/tavla/").status_code == 200
    for late in range(30):
        overdue_case(coach, late, today)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/stod/lonebidrag/tavla/").status_code == 200
    assert len(few) == len(many)


def test_board_list_shows_visible_names_only(client, manager, coach, other_unit_coach, today):
    overdue_case(coach, 4, today, last_name="Synligsson")
    overdue_case(coach, 6, today, protected=True, last_name="Skyddadsson")
    overdue_case(other_unit_coach, 3, today, unit="sydost", last_name="Annanenhetsson")
    login(client, manager)
    response = client.get("/stod/lonebidrag/tavla/lista/", {"steg": StepKind.LB_2_CALLBACK})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Synligsson" in body
    assert "Skyddadsson" not in body and "Annanenhetsson" not in body
    assert AuditEntry.objects.filter(action=Action.LIST, what__contains="tavla").count() == 1


def test_board_list_not_for_analyst(client, analyst, coach, today):
    overdue_case(coach, 4, today, last_name="Synligsson")
    login(client, analyst)
    response = client.get("/stod/lonebidrag/tavla/lista/")
    assert response.status_code == 403
    assert "Synligsson" not in response.content.decode()


def test_board_list_queries_constant(client, manager, coach, today):
    login(client, manager)
    overdue_case(coach, 1, today)
    client.get("/stod/lonebidrag/tavla/lista/")
    with CaptureQueriesContext(connection) as few:
        client.get("/stod/lonebidrag/tavla/lista/")
    for late in range(27):
        overdue_case(coach, late, today)
    with CaptureQueriesContext(connection) as many:
        client.get("/stod/lonebidrag/tavla/lista/")
    assert len(few) == len(many)


def test_coach_overdue_selector_and_partial_queries_constant(coach, today):
    overdue_case(coach, 2, today)
    with CaptureQueriesContext(connection) as few:
        list(selectors.overdue_steps_for_coach(coach, today))
    for late in range(27):
        overdue_case(coach, late + 1, today)
    with CaptureQueriesContext(connection) as many:
        rows = list(selectors.overdue_steps_for_coach(coach, today))
        [(s.case.participation.person.last_name, s.label) for s in rows]
    assert len(few) == len(many) == 1
    assert len(rows) == 28


def test_coach_overdue_list_only_own_cases(coach, today):
    overdue_case(coach, 2, today)
    other = f.UserFactory(coach=True)
    overdue_case(other, 2, today)
    assert selectors.overdue_steps_for_coach(coach, today).count() == 1
