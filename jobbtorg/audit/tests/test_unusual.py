"""Unusual access (LEGAL.md): refused accesses, accesses to protected identities,
and users who opened many persons in a short time — computed by the database."""

import datetime

import pytest
from django.urls import reverse

from jobbtorg.audit import selectors
from jobbtorg.audit.models import Action
from jobbtorg.testing import factories as f

from .helpers import at, entry, login

pytestmark = pytest.mark.django_db

MARCH = (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))


def _unusual(client, query):
    return client.get(reverse("audit:unusual") + "?fran=2025-03-01&till=2025-03-31&" + query)


def _open_many(user, count, start, *, step_minutes=1, action=Action.READ, first_person=1000):
    for i in range(count):
        entry(user, start + datetime.timedelta(minutes=step_minutes * i), person_id=first_person + i, action=action)


def test_refused_accesses_are_listed_and_allowed_ones_are_not(client, sysadmin, coach):
    refused = entry(coach, at("2025-03-10"), person_id=42, allowed=False)
    entry(coach, at("2025-03-10"), person_id=43)
    login(client, sysadmin)

    response = _unusual(client, "typ=nekade")

    assert list(response.context["page_obj"]) == [refused]


def test_refused_list_is_the_default(client, sysadmin, coach):
    refused = entry(coach, at("2025-03-10"), person_id=42, allowed=False)
    login(client, sysadmin)

    response = _unusual(client, "")

    assert list(response.context["page_obj"]) == [refused]


def test_accesses_to_protected_identities_are_listed(client, sysadmin, coach):
    protected = entry(coach, at("2025-03-10"), person_id=42, protected=True)
    entry(coach, at("2025-03-10"), person_id=43)  # ordinary person
    entry(coach, at("2025-03-10"), person_id=44, allowed=False)  # refused: in the other list
    login(client, sysadmin)

    response = _unusual(client, "typ=skyddade")

    assert list(response.context["page_obj"]) == [protected]


def test_user_opening_more_than_n_persons_in_an_hour_is_listed(client, sysadmin, coach, outside_coach):
    _open_many(coach, 21, at("2025-03-10", "09:00"), step_minutes=2)  # 21 persons 09:00–09:40
    _open_many(outside_coach, 20, at("2025-03-10", "09:00"), step_minutes=2)  # exactly 20: not more than 20
    login(client, sysadmin)

    response = _unusual(client, "typ=manga&grans=20")

    rows = list(response.context["page_obj"])
    assert [(r["username"], r["persons"]) for r in rows] == [("coach1", 21)]
    assert rows[0]["hour"] == at("2025-03-10", "09:00")
    assert "coach1" in response.content.decode()


def test_many_persons_spread_over_clock_hours_are_counted_per_hour(coach, sysadmin):
    # 30 persons from 09:45, one every 2 minutes: 8 in the 09 hour, 22 in the 10 hour.
    _open_many(coach, 30, at("2025-03-10", "09:45"), step_minutes=2)

    rows = list(selectors.busy_hours(sysadmin, *MARCH, threshold=20))

    assert [(r["hour"], r["persons"]) for r in rows] == [(at("2025-03-10", "10:00"), 22)]


def test_hours_are_stockholm_clock_hours(coach, sysadmin):
    # 00:00–00:50 Stockholm is 23:00–23:50 UTC the day before: still one hour, on the 10th.
    _open_many(coach, 25, at("2025-03-10", "00:00"), step_minutes=2)

    rows = list(selectors.busy_hours(sysadmin, *MARCH, threshold=20))

    assert [(r["hour"], r["persons"]) for r in rows] == [(at("2025-03-10", "00:00"), 25)]


def test_the_same_person_opened_many_times_counts_once(coach, sysadmin):
    for minute in range(40):
        entry(coach, at("2025-03-10", "09:00") + datetime.timedelta(minutes=minute), person_id=42)

    assert not selectors.busy_hours(sysadmin, *MARCH, threshold=20).exists()


def test_list_rows_and_search_hits_do_not_count_as_opening_a_person(coach, sysadmin):
    _open_many(coach, 30, at("2025-03-10", "09:00"), action=Action.LIST)
    _open_many(coach, 30, at("2025-03-10", "09:00"), action=Action.SEARCH, first_person=2000)

    assert not selectors.busy_hours(sysadmin, *MARCH, threshold=20).exists()


def test_unit_manager_sees_unusual_access_of_own_unit_only(client, manager, coach, outside_coach):
    entry(coach, at("2025-03-10"), person_id=42, allowed=False)
    entry(outside_coach, at("2025-03-10"), person_id=43, allowed=False)
    _open_many(outside_coach, 25, at("2025-03-11", "09:00"))
    login(client, manager)

    refused = list(_unusual(client, "typ=nekade").context["page_obj"])
    busy = list(_unusual(client, "typ=manga&grans=20").context["page_obj"])

    assert [e.username for e in refused] == ["coach1"]
    assert busy == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("typ=alla", "Välj en av listorna."),
        ("typ=manga&grans=0", "Ange ett antal som är 1 eller större."),
        ("typ=manga&grans=tjugo", "Ange antalet med siffror."),
    ],
)
def test_bad_filters_are_explained_in_swedish(client, sysadmin, query, message):
    login(client, sysadmin)

    response = _unusual(client, query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_lists_are_tabs_keeping_the_period(client, sysadmin):
    login(client, sysadmin)

    page = _unusual(client, "typ=skyddade").content.decode()

    assert 'href="?fran=2025-03-01&amp;till=2025-03-31&amp;grans=20&amp;typ=manga"' in page
    assert 'aria-current="page">Åtkomster till skyddade personuppgifter' in page


def test_busy_user_can_be_followed_to_their_log(client, sysadmin):
    user = f.UserFactory(coach=True, username="snabb.coach")
    _open_many(user, 25, at("2025-03-10", "09:00"))
    login(client, sysadmin)

    page = _unusual(client, "typ=manga").content.decode()

    assert reverse("audit:user_log") + "?anvandare=snabb.coach&amp;fran=2025-03-10&amp;till=2025-03-10" in page
