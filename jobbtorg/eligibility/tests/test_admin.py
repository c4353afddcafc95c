"""The system administrator adds a qualification rule version in the admin (DOMAIN §18: rules
as data, no deploy); a new version ends the open-ended one before it."""

import datetime
import json

import pytest

from jobbtorg.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db


def test_admin_adds_rule_version(client):
    admin = f.UserFactory(sysadmin=True)
    login(client, admin)
    response = client.post("/admin/eligibility/qualificationrule/add/", {
        "subsidy_type": "yrkesintroduktion", "valid_from": "2030-01-01", "source": "Förordning (2013:1157), ändrad 2030",
        "source_text": "", "parameters": json.dumps({"paths": [{"label": "15–29 år", "conditions": {"age_min": 15, "age_max": 29}}]}),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    from jobbtorg.eligibility.models import QualificationRule

    assert QualificationRule.objects.get(subsidy_type="yrkesintroduktion", version=2).valid_from == datetime.date(2030, 1, 1)
    assert QualificationRule.objects.get(subsidy_type="yrkesintroduktion", version=1).valid_to == datetime.date(2029, 12, 31)


def test_admin_refuses_bad_parameters(client):
    login(client, f.UserFactory(sysadmin=True))
    response = client.post("/admin/eligibility/qualificationrule/add/", {
        "subsidy_type": "yrkesintroduktion", "valid_from": "2030-01-01", "source": "x", "parameters": json.dumps({"paths": []})})  # fmt: skip
    assert response.status_code == 200 and "minst en väg" in response.content.decode()
