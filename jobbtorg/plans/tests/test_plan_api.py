"""Activity plans through /api/v1/plans/: the same rules as the pages, 400/403/404/409 with Swedish text, never 500."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.plans.models import ActivityPlan, Status
from jobbtorg.testing import clock
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def in_the_week_of_mon():
    """The plans here are dated around MON: the tests happen on that day, whatever the test clock."""
    with clock.on(MON):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def plan_body(participation, **extra):
    return {
        "participation": participation.pk, "goal": "Arbete inom vården", "start_date": MON.isoformat(),
        "review_date": "2027-03-01",
        "activities": [{"description": "Praktik på äldreboende", "start_date": "2026-11-23", "end_date": "2027-01-29"}],
        **extra,
    }


def test_plan_flow_through_the_api(coach, participation, social_worker):
    c = api(coach)
    created = c.post("/api/v1/plans/", plan_body(participation), format="json")
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["status"] == "draft" and plan["activities"][0]["description"] == "Praktik på äldreboende"

    changed = c.patch(f"/api/v1/plans/{plan['id']}/", {"version": plan["version"], "goal": "Undersköterska"}, format="json")
    assert changed.status_code == 200 and changed.json()["goal"] == "Undersköterska"
    submitted = c.post(f"/api/v1/plans/{plan['id']}/submit/", {"version": changed.json()["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["waiting_days"] == 0

    queue = api(social_worker).get("/api/v1/plans/queue/")
    assert queue.status_code == 200
    [row] = queue.json()["results"]
    assert row["plan"] == plan["id"] and row["waiting_days"] == 0 and row["name"]
    approved = api(social_worker).post(f"/api/v1/plans/{plan['id']}/approve/", {"version": row["version"]}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    # Frozen: a change is refused; a new version is made instead.
    refused = c.patch(f"/api/v1/plans/{plan['id']}/", {"version": approved.json()["version"], "goal": "x"}, format="json")
    assert refused.status_code == 400 and "godkänd och kan inte ändras" in str(refused.json())
    revised = c.post(f"/api/v1/plans/{plan['id']}/revise/", format="json")
    assert revised.status_code == 201 and revised.json()["number"] == 2 and revised.json()["status"] == "draft"
    versions = c.get(f"/api/v1/plans/?participation={participation.pk}")
    assert [v["number"] for v in versions.json()["results"]] == [2, 1]


def test_plan_end_before_start_refused_through_the_api(coach, participation):
    body = plan_body(participation, activities=[{"description": "Kurs", "start_date": "2026-12-10", "end_date": "2026-12-01"}])
    response = api(coach).post("/api/v1/plans/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"activities[0].end_date": ["Ange ett slutdatum som är efter startdatum."]}
    assert not ActivityPlan.objects.exists()


def test_plan_longer_than_6_months_needs_reason_through_the_api(coach, participation):
    response = api(coach).post("/api/v1/plans/", plan_body(participation, review_date="2027-06-01"), format="json")
    assert response.status_code == 400 and "long_plan_reason" in response.json()
    assert not ActivityPlan.objects.exists()
    response = api(coach).post("/api/v1/plans/", plan_body(participation, review_date="2027-06-01",
                                                            long_plan_reason="Utbildningen slutar i maj."), format="json")
    assert response.status_code == 201


def test_only_home_district_may_approve_plan_through_the_api(participation, other_social_worker, coach):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    for outsider in (other_social_worker, coach):
        response = api(outsider).post(f"/api/v1/plans/{plan.pk}/approve/", {"version": plan.version}, format="json")
        assert response.status_code == 403
        assert response.json() == {"detail": "Planen kan bara godkännas eller skickas tillbaka av deltagarens hemstadsdel."}
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert AuditEntry.objects.filter(outcome=Outcome.REFUSED, person_id=participation.person_id).count() == 2


def test_returned_plan_needs_comment_through_the_api(participation, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    response = api(social_worker).post(f"/api/v1/plans/{plan.pk}/return/", {"version": plan.version}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    response = api(social_worker).post(f"/api/v1/plans/{plan.pk}/return/", {"version": plan.version, "comment": "Komplettera."},
                                       format="json")
    assert response.status_code == 200 and response.json()["decision_comment"] == "Komplettera."


def test_concurrent_plan_edit_conflict_through_the_api(coach, colleague, participation):
    plan = f.ActivityPlanFactory(participation=participation)
    assert api(coach).patch(f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "goal": "A"}, format="json").status_code == 200
    response = api(colleague).patch(f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "goal": "B"}, format="json")
    assert response.status_code == 409
    assert "Någon annan har ändrat planen" in response.json()["detail"]
    plan.refresh_from_db()
    assert plan.goal == "A"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/plans/", "inte json"),
        ("post", "/api/v1/plans/", {"participation": "abc"}),
        ("post", "/api/v1/plans/", {"participation": 10**30}),
        ("post", "/api/v1/plans/", {"participation": "{p}", "start_date": "9999-12-31"}),
        ("post", "/api/v1/plans/", {"participation": "{p}", "start_date": "2026-02-30"}),
        ("post", "/api/v1/plans/", {"participation": "{p}", "activities": "inte en lista"}),
        ("post", "/api/v1/plans/", {"participation": "{p}", "activities": [{"catalogue_item": 10**30}]}),
        ("patch", "/api/v1/plans/{plan}/", {"version": 10**12, "goal": "x"}),
        ("patch", "/api/v1/plans/{plan}/", {"goal": "x"}),
        ("post", "/api/v1/plans/{plan}/submit/", {"version": "en"}),
        ("get", "/api/v1/plans/?participation=abc", None),
        ("get", "/api/v1/plans/", None),
    ],
)
def test_bad_input_is_400_never_500(coach, participation, method, path, body):
    # The plan being patched belongs to another participant, so creating for `participation` is possible.
    plan = f.ActivityPlanFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach))
    path = path.format(plan=plan.pk)
    if isinstance(body, dict):
        body = {k: (participation.pk if v == "{p}" else v) for k, v in body.items()}
    client = api(coach)
    if isinstance(body, str):
        response = client.generic(method.upper(), path, body, content_type="application/json")
    else:
        response = getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)
    assert response.status_code == 400, (response.status_code, response.content)
    assert response.json()
    assert not ActivityPlan.objects.filter(participation=participation).exists()


def test_unknown_or_unreachable_plan_is_404(coach, participation):
    plan = f.ActivityPlanFactory(participation=participation)
    assert api(coach).get("/api/v1/plans/999999/").status_code == 404
    assert api(coach).get("/api/v1/plans/1234567890123456789012/").status_code == 404
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    response = api(stranger).get(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 404 and response.json() == {"detail": "Hittades inte."}


def test_approval_queue_api_query_count_constant(coach, social_worker):
    client = api(social_worker)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/plans/queue/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(enrolled=True, coach=coach))
    small = queries()
    for _ in range(27):
        f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(enrolled=True, coach=coach))
    large = queries()
    assert small == large, (small, large)
    assert len(client.get("/api/v1/plans/queue/").json()["results"]) == 30


def test_plan_list_api_query_count_constant(coach, participation):
    client = api(coach)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/plans/?participation={participation.pk}").status_code == 200
        return len(ctx.captured_queries)

    for number in range(1, 4):
        f.ActivityPlanFactory(participation=participation, number=number, status="superseded", activity_count=2)
    small = queries()
    for number in range(4, 31):
        f.ActivityPlanFactory(participation=participation, number=number, status="superseded", activity_count=2)
    large = queries()
    assert small == large, (small, large)
