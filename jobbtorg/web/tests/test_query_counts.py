"""Every list runs a constant number of queries: 3 rows cost the same as 30 (25 on the page)."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.deadlines.models import Deadline
from jobbtorg.participations.models import Status
from jobbtorg.testing.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    AssessmentFactory,
    ParticipationFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def measure(client, url: str, headers: dict | None = None) -> tuple[int, list[str], object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(ctx), [q["sql"] for q in ctx.captured_queries], response


def assert_constant(client, url: str, make_rows: Callable[[int], None], headers: dict | None = None) -> None:
    make_rows(3)
    client.get(url, headers=headers or {})  # warm-up: session, caches
    few, _, response = measure(client, url, headers)
    assert len(response.context["listing"].rows) == 3
    make_rows(27)
    many, sql, response = measure(client, url, headers)
    assert len(response.context["listing"].rows) == 25
    assert many == few, "\n".join(sql)


def test_coach_start_page(login):
    coach = UserFactory(coach=True)

    def rows(n):
        # Activities ending in three days: the "ending soon" table grows too.
        ActivityFactory.create_batch(n, participation__coach=coach, end_date=timezone.localdate() + datetime.timedelta(days=3))

    assert_constant(login(coach), "/", rows)


def test_coach_caseload_next_step_column_costs_the_same_for_3_and_25_rows(login):
    """The "next step / deadline" column reads every row's path in one query for the page."""
    coach = UserFactory(coach=True)
    today = timezone.localdate()

    def rows(n):
        for i in range(n):
            plan = ActivityPlanFactory(participation__coach=coach, status=("draft", "submitted", "approved")[i % 3])
            AssessmentFactory(participation=plan.participation, complete=True)
            ActivityFactory(participation=plan.participation)
            Deadline.objects.create(
                participation=plan.participation, kind="plan_review", due_date=today + datetime.timedelta(days=i), responsible="coach"
            )

    client = login(coach)
    assert_constant(client, "/", rows)
    response = client.get("/")
    shown = [p.path for p in response.context["listing"].rows]
    assert all(path.deadline is not None for path in shown)
    assert {path.current for path in shown} == {"assessment", "plan_sent", "activities"}
    assert "Nästa steg / tidsfrist" in response.content.decode()


def test_coach_start_page_htmx_list(login):
    coach = UserFactory(coach=True)
    assert_constant(
        login(coach),
        "/?status=active",
        lambda n: ParticipationFactory.create_batch(n, coach=coach, enrolled=True),
        headers={"HX-Request": "true", "HX-Target": "person-list"},
    )


def with_coaches(n):
    """n open participations, each with its own coach: a per-row coach lookup would show."""
    for _ in range(n):
        ParticipationFactory(enrolled=True, coach=UserFactory(coach=True))


def test_district_start_page(login):
    worker = UserFactory(social_worker=True)
    assert_constant(login(worker), "/", with_coaches)


def test_unit_manager_start_page(login):
    manager = UserFactory(unit_manager=True)

    def rows(n):
        for _ in range(n):
            ParticipationFactory(coach=UserFactory(coach=True), status=Status.REFERRED)

    # More rows also means more coaches in the per-coach table: still constant.
    assert_constant(login(manager), "/", rows)


def test_matcher_start_page(login):
    matcher = UserFactory(matcher=True)
    assert_constant(login(matcher), "/?sort=coach", with_coaches)


def test_provider_start_page(login):
    provider = ProviderFactory()
    staff = UserFactory(provider_staff=True, provider=provider)
    assert_constant(
        login(staff),
        "/",
        lambda n: [ActivityFactory(provider=provider, participation__coach=UserFactory(coach=True)) for _ in range(n)],
    )


def test_analyst_start_page(login):
    analyst = UserFactory(analyst=True)
    client = login(analyst)
    ParticipationFactory.create_batch(3, enrolled=True)
    client.get("/")
    few, _, _ = measure(client, "/")
    ParticipationFactory.create_batch(30, enrolled=True)
    many, sql, _ = measure(client, "/")
    assert many == few, "\n".join(sql)
