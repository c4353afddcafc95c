"""The organisation API: read-only, signed-in users only, dated service areas, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.organisation.models import District, ServiceArea
from jobbtorg.testing.factories import EmployerContactFactory, EmployerFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

ORG_LISTS = ["districts", "units", "service-areas", "af-units", "providers", "employers"]


@pytest.fixture
def client():
    user = UserFactory(analyst=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return api


@pytest.mark.parametrize("name", ORG_LISTS)
def test_anonymous_is_refused(name):
    response = APIClient().get(f"/api/v1/{name}/")
    assert response.status_code == 401


@pytest.mark.parametrize("name", ORG_LISTS)
def test_lists_are_read_only(client, name):
    assert client.get(f"/api/v1/{name}/").status_code == 200
    assert client.post(f"/api/v1/{name}/", {"name": "x"}, format="json").status_code == 405


def test_districts_include_todays_thirteen_and_the_homeless_unit(client):
    response = client.get("/api/v1/districts/?limit=100")
    codes = {d["code"] for d in response.json()["results"]}
    assert {"rinkeby-kista", "hagersten-alvsjo", "enheten-for-hemlosa", "alvsjo"} <= codes
    assert response.json()["count"] == District.objects.count()


def test_service_areas_on_a_day_give_that_days_mapping(client):
    before = client.get("/api/v1/service-areas/?on=2015-06-01&limit=500").json()["results"]
    after = client.get("/api/v1/service-areas/?on=2024-06-01&limit=500").json()["results"]
    before_districts = {a["district_code"] for a in before}
    after_districts = {a["district_code"] for a in after}
    assert {"alvsjo", "hagersten-liljeholmen"} <= before_districts
    assert "hagersten-alvsjo" not in before_districts
    assert "hagersten-alvsjo" in after_districts
    assert not {"alvsjo", "hagersten-liljeholmen"} & after_districts
    # Each district is served by exactly one unit on a given day.
    assert len(after_districts) == len(after)
    assert len(after) == ServiceArea.objects.valid_on(datetime.date(2024, 6, 1)).count()
    sydvast = next(a for a in after if a["district_code"] == "hagersten-alvsjo")
    assert sydvast["unit_code"] == "sydvast"


def test_service_areas_without_day_include_history(client):
    everything = client.get("/api/v1/service-areas/?limit=500").json()
    assert everything["count"] == ServiceArea.objects.count()


@pytest.mark.parametrize(
    "query", ["on=2024-13-01", "on=igår", "on=" + "9" * 200, "district=abc", "unit=-1", "district=" + "9" * 40]
)
def test_service_area_filter_garbage_is_400(client, query):
    response = client.get(f"/api/v1/service-areas/?{query}")
    assert response.status_code == 400
    assert set(response.json()) <= {"on", "district", "unit"}


def test_service_area_wrong_date_message_is_swedish(client):
    response = client.get("/api/v1/service-areas/?on=2024-02-30")
    assert response.json() == {"on": ["Ange datumet som ÅÅÅÅ-MM-DD."]}


def test_employers_carry_their_contacts(client):
    employer = EmployerFactory(name="Aaa Bygg AB")
    EmployerContactFactory(employer=employer, name="Kim Handledare")
    response = client.get(f"/api/v1/employers/{employer.pk}/")
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["contacts"]] == ["Kim Handledare"]


def test_unknown_or_huge_ids_are_404(client):
    assert client.get("/api/v1/providers/999999/").status_code == 404
    assert client.get("/api/v1/providers/" + "9" * 30 + "/").status_code == 404
    assert client.get("/api/v1/providers/abc/").status_code == 404


def test_huge_limit_and_offset_do_not_break(client):
    assert client.get("/api/v1/districts/?limit=" + "9" * 40).status_code == 200
    assert client.get("/api/v1/districts/?offset=" + "9" * 40).status_code == 200
    assert client.get("/api/v1/districts/?limit=-5&offset=-5").status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["employers", "providers", "service-areas"])
def test_query_count_is_constant_in_rows(client, name):
    def grow(n):
        for _ in range(n):
            EmployerContactFactory.create_batch(2, employer=EmployerFactory())
            ProviderFactory()

    grow(3)
    few = _queries(client, f"/api/v1/{name}/?limit=500")
    grow(27)
    many = _queries(client, f"/api/v1/{name}/?limit=500")
    assert few == many
