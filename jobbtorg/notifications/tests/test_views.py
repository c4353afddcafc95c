"""In-app notifications: the /notiser/ page and the count in the main menu."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.deadlines.rules import Kind
from jobbtorg.deadlines.services import open_deadline
from jobbtorg.notifications.services import digest_lines
from jobbtorg.testing.factories import ActivityPlanFactory, ParticipationFactory, UserFactory
from jobbtorg.web.tests.fixtures import apply_ui_settings, make_login

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)


@pytest.fixture
def login(client):
    return make_login(client)


def test_notices_page_lists_counts_per_kind_with_links_and_no_names(login):
    coach = UserFactory(coach=True)
    today = timezone.localdate()
    late = ParticipationFactory(enrolled=True, coach=coach, person__last_name="Hemligsson")
    open_deadline(late, Kind.PLAN_DRAWN_UP, due=today - DAY)
    open_deadline(ParticipationFactory(enrolled=True, coach=coach), Kind.PLAN_DRAWN_UP, due=today + DAY)
    ActivityPlanFactory(returned=True, participation__coach=coach)

    response = login(coach).get("/notiser/")

    assert response.status_code == 200
    html = response.content.decode()
    notices = {n.label: n for n in response.context["notices"]}
    assert notices["Aktivitetsplan upprättas"].overdue == 1 and notices["Aktivitetsplan upprättas"].due == 1
    assert notices["Planer som stadsdelen skickat tillbaka"].due == 1
    assert "/?frist=plan_drawn_up#deadlines-heading" in html
    assert "Hemligsson" not in html and late.person.personnummer not in html
    # The same deadline counts as the e-mail digest.
    assert digest_lines(coach, today) == ["Aktivitetsplan upprättas: 1 försenade", "Aktivitetsplan upprättas: 1 att göra snart"]


def test_social_worker_notice_links_to_the_approval_queue(login):
    worker = UserFactory(social_worker=True)
    plan = ActivityPlanFactory(submitted=True)
    open_deadline(plan.participation, Kind.PLAN_APPROVAL, due=timezone.localdate() - DAY)
    response = login(worker).get("/notiser/")
    assert '/planer/att-godkanna/' in response.content.decode()


def test_role_without_notifications(login):
    response = login(UserFactory(analyst=True)).get("/notiser/")
    assert response.status_code == 200
    assert "Din roll får inga notiser." in response.content.decode()
    assert 'href="/notiser/"' not in response.content.decode()


def test_menu_badge_counts_and_carries_no_personal_data(login):
    coach = UserFactory(coach=True)
    p = ParticipationFactory(enrolled=True, coach=coach, person__last_name="Hemligsson")
    open_deadline(p, Kind.PLAN_DRAWN_UP, due=timezone.localdate() - DAY)
    open_deadline(p, Kind.FIRST_APPOINTMENT, due=timezone.localdate())
    html = login(coach).get("/notiser/").content.decode()
    nav = html[html.index('class="main-nav"'):html.index("</nav>")]
    assert 'href="/notiser/"' in nav
    assert '<span class="nav-badge">2<span class="visually-hidden"> saker att göra</span></span>' in nav
    assert "Hemligsson" not in nav


def test_menu_badge_is_one_query_per_request(login):
    coach = UserFactory(coach=True)
    client = login(coach)
    client.get("/notiser/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/personer/sok/")
    deadline_queries = [q for q in ctx.captured_queries if "deadlines_deadline" in q["sql"]]
    assert len(deadline_queries) == 1 and "COUNT(" in deadline_queries[0]["sql"].upper()


def test_protected_person_is_not_counted_for_others(login):
    worker = UserFactory(social_worker=True)
    plan = ActivityPlanFactory(submitted=True, participation__person__protected=True)
    open_deadline(plan.participation, Kind.PLAN_APPROVAL, due=timezone.localdate() - DAY)
    response = login(worker).get("/notiser/")
    assert response.context["notices"] == []


def test_menu_badge_says_99_plus_and_counts_no_further(login):
    coach = UserFactory(coach=True)
    p = ParticipationFactory(enrolled=True, coach=coach)
    for subject in range(1, 121):
        open_deadline(p, Kind.ACTIVITY_FOLLOWUP, due=timezone.localdate() - DAY, subject_id=subject)
    client = login(coach)
    client.get("/notiser/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/personer/sok/").content.decode()
    nav = html[html.index('class="main-nav"'):html.index("</nav>")]
    assert '<span class="nav-badge">99+<span class="visually-hidden"> fler än 99 saker att göra</span></span>' in nav
    count = next(q["sql"] for q in ctx.captured_queries if "deadlines_deadline" in q["sql"])
    assert "LIMIT 100" in count
