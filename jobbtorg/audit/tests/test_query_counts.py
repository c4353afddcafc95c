"""Every log review list runs the same number of queries for 3 rows as for 30
(ARCHITECTURE: counts and groupings in the database, no query per row)."""

import datetime

import pytest
from django.urls import reverse

from .helpers import at, entry, login, queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_person")]

PERIOD = "fran=2025-03-01&till=2025-03-31"

LISTS = [
    pytest.param(lambda: reverse("audit:person_log", kwargs={"person_id": 42}) + "?" + PERIOD, id="person_log"),
    pytest.param(lambda: reverse("audit:user_log") + "?anvandare=coach1&" + PERIOD, id="user_log"),
    pytest.param(lambda: reverse("audit:unusual") + "?typ=nekade&" + PERIOD, id="unusual_refused"),
    pytest.param(lambda: reverse("audit:unusual") + "?typ=skyddade&" + PERIOD, id="unusual_protected"),
    pytest.param(lambda: reverse("audit:unusual") + "?typ=manga&grans=1&" + PERIOD, id="unusual_busy"),
    pytest.param(lambda: reverse("audit:person_log_csv", kwargs={"person_id": 42}) + "?" + PERIOD, id="person_log_csv"),
    pytest.param(lambda: reverse("audit:user_log_csv") + "?anvandare=coach1&" + PERIOD, id="user_log_csv"),
    pytest.param(lambda: reverse("audit:unusual_csv") + "?typ=manga&grans=1&" + PERIOD, id="unusual_busy_csv"),
]


def _write(coach, count):
    """`count` entries of every kind the lists show: allowed, refused, protected; many persons an hour."""
    for i in range(count):
        when = at("2025-03-10", "09:00") + datetime.timedelta(days=i % 20, minutes=i)
        entry(coach, when, person_id=42, allowed=i % 3 != 1, protected=i % 3 == 2)
        entry(coach, when, person_id=1000 + i)


@pytest.mark.parametrize("reviewer", ["sysadmin", "manager"])
@pytest.mark.parametrize("url", LISTS)
def test_log_review_lists_run_a_constant_number_of_queries(client, request, coach, reviewer, url):
    login(client, request.getfixturevalue(reviewer))

    _write(coach, 3)
    few = queries_for(client, url())
    _write(coach, 27)
    many = queries_for(client, url())

    assert few == many
    # session, user, the review's own audit entry (lock the chain head, insert, move the head:
    # docs/adr/0012), count, page, context processors, session save; for a unit manager's person
    # log one more: is the person one of her unit's (audit.selectors.may_review_person)
    assert many <= 13
