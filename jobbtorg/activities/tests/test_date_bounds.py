"""Issue 8 item 11: an activity lies within its participation. It starts on or after the
referral date, ends by the closure, lasts at most 18 months; a follow-up is not dated in the
future; years outside 1900–2100 are refused at the edge. Web and API alike.

Fixed dates: the clock is frozen on 2026-11-18; the participant was referred on 2026-11-02.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.activities import rules, services
from jobbtorg.activities.models import Activity
from jobbtorg.activities.tests.helpers import actor_for, client_for
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
REFERRED = D(2026, 11, 2)
BEFORE_REFERRAL = "Startdatum kan inte vara före anvisningsdatum 2026-11-02."
TOO_LONG = "En insats är begränsad i tid: ange ett slutdatum senast 2028-05-10 (18 månader efter start)."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        yield


@pytest.fixture
def referred_today(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach, referred_on=REFERRED, arrived_on=D(2026, 11, 3))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(participation, item, start: str, end: str) -> dict:
    return {"participation": participation.pk, "catalogue_item": item.pk, "start_date": start, "end_date": end}


def test_activity_not_before_the_referral_api(coach, referred_today, item):
    """issue 8 item 11: an activity from 2020 for someone referred in November 2026 is a 400."""
    response = api(coach).post("/api/v1/activities/", body(referred_today, item, "2020-01-06", "2020-03-01"), format="json")
    assert response.status_code == 400
    assert response.json() == {"start_date": [BEFORE_REFERRAL]}
    assert not Activity.objects.exists()


def test_activity_not_before_the_referral_web(coach, referred_today, item):
    """issue 8 item 11: the same on the page, next to the start date."""
    url = reverse("activities:create", args=[referred_today.pk])
    response = client_for(coach).post(url, {"catalogue_item": item.pk, "start_date": "2020-01-06", "end_date": "2020-03-01"})
    html = response.content.decode()
    assert BEFORE_REFERRAL in html and 'href="#id_start_date"' in html
    assert not Activity.objects.exists()


def test_activity_at_most_18_months_api_and_web(coach, referred_today, item):
    """issue 8 item 11: an activity is limited in time: at most 18 months after its start."""
    response = api(coach).post("/api/v1/activities/", body(referred_today, item, "2026-11-10", "2036-11-10"), format="json")
    assert response.status_code == 400 and response.json() == {"end_date": [TOO_LONG]}
    url = reverse("activities:create", args=[referred_today.pk])
    response = client_for(coach).post(url, {"catalogue_item": item.pk, "start_date": "2026-11-10", "end_date": "2036-11-10"})
    assert TOO_LONG in response.content.decode()
    assert not Activity.objects.exists()


def test_activity_within_the_participation_is_saved_api_and_web(coach, referred_today, item):
    """issue 8 item 11, happy path: from the referral day, 18 months to the day."""
    response = api(coach).post("/api/v1/activities/", body(referred_today, item, "2026-11-02", "2028-05-02"), format="json")
    assert response.status_code == 201, response.json()
    url = reverse("activities:create", args=[referred_today.pk])
    response = client_for(coach).post(url, {"catalogue_item": item.pk, "start_date": "2026-11-18", "end_date": "2026-12-18"})
    assert response.status_code == 302
    assert Activity.objects.count() == 2


def test_changed_activity_not_before_the_referral_api(coach, referred_today, item):
    """issue 8 item 11: moving an activity's start before the referral is refused too."""
    activity = services.create_activity(
        coach, actor_for(coach), referred_today, services.ActivityData(item, D(2026, 11, 4), D(2026, 12, 4))
    )
    response = api(coach).patch(
        f"/api/v1/activities/{activity.pk}/", {"start_date": "2026-10-01", "version": activity.version}, format="json"
    )
    assert response.status_code == 400 and response.json() == {"start_date": [BEFORE_REFERRAL]}


def test_followup_not_in_the_future_and_extension_limited_api(coach, referred_today, item):
    """issue 8 item 11: a follow-up is dated today or earlier; 'continue' ends within 18 months."""
    activity = services.create_activity(
        coach, actor_for(coach), referred_today, services.ActivityData(item, D(2026, 11, 10), D(2026, 11, 17))
    )
    url = f"/api/v1/activities/{activity.pk}/followup/"
    followup = {"result": "Går bra.", "decision": "continue", "version": activity.version}
    response = api(coach).post(url, {**followup, "followed_up_on": "2026-11-25", "new_end_date": "2026-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"followed_up_on": ["Uppföljningen kan inte dateras i framtiden. Ange dagens datum eller tidigare."]}
    response = api(coach).post(url, {**followup, "followed_up_on": "2026-11-18", "new_end_date": "2036-01-01"}, format="json")
    assert response.status_code == 400 and response.json() == {"new_end_date": [TOO_LONG]}
    response = api(coach).post(url, {**followup, "followed_up_on": "2026-11-18", "new_end_date": "2026-12-31"}, format="json")
    assert response.status_code == 200, response.json()


def test_absurd_year_is_refused_at_the_edge_api_and_web(coach, referred_today, item):
    """issue 8 item 11: a year after 2100 (or before 1900) is a field error, in the API and on the page."""
    response = api(coach).post("/api/v1/activities/", body(referred_today, item, "2026-11-10", "9999-12-31"), format="json")
    assert response.status_code == 400
    assert response.json() == {"end_date": ["Ange ett datum mellan 1900-01-01 och 2100-12-31."]}
    url = reverse("activities:create", args=[referred_today.pk])
    response = client_for(coach).post(url, {"catalogue_item": item.pk, "start_date": "1066-10-14", "end_date": "2026-12-01"})
    assert "Ange ett datum mellan 1900-01-01 och 2100-12-31." in response.content.decode()
    assert not Activity.objects.exists()


def test_activity_ends_by_the_closure():
    """issue 8 item 11: within a closed participation, nothing after its closure date."""
    errors = rules.check_within_participation(D(2026, 3, 1), D(2026, 6, 30), D(2026, 1, 5), D(2026, 5, 31))
    assert errors == {"end_date": ["Slutdatum kan inte vara efter avslutsdatum 2026-05-31."]}
    assert rules.check_within_participation(D(2026, 3, 1), D(2026, 5, 31), D(2026, 1, 5), D(2026, 5, 31)) == {}
