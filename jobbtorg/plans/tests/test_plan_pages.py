"""The plan pages: the coach's editor, the district's queue and decision page, the print view.

Same rules as the services (they call them); these tests pin what the user sees: Swedish
messages linked to their fields, refusals with nothing saved, conflicts never overwriting.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.plans import rules
from jobbtorg.plans.models import ActivityPlan, PlannedActivity, Status
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def client_for(client_factory, user):
    # UserFactory sets the password after saving; store it so the session hash matches.
    user.save(update_fields=["password"])
    client = client_factory()
    client.force_login(user)
    return client


def test_coach_draws_up_and_submits_plan_then_district_approves(make_client, coach, participation, social_worker):
    c = client_for(make_client, coach)
    page = c.get(reverse("plans:participation", args=[participation.pk]))
    assert page.status_code == 200 and "Upprätta aktivitetsplan" in page.content.decode()
    response = c.post(reverse("plans:participation", args=[participation.pk]))
    plan = ActivityPlan.objects.get(participation=participation)
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[plan.pk])

    today = timezone.localdate()
    response = c.post(reverse("plans:detail", args=[plan.pk]), {
        "version": plan.version, "goal": "Arbete som lagerarbetare", "start_date": today.isoformat(),
        "review_date": (today + dt.timedelta(days=120)).isoformat(), "long_plan_reason": "",
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    response = c.post(reverse("plans:activity_add", args=[plan.pk]), {
        "activity-version": plan.version, "activity-description": "Praktik på lager",
        "activity-start_date": today.isoformat(), "activity-end_date": (today + dt.timedelta(days=30)).isoformat(),
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    page = c.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Praktik på lager" in page and f"v. {today.isocalendar().week}" in page
    response = c.post(reverse("plans:submit", args=[plan.pk]), {"version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED

    d = client_for(make_client, social_worker)
    queue = d.get(reverse("plans:queue")).content.decode()
    assert reverse("plans:decide", args=[plan.pk]) in queue and "0 arbetsdagar" in queue
    decide = d.get(reverse("plans:decide", args=[plan.pk])).content.decode()
    assert "Godkänn planen" in decide
    response = d.post(reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "approve", "comment": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    # The approved plan is frozen in the UI too: no editor, a "new version" button instead.
    page = c.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Spara mål och period" not in page and "Gör en ny version av planen" in page


def test_plan_end_before_start_refused_on_the_page(make_client, coach, participation):
    plan = f.ActivityPlanFactory(participation=participation)
    c = client_for(make_client, coach)
    response = c.post(reverse("plans:activity_add", args=[plan.pk]), {
        "activity-version": plan.version, "activity-description": "Arbetsträning",
        "activity-start_date": "2026-12-10", "activity-end_date": "2026-12-01",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange ett slutdatum som är efter startdatum." in html
    # The error is linked to its field: from the summary, and by aria-describedby on the input.
    assert 'href="#id_activity-end_date"' in html
    assert re.search(r'<input[^>]*id="id_activity-end_date"[^>]*aria-describedby="[^"]*id_activity-end_date_error', html) or \
        re.search(r'<input[^>]*aria-describedby="[^"]*id_activity-end_date_error[^"]*"[^>]*id="id_activity-end_date"', html)
    assert 'aria-invalid="true"' in html
    assert PlannedActivity.objects.filter(plan=plan).count() == 1


def test_plan_longer_than_6_months_needs_reason_on_the_page(make_client, coach, participation):
    plan = f.ActivityPlanFactory(participation=participation, activity_count=0)  # none outside the new period
    c = client_for(make_client, coach)
    data = {"version": plan.version, "goal": "Mål", "start_date": "2026-01-15", "review_date": "2026-09-01",
            "long_plan_reason": ""}
    response = c.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 400
    assert "längre än sex månader" in response.content.decode()
    plan.refresh_from_db()
    assert plan.review_date != dt.date(2026, 9, 1)
    data["long_plan_reason"] = "Utbildningen slutar i augusti."
    assert c.post(reverse("plans:detail", args=[plan.pk]), data).status_code == 302


def test_concurrent_plan_edit_conflict_on_the_page(make_client, coach, colleague, participation):
    plan = f.ActivityPlanFactory(participation=participation, activity_count=0)  # none outside the fixed period
    first, second = client_for(make_client, coach), client_for(make_client, colleague)
    form = {"version": plan.version, "start_date": "2026-11-16", "review_date": "2027-02-15", "long_plan_reason": ""}
    assert first.post(reverse("plans:detail", args=[plan.pk]), {**form, "goal": "Första"}).status_code == 302
    response = second.post(reverse("plans:detail", args=[plan.pk]), {**form, "goal": "Andra"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat planen medan du arbetade" in html
    assert "Andra" in html  # the second user's text is kept on the page, not lost
    plan.refresh_from_db()
    assert plan.goal == "Första"


def test_only_home_district_may_approve_plan_on_the_page(make_client, participation, other_social_worker, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    outsider = client_for(make_client, other_social_worker)
    response = outsider.post(reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "approve"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Planen kan bara godkännas eller skickas tillbaka av deltagarens hemstadsdel." in html
    assert participation.person.last_name not in html
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert AuditEntry.objects.filter(user_id=other_social_worker.pk, outcome=Outcome.REFUSED).exists()
    # Reading the plan is refused too (no relation to the person): a plain 404.
    assert outsider.get(reverse("plans:decide", args=[plan.pk])).status_code == 404
    # Not in the other district's queue.
    assert reverse("plans:decide", args=[plan.pk]) not in outsider.get(reverse("plans:queue")).content.decode()


def test_returned_plan_needs_comment_and_coach_sees_it(make_client, coach, participation, social_worker):
    plan = f.ActivityPlanFactory(participation=participation, submitted=True)
    d = client_for(make_client, social_worker)
    response = d.post(reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "return", "comment": " "})
    assert response.status_code == 400
    assert "Skriv varför planen skickas tillbaka" in response.content.decode()
    assert 'href="#id_comment"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    d.post(reverse("plans:decide", args=[plan.pk]), {"version": plan.version, "decision": "return",
                                                     "comment": "Lägg till SFI."})
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    page = client_for(make_client, coach).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Stadsdelen har skickat tillbaka planen" in page and "Lägg till SFI." in page
    assert "Spara mål och period" in page  # editable again


def test_waiting_time_shown_to_both_sides(make_client, coach, participation, social_worker):
    submitted = timezone.localdate() - dt.timedelta(days=9)
    plan = f.ActivityPlanFactory(participation=participation, submitted=True, submitted_on=submitted)
    days = rules.waiting_days(submitted, timezone.localdate())
    text = f"{days} arbetsdag" if days == 1 else f"{days} arbetsdagar"
    assert text in client_for(make_client, coach).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert text in client_for(make_client, social_worker).get(reverse("plans:queue")).content.decode()


def test_print_view_is_audited_and_marks_protection(make_client, coach):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person=f.PersonFactory(protected=True))
    plan = f.ActivityPlanFactory(participation=participation, approved=True)
    response = client_for(make_client, coach).get(reverse("plans:print", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "SKYDDAD FOLKBOKFÖRING" in html and "plans/print.css" in html and "<style" not in html
    assert AuditEntry.objects.filter(user_id=coach.pk, action=Action.PRINT, person_id=participation.person_id).exists()


def test_pages_refuse_people_without_relation(make_client, participation):
    plan = f.ActivityPlanFactory(participation=participation)
    stranger = client_for(make_client, f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort")))
    assert stranger.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert stranger.post(reverse("plans:submit", args=[plan.pk]), {"version": plan.version}).status_code == 404
    analyst = client_for(make_client, f.UserFactory(analyst=True))
    assert analyst.get(reverse("plans:participation", args=[participation.pk])).status_code == 404
    assert analyst.get(reverse("plans:queue")).status_code == 403


def _queue_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("plans:queue")).status_code == 200
    return len(ctx.captured_queries)


def test_approval_queue_query_count_constant(make_client, coach, social_worker):
    c = client_for(make_client, social_worker)
    for _ in range(3):
        f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(enrolled=True, coach=coach))
    small = _queue_queries(c)
    for _ in range(27):
        f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(enrolled=True, coach=coach))
    large = _queue_queries(c)
    assert small == large, (small, large)


def test_plan_versions_list_query_count_constant(make_client, coach, participation):
    c = client_for(make_client, coach)
    url = reverse("plans:participation", args=[participation.pk])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    for number in range(1, 4):
        f.ActivityPlanFactory(participation=participation, number=number, approved=number == 3,
                              status="superseded" if number < 3 else "approved")
    small = queries()
    for number in range(4, 31):
        ActivityPlan.objects.filter(participation=participation, status="approved").update(status="superseded")
        f.ActivityPlanFactory(participation=participation, number=number, approved=True)
    large = queries()
    assert small == large, (small, large)
