"""Issue 8 item 11: an item of the OSA implementation plan is planned within the employment (its
first period's start to its last period's end); absurd years are refused at the edge. Web and
API; the clock is frozen on 2026-11-18 (joint assessment 2026-10-05, first period 2026-10-19 –
2027-04-18).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jobbtorg.osa import rules
from jobbtorg.osa.models import PlanItem
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

OUTSIDE = "Planera insatsen inom anställningen (2026-10-19 – 2027-04-18)."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        yield


@pytest.fixture
def case(person):
    return f.OsaCaseFactory(person=person, assessed_on=datetime.date(2026, 10, 5))


@pytest.fixture
def logged_in(client, officer):
    client.force_login(officer)
    return client


def put_plan(client, case, planned_on: str):
    body = {"version": 0, "items": [{"activity": "district_budget", "responsible": "district", "planned_on": planned_on}]}
    return client.put(f"/api/v1/osa-cases/{case.pk}/plan/", body, content_type="application/json")


def test_osa_plan_item_within_the_employment_api(logged_in, case):
    """issue 8 item 11: an item planned for 2099 (or before the employment) is a 400 naming the period."""
    for day in ("2099-01-05", "2026-10-01"):
        response = put_plan(logged_in, case, day)
        assert response.status_code == 400
        assert response.json() == {"items.0.planned_on": [OUTSIDE]}
    assert not PlanItem.objects.exists()
    assert put_plan(logged_in, case, "2027-04-18").status_code == 200


def test_osa_plan_item_within_the_employment_web(logged_in, case):
    """issue 8 item 11: the same in the plan editor on the page."""
    data = {"plan-version": 0, "plan-note": "", "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0,
            "items-0-activity": "jobbtorg_syv", "items-0-responsible": "jobbtorg", "items-0-planned_on": "2029-06-01"}
    response = logged_in.post(reverse("osa:plan", args=[case.pk]), data)
    assert response.status_code == 400 and OUTSIDE in response.content.decode()
    assert not PlanItem.objects.exists()
    response = logged_in.post(reverse("osa:plan", args=[case.pk]), {**data, "items-0-planned_on": "2026-12-01"})
    assert response.status_code == 302
    assert PlanItem.objects.count() == 1


def test_osa_absurd_year_refused_at_the_edge_api(logged_in, case):
    """issue 8 item 11: a year after 2100 is a field error before any rule sees it."""
    response = logged_in.post(f"/api/v1/osa-cases/{case.pk}/meetings/", {"held_on": "2999-01-01", "parties": ["af"]},
                              content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"held_on": ["Ange ett datum mellan 1900-01-01 och 2100-12-31."]}


def test_osa_planned_on_rule():
    """issue 8 item 11: both ends of the employment are inside; no period yet, no bound."""
    first, last = datetime.date(2026, 10, 19), datetime.date(2027, 4, 18)
    assert rules.planned_on_error(first, first, last) is None and rules.planned_on_error(last, first, last) is None
    assert rules.planned_on_error(last + datetime.timedelta(days=1), first, last) == OUTSIDE
    assert rules.planned_on_error(datetime.date(2099, 1, 1), None, None) is None


def test_osa_handover_while_the_employment_lasts_api(logged_in, case):
    """issue 8 item 11: the new district takes over at the latest on the employment's last day."""
    body = {"version": case.version, "to_district": f.district("bromma").pk, "handover_on": "2099-01-01"}
    response = logged_in.post(f"/api/v1/osa-cases/{case.pk}/transfer/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"handover_on": ["Övertagandet ska ske medan anställningen pågår (senast 2027-04-18)."]}
    response = logged_in.post(f"/api/v1/osa-cases/{case.pk}/transfer/", {**body, "handover_on": "2027-04-18"},
                              content_type="application/json")
    assert response.status_code in (200, 201), response.json()
