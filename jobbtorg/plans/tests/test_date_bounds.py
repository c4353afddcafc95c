"""Issue 8 item 11: a plan starts on or after the referral, and its planned activities lie within
the plan's period (start date to review date); moving the period past an activity is refused.
Web and API; fixed dates (clock frozen on 2026-11-18, participant referred 2026-11-02).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.plans import rules
from jobbtorg.plans.models import ActivityPlan, PlannedActivity
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

REFERRED = dt.date(2026, 11, 2)
START = dt.date(2026, 11, 16)
REVIEW = dt.date(2027, 3, 1)
AFTER_REVIEW = "Aktiviteten kan inte sluta efter planens omprövningsdatum 2027-03-01."
BEFORE_START = "Aktiviteten kan inte börja före planens startdatum 2026-11-16."
BEFORE_REFERRAL = "Startdatum kan inte vara före anvisningsdatum 2026-11-02."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        yield


@pytest.fixture
def referred(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach, referred_on=REFERRED, arrived_on=dt.date(2026, 11, 3))


@pytest.fixture
def plan(referred):
    return f.ActivityPlanFactory(participation=referred, start_date=START, review_date=REVIEW, activity_count=0)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web(user) -> Client:
    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    return client


def body(participation, start: str, end: str, plan_start: str = "2026-11-16") -> dict:
    return {
        "participation": participation.pk, "goal": "Arbete inom vården", "start_date": plan_start,
        "review_date": REVIEW.isoformat(),
        "activities": [{"description": "Praktik på äldreboende", "start_date": start, "end_date": end}],
    }


def test_plan_activity_within_the_plan_period_api(coach, referred):
    """issue 8 item 11: a planned activity after the review date, or before the plan's start, is a 400."""
    response = api(coach).post("/api/v1/plans/", body(referred, "2026-11-23", "2029-01-29"), format="json")
    assert response.status_code == 400
    assert response.json() == {"activities[0].end_date": [AFTER_REVIEW]}
    response = api(coach).post("/api/v1/plans/", body(referred, "2026-11-09", "2026-12-01"), format="json")
    assert response.status_code == 400
    assert response.json() == {"activities[0].start_date": [BEFORE_START]}
    assert not ActivityPlan.objects.exists()
    response = api(coach).post("/api/v1/plans/", body(referred, "2026-11-16", "2027-03-01"), format="json")
    assert response.status_code == 201, response.json()


def test_plan_activity_within_the_plan_period_web(coach, plan):
    """issue 8 item 11: the same on the plan page, next to the field; within the period it is saved."""
    url = reverse("plans:activity_add", args=[plan.pk])
    row = {"activity-version": plan.version, "activity-description": "Arbetsträning",
           "activity-start_date": "2026-11-20", "activity-end_date": "2027-06-30"}
    response = web(coach).post(url, row)
    assert response.status_code == 400
    html = response.content.decode()
    assert AFTER_REVIEW in html and 'href="#id_activity-end_date"' in html
    assert not PlannedActivity.objects.exists()
    response = web(coach).post(url, {**row, "activity-end_date": "2027-02-26"})
    assert response.status_code == 302
    assert PlannedActivity.objects.count() == 1


def test_plan_not_before_the_referral_api_and_web(coach, referred, plan):
    """issue 8 item 11: a plan that starts before the participant was referred is refused."""
    response = api(coach).patch(f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "start_date": "2020-01-06"},
                                format="json")
    assert response.status_code == 400
    assert response.json()["start_date"] == [BEFORE_REFERRAL]
    form = {"version": plan.version, "goal": "Mål", "start_date": "2026-10-01", "review_date": "2027-03-01",
            "long_plan_reason": ""}
    response = web(coach).post(reverse("plans:detail", args=[plan.pk]), form)
    assert response.status_code == 400 and BEFORE_REFERRAL in response.content.decode()
    plan.refresh_from_db()
    assert plan.start_date == START


def test_moving_the_plan_period_past_its_activities_is_refused_api(coach, plan):
    """issue 8 item 11: shortening the period so a planned activity falls outside it is refused,
    naming the activity; the stored plan is unchanged."""
    PlannedActivity.objects.create(plan=plan, description="SFI kurs C", start_date=dt.date(2026, 12, 1),
                                   end_date=dt.date(2027, 2, 26))
    response = api(coach).patch(f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "review_date": "2027-01-31"},
                                format="json")
    assert response.status_code == 400
    assert response.json() == {"review_date": [
        "Aktiviteten ”SFI kurs C” (2026-12-01 – 2027-02-26) ligger utanför planens period. Ändra den först."
    ]}
    plan.refresh_from_db()
    assert plan.review_date == REVIEW


def test_plan_rules_period_bounds():
    """issue 8 item 11: the rule on its own: the plan's own dates bound the activity, both ends inclusive."""
    ok = rules.activity_errors(description="x", start=START, end=REVIEW, plan_start=START, plan_review=REVIEW)
    assert ok == {}
    late = rules.activity_errors(description="x", start=START, end=REVIEW + dt.timedelta(days=1),
                                 plan_start=START, plan_review=REVIEW)
    assert late == {"end_date": [AFTER_REVIEW]}


def test_plan_review_at_most_18_months_even_with_a_reason_api(coach, referred):
    """issue 8 item 11: a long plan needs a reason, and is reviewed within 18 months all the same."""
    body_ = {"participation": referred.pk, "goal": "Studier", "start_date": "2026-11-16", "review_date": "2099-01-01",
             "long_plan_reason": "Utbildningen är lång."}
    response = api(coach).post("/api/v1/plans/", body_, format="json")
    assert response.status_code == 400
    assert response.json() == {"review_date": ["Omprövningen ska ske senast 2028-05-16: ingen deltar längre än 18 månader."]}
    response = api(coach).post("/api/v1/plans/", {**body_, "review_date": "2028-05-16"}, format="json")
    assert response.status_code == 201, response.json()
