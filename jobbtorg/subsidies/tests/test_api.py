"""The subsidy API: the same services as the pages; bad input 400 in Swedish, stale version 409, never 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.subsidies.models import SubsidyCase
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_create_case_and_step_order(coach, participation, employer, today):
    client = api(coach)
    body = {"participation": participation.pk, "subsidy_type": "lonebidrag", "employer": employer.pk,
            "notified_on": today.isoformat()}  # fmt: skip
    response = client.post("/api/v1/subsidy-cases/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["route"] == "digital" and len(data["steps"]) == 10
    case_id, version = data["id"], data["version"]
    # Step 3 before step 2: 400, nothing saved.
    bad = client.post(f"/api/v1/subsidy-cases/{case_id}/complete-step/", {
        "version": version, "kind": "lb_3_eligibility", "done_on": today.isoformat(), "outcome": "eligible",
        "meeting_on": today.isoformat()}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "måste vara klart" in bad.json()["non_field_errors"][0]
    ok = client.post(
        f"/api/v1/subsidy-cases/{case_id}/complete-step/",
        {"version": version, "kind": "lb_2_callback", "done_on": today.isoformat()},
        format="json",
    )
    assert ok.status_code == 200
    stale = client.post(
        f"/api/v1/subsidy-cases/{case_id}/complete-step/",
        {"version": version, "kind": "lb_2_order", "done_on": today.isoformat()},
        format="json",
    )
    assert stale.status_code == 409


def test_api_bad_input_is_400_in_swedish(coach, participation, employer, today):
    client = api(coach)
    cases = [
        ({"participation": participation.pk, "subsidy_type": "nystartsjobb", "employer": employer.pk, "notified_on": "2026-13-45"},
         "notified_on"),
        ({"participation": participation.pk, "subsidy_type": "x", "employer": employer.pk, "notified_on": today.isoformat()},
         "subsidy_type"),
        ({"participation": participation.pk, "subsidy_type": "introduktionsjobb", "employer": employer.pk,
          "notified_on": today.isoformat()}, "supervisor_name"),
        ({"participation": participation.pk, "subsidy_type": "nystartsjobb", "employer": employer.pk,
          "notified_on": today.isoformat(), "preceded_by_practice": True, "notification_text": "praktik"}, "notification_text"),
        ({"participation": 10**17, "subsidy_type": "nystartsjobb", "employer": employer.pk, "notified_on": today.isoformat()},
         None),
    ]  # fmt: skip
    for body, field in cases:
        response = client.post("/api/v1/subsidy-cases/", body, format="json")
        if field is None:
            assert response.status_code == 404
        else:
            assert response.status_code == 400, response.json()
            assert field in response.json()
    assert client.post("/api/v1/subsidy-cases/", [1, 2], format="json").status_code == 400
    assert client.post("/api/v1/subsidy-cases/", "{", content_type="application/json").status_code == 400
    assert not SubsidyCase.objects.exists()


def test_api_decision_before_notification_refused(coach, participation, today):
    case = f.SubsidyCaseFactory(participation=participation, notified_on=today)
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    response = api(coach).post(f"/api/v1/subsidy-cases/{case.pk}/decision/", {
        "version": case.version, "decision_on": yesterday, "period_from": today.isoformat(),
        "period_to": (today + datetime.timedelta(days=100)).isoformat()}, format="json")  # fmt: skip
    assert response.status_code == 400 and "decision_on" in response.json()


def test_api_terminate_creates_task_and_report_marks_done(coach, participation, today):
    case = f.SubsidyCaseFactory(participation=participation, granted=True)
    client = api(coach)
    data = client.post(
        f"/api/v1/subsidy-cases/{case.pk}/terminate/",
        {"version": case.version, "terminated_on": today.isoformat(), "reason": "Slutade"},
        format="json",
    ).json()
    assert any(s["kind"] == "af_termination_report" and s["status"] == "open" for s in data["steps"])
    data = client.post(
        f"/api/v1/subsidy-cases/{case.pk}/complete-step/",
        {"version": data["version"], "kind": "af_termination_report", "done_on": today.isoformat()},
        format="json",
    ).json()
    assert any(s["kind"] == "af_termination_report" and s["status"] == "done" for s in data["steps"])


def test_api_case_of_other_unit_is_404(other_unit_coach, participation):
    case = f.SubsidyCaseFactory(participation=participation)
    assert api(other_unit_coach).get(f"/api/v1/subsidy-cases/{case.pk}/").status_code == 404
    assert AuditEntry.objects.filter(outcome="refused", person_id=participation.person_id).exists()


def test_api_case_list_queries_constant_and_audited(coach):
    client = api(coach)

    def make(n):
        for _ in range(n):
            f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach), lonebidrag=True)

    make(3)
    client.get("/api/v1/subsidy-cases/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/subsidy-cases/").status_code == 200
    make(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/subsidy-cases/")
    assert len(few) == len(many)
    assert response.json()["count"] == 30
    assert AuditEntry.objects.filter(action=Action.LIST, what__contains="stödärenden").count() >= 30


def test_api_lonebidrag_steps_and_board(coach, manager, analyst):
    f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach), lonebidrag_overdue=True)
    steps = api(coach).get("/api/v1/lonebidrag-steps/", {"overdue": "true"}).json()
    assert steps["count"] == 1 and steps["results"][0]["kind"] == StepKind.LB_2_CALLBACK and steps["results"][0]["overdue"]
    for user in (manager, analyst):
        board = api(user).get("/api/v1/lonebidrag-steps/board/").json()
        row = next(r for r in board if r["kind"] == StepKind.LB_2_CALLBACK)
        assert row["overdue"] == 1 and row["max_days_late"] == 10
        assert set(row) == {
            "unit_id",
            "unit_name",
            "kind",
            "number",
            "label",
            "open",
            "overdue",
            "median_days_late",
            "max_days_late",
        }
    assert api(f.UserFactory(social_worker=True)).get("/api/v1/lonebidrag-steps/board/").status_code == 403
