"""The name search at 1,000,000 persons (issue 9 item 9, bench/load.py): the matches are found by
prefix index, not by walking every person in name order and testing access on each."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jobbtorg.people import selectors
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def _coach_with_caseload(n: int, surname: str):
    coach = f.UserFactory(coach=True)
    for _ in range(n):
        f.ParticipationFactory(coach=coach, person=f.PersonFactory(last_name=surname))
    return coach


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan; SQLite has no operator classes")
def test_a_name_search_reads_the_prefix_index_not_every_person_in_name_order():
    """Migration people/0002: UPPER(name) text_pattern_ops indexes; the search orders by UPPER(name),
    an order no index gives, so the planner cannot choose the walk that took 10 s at 1,000,000."""
    coach = _coach_with_caseload(3, "Aydin")
    qs = selectors.search_persons(coach, selectors.parse_search("aydi"))[:1]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table: make the planner show its index choice
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_last_name_prefix_idx" in plan, plan
    assert "people_pers_last_na" not in plan, plan
    assert [p.last_name for p in qs] == ["Aydin"]


def test_the_search_page_costs_the_same_number_of_queries_for_few_and_many_hits():
    """No query per hit: 2 and 20 matching persons in the coach's caseload, the same query count."""
    counts = []
    for n, surname in ((2, "Aydin"), (20, "Berglund")):
        client = Client()
        client.force_login(_coach_with_caseload(n, surname))
        client.get("/personer/sok/", {"q": surname})  # warm caches (menu, session)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/personer/sok/", {"q": surname})
        assert response.status_code == 200
        assert response.content.decode().count(surname) >= n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
