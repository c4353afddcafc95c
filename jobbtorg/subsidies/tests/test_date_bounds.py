"""Issue 8 item 11: a subsidy decision's period is no longer than the ordinance's maximum per
decision (rule data, DOMAIN §18: nystartsjobb and introduktionsjobb 12 months, yrkesintroduktion
12 months of support) and does not start before the interest notification. Web and API; the
clock is frozen on 2026-03-10.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility.models import QualificationRule
from jobbtorg.subsidies import rules
from jobbtorg.subsidies.models import CaseStatus, SubsidyCase
from jobbtorg.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db

D = datetime.date
TEN_YEARS = "Ett beslut gäller högst 12 månader enligt förordningen: ange ett slutdatum senast 2027-03-04."
BEFORE_NOTIFICATION = "Beslutsperioden kan inte börja före intresseanmälan (2026-03-02): stödet söks före anställningen."
MISSING_FACTS = "Arbetsförmedlingens beslut: inskriven och arbetslös i 12 av de senaste 15 månaderna."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        yield


@pytest.fixture
def case(participation):
    return f.SubsidyCaseFactory(participation=participation, notified_on=D(2026, 3, 2))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def decision(case, period_from: str, period_to: str) -> dict:
    # Nothing is recorded about the person's eligibility: the decision says what it rests on (issue 10 item 9).
    return {"version": case.version, "decision_on": "2026-03-04", "period_from": period_from, "period_to": period_to,
            "missing_facts": MISSING_FACTS}  # fmt: skip


def test_nystartsjobb_decision_at_most_12_months_api(coach, case):
    """issue 8 item 11: a nystartsjobb decision of 10 years is a 400 naming the last allowed day."""
    response = api(coach).post(
        f"/api/v1/subsidy-cases/{case.pk}/decision/", decision(case, "2026-03-05", "2036-03-04"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"period_to": [TEN_YEARS]}
    assert SubsidyCase.objects.get().status == CaseStatus.NOTIFIED
    response = api(coach).post(
        f"/api/v1/subsidy-cases/{case.pk}/decision/", decision(case, "2026-03-05", "2027-03-04"), format="json"
    )
    assert response.status_code == 200, response.json()
    assert SubsidyCase.objects.get().status == CaseStatus.GRANTED


def test_nystartsjobb_decision_at_most_12_months_web(client, coach, case):
    """issue 8 item 11: the same on the case page, next to the field; 12 months exactly is saved."""
    login(client, coach)
    body = {
        "decision-version": case.version,
        "decision-decision_on": "2026-03-04",
        "decision-period_from": "2026-03-05",
        "decision-period_to": "2036-03-04",
        "decision-missing_facts": MISSING_FACTS,
    }
    response = client.post(f"/stod/{case.pk}/beslut/", body)
    assert response.status_code == 400
    assert TEN_YEARS in response.content.decode()
    assert SubsidyCase.objects.get().status == CaseStatus.NOTIFIED
    response = client.post(f"/stod/{case.pk}/beslut/", {**body, "decision-period_to": "2027-03-04"})
    assert response.status_code == 302
    assert SubsidyCase.objects.get().status == CaseStatus.GRANTED


def test_decision_period_not_before_the_notification_api(coach, case):
    """issue 8 item 11: the support is applied for before the employment: the period starts on or
    after the interest notification."""
    response = api(coach).post(
        f"/api/v1/subsidy-cases/{case.pk}/decision/", decision(case, "2025-01-01", "2025-06-30"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"period_from": [BEFORE_NOTIFICATION]}


def test_max_months_per_decision_from_rule_data():
    """issue 8 item 11: the maximum comes from the rule rows' limits; lönebidrag states none."""
    rows = QualificationRule.objects.filter(version=1)
    by_type = {row.subsidy_type: eligibility_rules.max_months_per_decision(row.parameters) for row in rows}
    assert by_type == {"nystartsjobb": 12, "introduktionsjobb": 12, "yrkesintroduktion": 12, "lonebidrag": None}
    assert rules.decision_period_latest(D(2026, 1, 31), 12) == D(2027, 1, 30)
