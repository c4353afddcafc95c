"""Lists of issue 3 parts 1, 2 and 12 keep a constant number of queries: 3 rows cost as much as 30."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobbtorg.participations import selectors
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def count(run: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


def assert_constant(run: Callable[[], object], make: Callable[[int], object]) -> None:
    make(3)
    run()  # warm-up: session, content types
    few, _ = count(run)
    make(27)
    many, sql = count(run)
    assert many == few, "\n".join(sql)


def ok(response):
    assert response.status_code == 200
    return response


def test_assignment_page_queries_constant(client, manager, coach, other_coach):
    login(client, manager)
    assert_constant(
        lambda: ok(client.get("/deltaganden/fordelning/")),
        lambda n: f.ParticipationFactory.create_batch(n, referred=True, coach=coach),
    )


def test_referral_list_queries_constant(client, social_worker):
    login(client, social_worker)
    assert_constant(lambda: ok(client.get("/anvisningar/")), lambda n: f.ReferralFactory.create_batch(n, referred_by=social_worker))


def test_api_referral_list_queries_constant(social_worker):
    api = APIClient()
    api.force_authenticate(social_worker)
    assert_constant(lambda: ok(api.get("/api/v1/referrals/")), lambda n: f.ReferralFactory.create_batch(n))


def test_api_participation_list_queries_constant(coach):
    api = APIClient()
    api.force_authenticate(coach)
    assert_constant(
        lambda: ok(api.get("/api/v1/participations/")), lambda n: f.ParticipationFactory.create_batch(n, enrolled=True, coach=coach)
    )


def test_caseload_balance_is_one_query(manager):
    coaches = f.UserFactory.create_batch(5, coach=True)
    for c in coaches:
        f.ParticipationFactory.create_batch(2, enrolled=True, coach=c)
    n, _ = count(lambda: list(selectors.caseload_balance(manager.jobbtorg_unit_id)))
    assert n == 1
    assert {c.open_count for c in selectors.caseload_balance(manager.jobbtorg_unit_id)} == {2}


def test_person_section_queries_constant(coach):
    person = f.PersonFactory()

    def make(n):
        for _ in range(n):
            f.ReferralFactory(participation__person=person, participation__closed=True, participation__coach=coach)

    assert_constant(lambda: selectors.for_person(person), make)
