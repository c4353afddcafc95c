"""The eligibility API: the same services as the page; bad input 400 in Swedish, no relation 404."""

import pytest
from rest_framework.test import APIClient

from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_qualification_rules(coach):
    response = api(coach).get("/api/v1/qualification-rules/")
    assert response.status_code == 200 and response.json()["count"] == 4
    body = {"subsidy_type": "nystartsjobb", "valid_from": "2031-01-01", "source": "Ny förordning",
            "parameters": {"paths": [{"label": "alla", "conditions": {"age_min": 18}}]}}  # fmt: skip
    assert api(coach).post("/api/v1/qualification-rules/", body, format="json").status_code == 403
    admin = f.UserFactory(sysadmin=True)
    created = api(admin).post("/api/v1/qualification-rules/", body, format="json")
    assert created.status_code == 201 and created.json()["version"] == 2
    bad = api(admin).post(
        "/api/v1/qualification-rules/", {**body, "valid_from": "2032-01-01", "parameters": {"paths": []}}, format="json"
    )
    assert bad.status_code == 400 and "parameters" in bad.json()


def test_api_eligibility_evaluation_with_reasons(coach, person):
    client = api(coach)
    put = client.put(f"/api/v1/eligibility-facts/{person.pk}/", {
        "registered_at_af": True, "establishment_programme": False, "job_guarantee": False, "newly_arrived": False,
        "months": [{"month": f"2026-{m:02d}", "kind": "unemployed"} for m in range(1, 3)]}, format="json")  # fmt: skip
    assert put.status_code == 200, put.json()
    assert len(put.json()["months"]) == 2
    response = client.post(
        "/api/v1/eligibility/", {"person": person.pk, "subsidy_type": "nystartsjobb", "on": "2026-03-10"}, format="json"
    )
    data = response.json()
    assert response.status_code == 200
    assert data["outcome"] == "unknown" and data["missing"] and data["rule_version"] == 1
    bad = client.post(
        "/api/v1/eligibility/", {"person": person.pk, "subsidy_type": "nystartsjobb", "on": "1900-01-01"}, format="json"
    )
    assert bad.status_code == 400 and "on" in bad.json()
    month = client.put(
        f"/api/v1/eligibility-facts/{person.pk}/", {"months": [{"month": "2026-13", "kind": "unemployed"}]}, format="json"
    )
    assert month.status_code == 400


def test_api_eligibility_refused_without_relation(other_unit_coach, person):
    response = api(other_unit_coach).post(
        "/api/v1/eligibility/", {"person": person.pk, "subsidy_type": "nystartsjobb"}, format="json"
    )
    assert response.status_code == 404
