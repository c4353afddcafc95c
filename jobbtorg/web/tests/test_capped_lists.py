"""A district-wide list is counted only up to a cap (bench/README.md, cause 3).

A district's list grows with the city; counting it to the end on every page view would make
the page cost as much as the whole list. Past the cap the summary says "Fler än N träffar" and
the pages stop at the cap; below it the exact count is shown as before.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobbtorg.access import listing
from jobbtorg.testing.factories import ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 5)


def test_district_list_count_is_capped(login, small_cap):
    worker = UserFactory(social_worker=True)
    ParticipationFactory.create_batch(7, enrolled=True)
    response = login(worker).get("/?status=active", headers={"HX-Request": "true", "HX-Target": "person-list"})
    page = response.context["listing"].page
    assert page.paginator.capped and page.paginator.count == 5
    html = response.content.decode()
    assert "Fler än 5 träffar" in html


def test_list_below_cap_shows_exact_count(login, small_cap):
    worker = UserFactory(social_worker=True)
    ParticipationFactory.create_batch(4, enrolled=True)
    response = login(worker).get("/?status=active", headers={"HX-Request": "true", "HX-Target": "person-list"})
    page = response.context["listing"].page
    assert not page.paginator.capped and page.paginator.count == 4
    assert "4 träffar" in response.content.decode()


def test_capped_count_query_is_limited_and_unordered(login, small_cap):
    worker = UserFactory(social_worker=True)
    ParticipationFactory.create_batch(7, enrolled=True)
    client = login(worker)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/?status=active", headers={"HX-Request": "true", "HX-Target": "person-list"})
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "participations_participation" in q["sql"]]
    assert counts, "the list was not counted"
    assert all("LIMIT 6" in sql and "ORDER BY" not in sql for sql in counts), counts


def test_district_referral_history_count_is_capped(login, small_cap):
    from jobbtorg.testing.factories import ReferralFactory

    worker = UserFactory(social_worker=True)
    ReferralFactory.create_batch(7)
    response = login(worker).get("/anvisningar/")
    assert response.status_code == 200
    assert response.context["page"].paginator.capped
    assert "Fler än 5 anvisningar – de senaste 5 visas" in response.content.decode()


def test_deviation_history_count_is_capped(login, small_cap):
    from jobbtorg.testing.factories import DeviationFactory

    worker = UserFactory(social_worker=True)
    DeviationFactory.create_batch(7, acknowledged=True)
    response = login(worker).get("/insatser/avvikelser/?visa=kvitterade")
    assert response.context["page"].paginator.capped
    assert "Fler än 5 avvikelser – de första 5 visas" in response.content.decode()


def test_person_search_count_is_capped(login, small_cap):
    from jobbtorg.testing.factories import PersonFactory

    worker = UserFactory(social_worker=True)
    PersonFactory.create_batch(7, last_name="Andersson", home_district=worker.district)
    response = login(worker).get("/personer/sok/?q=Andersson")
    assert response.context["listing"].page.paginator.capped
    assert "Fler än 5 träffar" in response.content.decode()
