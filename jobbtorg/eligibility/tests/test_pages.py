"""The eligibility page of a person: history saved month by month, evaluation shown, refused without a role."""

import datetime

import pytest
from django.utils import timezone

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def test_eligibility_page_saves_history_and_evaluates(client, coach, person, today):
    login(client, coach)
    url = f"/stod/person/{person.pk}/kvalificering/"
    assert client.get(url).status_code == 200
    months = {f"history-m_{(today.replace(day=1) - datetime.timedelta(days=1)).strftime('%Y_%m')}": "unemployed"}
    response = client.post(url, {"section": "history", **months})
    assert response.status_code == 302
    assert person.labour_market_months.count() == 1
    body = client.get(url, {"stod": "nystartsjobb"}).content.decode()
    assert "Nystartsjobb" in body and ("Går inte att avgöra" in body or "Uppfyller" in body)


def test_eligibility_page_refused_for_analyst(client, analyst, person):
    login(client, analyst)
    assert client.get(f"/stod/person/{person.pk}/kvalificering/").status_code == 404
