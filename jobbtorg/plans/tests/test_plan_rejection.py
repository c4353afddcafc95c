"""The district rejects a plan (avslag, issue 10 item 5): with a reason, only the home district,
and the coach sees it in her to-do list and draws up a new plan."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.plans import rules, selectors, services
from jobbtorg.plans.models import ActivityPlan, Decision, Status
from jobbtorg.plans.rules import Step
from jobbtorg.plans.tests.conftest import actor_for
from jobbtorg.plans.tests.test_plan_pages import client_for
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_reject_is_a_district_step_from_submitted_only():
    assert rules.TRANSITIONS[(Status.SUBMITTED, Step.REJECT)] == Status.REJECTED
    assert rules.WHO[Step.REJECT] == "district"
    assert rules.district_steps(Status.SUBMITTED) == {Step.APPROVE, Step.RETURN, Step.REJECT}
    assert rules.district_steps(Status.REJECTED) == set()
    assert rules.allowed_steps(Status.REJECTED) == set()


def test_a_new_plan_may_be_drawn_up_after_a_rejection_unless_an_approved_one_is_valid():
    assert rules.may_draw_up_new([])
    assert rules.may_draw_up_new([Status.REJECTED])
    assert not rules.may_draw_up_new([Status.REJECTED, Status.APPROVED])
    assert not rules.may_draw_up_new([Status.DRAFT])


def test_district_rejects_plan_with_reason(make_client, coach, participation, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    response = client_for(make_client, social_worker).post(
        reverse("plans:decide", args=[plan.pk]),
        {"version": plan.version, "decision": "reject", "comment": "Planen saknar SFI och praktik."},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.REJECTED
    assert plan.decision_comment == "Planen saknar SFI och praktik."
    assert plan.decisions.filter(kind=Decision.REJECTED, comment="Planen saknar SFI och praktik.").exists()
    assert not Deadline.objects.filter(kind=Kind.PLAN_APPROVAL, subject_id=plan.pk, status=Deadline.Status.OPEN).exists()
    # The coach has a plan to draw up again (deadline store) and sees the reason in her to-do list.
    assert Deadline.objects.filter(participation=participation, kind=Kind.PLAN_DRAWN_UP, status=Deadline.Status.OPEN).exists()
    assert list(selectors.returned_plans_for_coach(coach)) == [plan]
    assert TimelineEntry.objects.filter(participation=participation, kind="plan_rejected").exists()
    coach_client = client_for(make_client, coach)
    start = coach_client.get(reverse("start")).content.decode()
    assert "Planen saknar SFI och praktik." in start and "Avslagen" in start
    assert "Stadsdelen har avslagit planen" in coach_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    # The rejected version stays as decided; the coach draws up version 2.
    page = coach_client.get(reverse("plans:participation", args=[participation.pk])).content.decode()
    assert "Upprätta aktivitetsplan" in page
    coach_client.post(reverse("plans:participation", args=[participation.pk]))
    new = ActivityPlan.objects.get(participation=participation, number=2)
    assert new.status == Status.DRAFT and new.previous_id == plan.pk
    assert list(selectors.returned_plans_for_coach(coach)) == []


def test_reject_without_reason_is_an_error(make_client, participation, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    response = client_for(make_client, social_worker).post(
        reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "reject", "comment": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv varför planen avslås" in html and 'href="#id_comment"' in html
    assert "Planen är avslagen" not in html  # no green message
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_return_without_comment_is_an_error(make_client, participation, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    response = client_for(make_client, social_worker).post(
        reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "return", "comment": ""}, follow=True
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv varför planen skickas tillbaka" in html
    assert "skickad tillbaka till coachen" not in html  # not a success message
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_decision_page_offers_exactly_the_allowed_decisions_and_links_the_assessment(make_client, participation, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    client = client_for(make_client, social_worker)
    html = client.get(reverse("plans:decide", args=[plan.pk])).content.decode()
    for step in rules.district_steps(Status.SUBMITTED):
        assert f'name="decision" value="{step.value}"' in html
    assert reverse("assessments:participation", args=[participation.pk]) in html
    # The district opens the assessment from there (read access as the district has it).
    assert client.get(reverse("assessments:participation", args=[participation.pk]), follow=True).status_code == 200
    services.reject_plan(social_worker, actor_for(social_worker), plan.pk, plan.version, "Nej.")
    html = client.get(reverse("plans:decide", args=[plan.pk])).content.decode()
    assert 'name="decision"' not in html


def test_another_district_cannot_reject(make_client, participation, other_social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    response = client_for(make_client, other_social_worker).post(
        reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "reject", "comment": "Nej."}
    )
    assert response.status_code == 403
    assert participation.person.last_name not in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert AuditEntry.objects.filter(user_id=other_social_worker.pk, outcome=Outcome.REFUSED).exists()


def test_a_coach_cannot_decide(make_client, coach, participation):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    response = client_for(make_client, coach).post(
        reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "reject", "comment": "Nej."}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_reject_through_the_api(participation, social_worker, other_social_worker, coach):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    for outsider in (other_social_worker, coach):
        client = APIClient()
        client.force_authenticate(outsider)
        response = client.post(f"/api/v1/plans/{plan.pk}/reject/", {"version": plan.version, "comment": "Nej."}, format="json")
        assert response.status_code == 403
    client = APIClient()
    client.force_authenticate(social_worker)
    response = client.post(f"/api/v1/plans/{plan.pk}/reject/", {"version": plan.version}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    response = client.post(f"/api/v1/plans/{plan.pk}/reject/", {"version": plan.version, "comment": "Nej."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == Status.REJECTED
